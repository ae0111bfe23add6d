package org.fmfstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FmFormerTrainingTest {
    @TempDir
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        LearnableFixture.write(data);
    }

    private static TrainingConfig.Builder tiny() {
        return TrainingConfig.builder().model(LearnableFixture.tinyModel()).batchSize(8).learningRate(2e-3f)
                .warmUpSteps(4).decay(LearningRateDecay.STEP).stepDecayEpoch(3).stepDecayFactor(0.5f)
                .seed(5).threads(1);
    }

    private static PrintWriter quiet() {
        return new PrintWriter(Writer.nullWriter());
    }

    private static Map<String, float[]> parameters(Path modelDir) throws Exception {
        Map<String, float[]> values = new LinkedHashMap<>();
        try (Model model = FmFormerModel.load(modelDir)) {
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                values.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }

    private static void assertSameParameters(Map<String, float[]> a, Map<String, float[]> b) {
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        List<String> differing = new ArrayList<>();
        a.forEach((k, v) -> {
            if (!java.util.Arrays.equals(v, b.get(k))) {
                differing.add(k);
            }
        });
        assertThat(differing).as("parameters that differ").isEmpty();
    }

    @Test
    void aFewDozenStepsLearnTheBrightSquare(@TempDir Path out) throws Exception {
        StringWriter log = new StringWriter();
        TrainingConfig config = tiny().epochs(12).learningRate(3e-3f).decay(LearningRateDecay.NONE).build();
        TrainingResult result = FmFormerTraining.run(config, data, out,
                new PrintWriter(log, true));

        List<EpochRecord> history = result.state().history();
        assertThat(history).hasSize(12);
        EpochRecord first = history.get(0);
        EpochRecord last = history.get(11);
        // Every batch is an update, except those whose gradients were not finite (skipped and logged; at
        // 3e-3 this tiny net meets none to two per run, not repeatably from one JVM to the next; the
        // cause is open, model-serving README): the updates plus the logged skips are exactly the 96
        // batches, and skips are rare.
        long skipped = log.toString().lines().filter(l -> l.contains("gradients not finite")
                && l.contains("batch skipped")).count();
        assertThat(skipped).as("skipped batches, at most one in 24").isLessThanOrEqualTo(4);
        assertThat(last.steps()).isEqualTo(12 * 8 - skipped);
        assertThat(last.trainLoss()).isLessThan(0.4 * first.trainLoss());
        assertThat(first.trainAccuracy()).isLessThan(0.75);
        assertThat(last.trainAccuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(last.validation().accuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(last.validation().f1()).isGreaterThanOrEqualTo(0.9);
        assertThat(last.validation().samples()).isEqualTo(32);
        // The dense head finds the square too: a 12x12 spot overlaps its prediction well.
        assertThat(last.validation().anomalyIoU()).isGreaterThan(0.3);
        assertThat(last.samplesPerSecond()).isPositive();

        for (int e = 1; e <= 12; e++) {
            assertThat(out.resolve("epoch-" + e).resolve(FmFormerModel.PARAMS_FILE)).isRegularFile();
            assertThat(out.resolve("epoch-" + e).resolve(FmFormerTraining.OPTIMIZER_FILE)).isRegularFile();
        }
        assertThat(result.finalModel().paramsSha256())
                .isEqualTo(FmFormerModel.sha256(out.resolve("final").resolve(FmFormerModel.PARAMS_FILE)));
        String text = log.toString();
        assertThat(text).contains("samples/s").contains("sha256 " + result.finalModel().paramsSha256());
        TrainingState state = TrainingState.read(out);
        assertThat(state.epochsDone()).isEqualTo(12);
        assertThat(state.checkpoint()).isEqualTo("epoch-12");
        assertThat(state.config()).isEqualTo(config);
        assertThat(Files.readString(out.resolve(TrainingState.FILE))).contains("\"beta1\"");
    }

    @Test
    void sameSeedGivesIdenticalWeights(@TempDir Path out) throws Exception {
        TrainingConfig config = tiny().epochs(1).maxSamplesPerEpoch(24).maxValidationSamples(8).build();
        FmFormerTraining.run(config, data, out.resolve("a"), quiet());
        FmFormerTraining.run(config, data, out.resolve("b"), quiet());
        FmFormerTraining.run(config.toBuilder().seed(6).build(), data, out.resolve("c"), quiet());
        Map<String, float[]> a = parameters(out.resolve("a/final"));
        assertSameParameters(a, parameters(out.resolve("b/final")));
        Map<String, float[]> c = parameters(out.resolve("c/final"));
        assertThat(a.keySet().stream().filter(k -> !java.util.Arrays.equals(a.get(k), c.get(k))).count())
                .isGreaterThan(a.size() / 2);
    }

    @Test
    void resumingAfterAnEpochEndsWithTheWeightsOfAnUninterruptedRun(@TempDir Path out) throws Exception {
        TrainingConfig two = tiny().epochs(2).maxSamplesPerEpoch(24).maxValidationSamples(8).build();
        FmFormerTraining.run(two, data, out.resolve("whole"), quiet());

        Path split = out.resolve("split");
        FmFormerTraining.run(two.toBuilder().epochs(1).build(), data, split, quiet());
        assertThat(split.resolve("epoch-2")).doesNotExist();
        TrainingResult resumed = FmFormerTraining.resume(data, split, 2, quiet());
        assertThat(resumed.state().history()).hasSize(2);
        assertThat(resumed.state().steps()).isEqualTo(2 * 3);
        assertSameParameters(parameters(out.resolve("whole/final")), parameters(split.resolve("final")));

        assertThatThrownBy(() -> FmFormerTraining.run(two, data, split, quiet()))
                .hasMessageContaining("already holds a training run");
        assertThatThrownBy(() -> FmFormerTraining.resume(data, out.resolve("nothing"), 0, quiet()))
                .hasMessageContaining("holds no training run to resume");
    }

    @Test
    void aRunInitialisedFromASavedModelStartsFromItsWeights(@TempDir Path out) throws Exception {
        TrainingConfig one = tiny().epochs(1).maxSamplesPerEpoch(24).maxValidationSamples(8).build();
        FmFormerTraining.run(one, data, out.resolve("base"), quiet());
        Map<String, float[]> base = parameters(out.resolve("base/final"));

        // A learning rate so small that three steps cannot move a weight by 1e-6: the fine-tuned run
        // ends where it started, i.e. at the base model, not at its own seeded initialisation. Batch
        // norms' running statistics follow the batches whatever the rate, so they are left out.
        TrainingConfig fineTune = one.toBuilder().seed(9).learningRate(1e-10f)
                .initFrom(out.resolve("base/final").toString()).build();
        FmFormerTraining.run(fineTune, data, out.resolve("tuned"), quiet());
        Map<String, float[]> tuned = parameters(out.resolve("tuned/final"));
        assertThat(tuned.keySet()).containsExactlyElementsOf(base.keySet());
        base.forEach((k, v) -> {
            if (k.contains("running")) {
                return;
            }
            float[] t = tuned.get(k);
            for (int i = 0; i < v.length; i++) {
                assertThat(Math.abs(t[i] - v[i])).as("%s[%d]", k, i).isLessThan(1e-6f);
            }
        });
        FmFormerTraining.run(fineTune.toBuilder().initFrom(null).build(), data, out.resolve("seeded"), quiet());
        Map<String, float[]> seeded = parameters(out.resolve("seeded/final"));
        assertThat(base.keySet().stream().filter(k -> !java.util.Arrays.equals(base.get(k), seeded.get(k))).count())
                .isGreaterThan(base.size() / 2);
        assertThat(TrainingState.read(out.resolve("tuned")).config()).isEqualTo(fineTune);

        // The clip stride is the input's, not the weights': a model may be fine-tuned to another one,
        // and the saved model then tells the job the stride it was tuned on.
        assertThat(FmFormerModel.configIn(out.resolve("base/final")).samplingRate()).isEqualTo(1);
        FmFormerTraining.run(fineTune.toBuilder().samplingRate(2).build(), data, out.resolve("strided"), quiet());
        assertThat(FmFormerModel.configIn(out.resolve("strided/final")).samplingRate()).isEqualTo(2);
        assertThat(TrainingState.read(out.resolve("strided")).config().model().samplingRate()).isEqualTo(2);

        assertThatThrownBy(() -> FmFormerTraining.run(one.toBuilder().initFrom(out.resolve("nothing").toString())
                .build(), data, out.resolve("bad"), quiet())).hasMessageContaining("nothing");
    }

    @Test
    void badInputIsRefusedWithClearMessages(@TempDir Path out) throws Exception {
        assertThatThrownBy(() -> TrainingConfig.builder().preset("fmformer-xl"))
                .hasMessageContaining("unknown FmFormer preset 'fmformer-xl'").hasMessageContaining("fmformer-xs");
        assertThatThrownBy(() -> TrainingConfig.builder().batchSize(0).build())
                .hasMessageContaining("batch size must be at least 1");
        assertThatThrownBy(() -> TrainingConfig.builder().learningRate(Float.NaN).build())
                .hasMessageContaining("learning rate");
        assertThatThrownBy(() -> TrainingConfig.builder().modality(org.fmfstream.model.fmformer.Modality.CURRENT_ONLY)
                .denseHead(true)).hasMessageContaining("dense head needs the video stream");

        Path noTrain = out.resolve("no-train");
        LearnableFixture.write(noTrain);
        Files.delete(noTrain.resolve("train.json"));
        assertThatThrownBy(() -> FmFormerTraining.run(tiny().build(), noTrain, out.resolve("run"), quiet()))
                .hasMessageContaining("train.json is missing");
    }

    @Test
    void contrastiveTermTrainsThroughTheClassTokens(@TempDir Path out) throws Exception {
        TrainingConfig base = tiny().epochs(1).maxSamplesPerEpoch(16).maxValidationSamples(8).build();
        FmFormerTraining.run(base, data, out.resolve("plain"), quiet());
        TrainingResult with = FmFormerTraining.run(base.toBuilder().contrastiveWeight(0.5f).build(), data,
                out.resolve("contrastive"), quiet());
        // Same seed and batches: only the extra loss term can make the weights differ.
        Map<String, float[]> plain = parameters(out.resolve("plain/final"));
        Map<String, float[]> contrastive = parameters(out.resolve("contrastive/final"));
        assertThat(plain.keySet().stream().filter(k -> !java.util.Arrays.equals(plain.get(k), contrastive.get(k))))
                .isNotEmpty();
        assertThat(with.state().history().get(0).trainLoss()).isFinite();
    }

    @Test
    void configSurvivesItsJson() {
        TrainingConfig config = tiny().decay(LearningRateDecay.COSINE).weightDecay(0.01f).balanced(true)
                .flip(false).samplingRate(3).maxSamplesPerEpoch(100).contrastiveWeight(0.2f).contrastiveTemperature(0.07f)
                .build();
        assertThat(TrainingConfig.fromJson(config.toJson())).isEqualTo(config);
    }
}
