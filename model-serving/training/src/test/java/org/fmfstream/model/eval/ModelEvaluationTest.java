package org.fmfstream.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.data.Window;
import org.fmfstream.model.data.WindowDataset;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.serve.FmFormerPredictor;
import org.fmfstream.model.serve.ModelSource;
import org.fmfstream.model.serve.PredictorConfig;
import org.fmfstream.model.serve.WindowScore;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenizedWindow;
import org.fmfstream.model.train.LearnableFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation scores every test window exactly as the predictor does, one window at a time. */
class ModelEvaluationTest {

    @Test
    void aModelWithoutDenseHeadHasNoPixelMetrics(@TempDir Path dir) throws Exception {
        var tiny = LearnableFixture.tinyModel();
        try (Model cross = FmFormerModel.create(tiny, 1L);
             Model current = FmFormerModel.create(tiny.withModality(org.fmfstream.model.fmformer.Modality.CURRENT_ONLY)
                     .withDenseHead(false), 1L)) {
            FmFormerModel.save(cross, dir.resolve("cross"));
            FmFormerModel.save(current, dir.resolve("current"));
        }
        assertThat(ModelEvaluation.producesMasks(ModelSource.of(dir.resolve("cross"), null, null))).isTrue();
        assertThat(ModelEvaluation.producesMasks(ModelSource.of(dir.resolve("current"), null, null))).isFalse();
    }

    @Test
    void aMaskOnlyModelIsJudgedByItsMostAnomalousPixel(@TempDir Path dir) throws Exception {
        Path data = LearnableFixture.write(dir.resolve("data"));
        Path maskOnly = dir.resolve("mask-only");
        try (Model model = FmFormerModel.create(LearnableFixture.tinyModel().withDenseHead(true).withClassHeads(false), 3L)) {
            FmFormerModel.save(model, maskOnly);
        }
        WindowDataset dataset = WindowDataset.open(data, BenchmarkLayout.Split.TEST, 1);
        ModelEvaluation.Result result = new ModelEvaluation(dataset, new ModelEvaluation.Settings(5, 0.5, 0.6, 0, 6),
                line -> { }).run(List.of(new ModelEvaluation.Variant("mask", ModelSource.of(maskOnly, null, null))),
                "test", dir.resolve("report"));

        boolean[] labels = new boolean[dataset.size()];
        double[] probabilities = new double[dataset.size()];
        List<WindowScore> scores = scoreOneByOne(dataset, maskOnly);
        for (int i = 0; i < dataset.size(); i++) {
            WindowScore score = scores.get(i);
            float max = 0;
            for (float p : score.maskProbabilities()) {
                max = Math.max(max, p);
            }
            assertThat(score.anomalyProbability()).isEqualTo(max);
            labels[i] = dataset.window(i).sample().abnormal();
            probabilities[i] = max;
        }
        List<EvaluationReport.ResultSet> sets = result.report().results();
        assertThat(sets).extracting(EvaluationReport.ResultSet::name).containsExactly("mask");
        assertThat(sets.get(0).classification().auroc()).isCloseTo(
                ClassificationMetrics.of(labels, probabilities, 0.5).auroc(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(sets.get(0).segmentation().masks()).isEqualTo(dataset.size());
    }

    @Test
    void reportMatchesWindowByWindowScoring(@TempDir Path dir) throws Exception {
        Path data = LearnableFixture.write(dir.resolve("data"));
        // Mist rises through the recording: frames from 39 on (39/64 >= 0.6) are heavy mist.
        StringBuilder sidecar = new StringBuilder("frame,mist,episode\n");
        for (int f = 0; f < LearnableFixture.FRAMES; f++) {
            sidecar.append(f).append(',').append(f / 64.0).append(",-1\n");
        }
        Files.createDirectories(data.resolve("simulator"));
        Files.writeString(data.resolve("simulator/L.csv"), sidecar, StandardCharsets.UTF_8);
        Path first = save(dir.resolve("m1"), 1);
        Path second = save(dir.resolve("m2"), 2);

        WindowDataset dataset = WindowDataset.open(data, BenchmarkLayout.Split.TEST, 1);
        List<String> log = new ArrayList<>();
        ModelEvaluation.Result result = new ModelEvaluation(dataset, new ModelEvaluation.Settings(5, 0.5, 0.6, 0, 6),
                log::add).run(List.of(new ModelEvaluation.Variant("first", ModelSource.of(first, null, null)),
                        new ModelEvaluation.Variant("second", ModelSource.of(second, null, null))),
                "test", dir.resolve("report"));

        // Independent scoring, batch 1, of every test window with the first model.
        boolean[] labels = new boolean[dataset.size()];
        double[] probabilities = new double[dataset.size()];
        boolean[] heavyLabels = new boolean[12];
        double[] heavyProbabilities = new double[12];
        int heavy = 0;
        List<WindowScore> scores = scoreOneByOne(dataset, first);
        for (int i = 0; i < dataset.size(); i++) {
            Window w = dataset.window(i);
            labels[i] = w.sample().abnormal();
            probabilities[i] = scores.get(i).anomalyProbability();
            if (w.sample().mistAtLeast(0.6)) {
                heavyLabels[heavy] = labels[i];
                heavyProbabilities[heavy++] = probabilities[i];
            }
        }
        // Test frames are the even ones; 40..62 have mist >= 0.6: 12 windows.
        assertThat(heavy).isEqualTo(12);
        ClassificationMetrics expected = ClassificationMetrics.of(labels, probabilities, 0.5);

        List<EvaluationReport.ResultSet> sets = result.report().results();
        assertThat(sets).extracting(EvaluationReport.ResultSet::name)
                .containsExactly("first", "first / video head alone", "first / current head alone",
                        "first / heavy mist", "second", "second / video head alone", "second / current head alone",
                        "second / heavy mist");
        ClassificationMetrics reported = sets.get(0).classification();
        assertThat(reported.samples()).isEqualTo(32);
        assertThat(reported.truePositives()).isEqualTo(expected.truePositives());
        assertThat(reported.falsePositives()).isEqualTo(expected.falsePositives());
        assertThat(reported.auroc()).isCloseTo(expected.auroc(), org.assertj.core.data.Offset.offset(1e-6));
        // Without decision.properties a model is decided by the reference rule: P >= 0.5, no mask evidence.
        FurnaceReport furnaces = result.furnaces().get(0);
        assertThat(furnaces.rule()).isEqualTo(org.fmfstream.model.serve.DecisionRule.REFERENCE);
        assertThat(furnaces.overall()[0]).isCloseTo(expected.accuracy(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(furnaces.furnaces().stream().mapToInt(FurnaceReport.Furnace::falseAlarms).sum())
                .isEqualTo((int) expected.falsePositives());
        assertThat(dir.resolve("report").resolve(ModelEvaluation.FURNACES)).exists();
        assertThat(sets.get(3).classification().samples()).isEqualTo(12);
        assertThat(sets.get(3).classification().auroc()).isCloseTo(
                ClassificationMetrics.of(heavyLabels, heavyProbabilities, 0.5).auroc(),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(sets.get(0).segmentation().masks()).isEqualTo(32);
        // A different model scores differently (the two are not one model reported twice).
        assertThat(sets.get(2).classification().auroc()).isNotEqualTo(reported.auroc());

        assertThat(Files.readString(result.files().markdown())).contains("first", "heavy mist", "second");
        assertThat(Files.readString(result.files().json())).contains("\"first\"");
        BufferedImage grid = ImageIO.read(result.grid().toFile());
        assertThat(grid.getWidth()).isGreaterThan(6 * 64);
        assertThat(ImageIO.read(result.files().precisionRecallPlot().toFile())).isNotNull();
        assertThat(log).anyMatch(l -> l.startsWith("first: accuracy"));

        // The per-window rows are the windows scored, each with its own probability and decision.
        List<String> rows = Files.readAllLines(dir.resolve("report").resolve(WindowScoresCsv.fileName("first")));
        assertThat(rows.get(0)).isEqualTo(WindowScoresCsv.HEADER);
        assertThat(rows).hasSize(1 + dataset.size());
        for (int i = 0; i < dataset.size(); i++) {
            String[] cells = rows.get(1 + i).split(",");
            assertThat(Integer.parseInt(cells[1])).isEqualTo(dataset.sample(i).frame());
            assertThat(cells[3]).isEqualTo(labels[i] ? "1" : "0");
            assertThat(Double.parseDouble(cells[6])).isCloseTo(probabilities[i],
                    org.assertj.core.data.Offset.offset(1e-4));
            assertThat(cells[11]).isEqualTo(probabilities[i] >= 0.5 ? "1" : "0");
        }
    }

    @Test
    void evenlySpacedSubsetAndBadSettings(@TempDir Path dir) throws Exception {
        WindowDataset dataset = WindowDataset.open(LearnableFixture.write(dir), BenchmarkLayout.Split.TEST, 1);
        int[] chosen = new ModelEvaluation(dataset, new ModelEvaluation.Settings(4, 0.5, 0.6, 8, 0), l -> { })
                .chosenWindows();
        assertThat(chosen).containsExactly(0, 4, 8, 12, 16, 20, 24, 28);
        assertThatThrownBy(() -> new ModelEvaluation.Settings(0, 0.5, 0.6, 0, 0)).hasMessageContaining("batch size");
        assertThatThrownBy(() -> new ModelEvaluation.Settings(1, 1.0, 0.6, 0, 0)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new ModelEvaluation(dataset, new ModelEvaluation.Settings(1, 0.5, 0.6, 0, 0), l -> { })
                .run(List.of(), "t", dir.resolve("r"))).hasMessageContaining("no model");
    }

    private static Path save(Path dir, long seed) throws Exception {
        try (Model model = FmFormerModel.create(LearnableFixture.tinyModel(), seed)) {
            FmFormerModel.save(model, dir);
        }
        return dir;
    }

    /** Every window of {@code dataset} scored by the predictor directly, one at a time. */
    private static List<WindowScore> scoreOneByOne(WindowDataset dataset, Path model) throws Exception {
        List<WindowScore> scores = new ArrayList<>();
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(dataset.spec());
        try (FmFormerPredictor predictor = FmFormerPredictor.open(ModelSource.of(model, null, null),
                PredictorConfig.defaults(1))) {
            for (int i = 0; i < dataset.size(); i++) {
                Window w = dataset.window(i);
                TokenizedWindow t = tokenizer.tokenize(w.clip(), w.current());
                scores.add(predictor.predict(t.tokens(), 1).get(0));
            }
        }
        return scores;
    }
}
