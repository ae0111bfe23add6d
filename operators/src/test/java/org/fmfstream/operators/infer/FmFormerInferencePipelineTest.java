package org.fmfstream.operators.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.PojoTestUtils;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.SavedFmFormer;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.model.serve.FmFormerPredictor;
import org.fmfstream.model.serve.ModelSource;
import org.fmfstream.model.serve.PredictorConfig;
import org.fmfstream.model.serve.ScoreBuffers;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.fmfstream.operators.window.AlignedWindow;
import org.fmfstream.operators.window.ScoredWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FmFormerInference in a local Flink pipeline (MiniCluster, parallelism 1) with a fresh
 * fmformer-xs: every window comes out once, in input order, scored as the predictor scores it
 * directly; windows that arrive together share batches and the tail runs as a partial batch.
 */
class FmFormerInferencePipelineTest {

    private static final int WINDOWS = 10;
    private static final int BATCH = 4;

    @TempDir
    Path dir;

    @Test
    void windowsFlowThroughInOrderInBatchesWithTheDirectPredictorsScores() throws Exception {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ScoredWindow.class);
        SavedFmFormer saved;
        try (Model model = FmFormerModel.create(FmFormerConfig.byName("fmformer-xs").withDenseHead(true), 5L)) {
            saved = FmFormerModel.save(model, dir.resolve("xs"));
        }
        List<AlignedWindow> windows = TestWindows.windows(WINDOWS, 100);
        InferenceConfig config = InferenceConfig.of(saved.directory().toString(), saved.paramsSha256(), "p1")
                .withDevice(DeviceChoice.CPU)
                .withBatching(BATCH, Duration.ofMillis(300));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        List<ScoredWindow> out = new ArrayList<>();
        try (var results = FmFormerInference.apply(env.fromData(windows), config).executeAndCollect()) {
            results.forEachRemaining(out::add);
        }

        assertThat(out).hasSize(WINDOWS);
        for (int i = 0; i < WINDOWS; i++) {
            assertThat(out.get(i).windowEndMicros).isEqualTo(windows.get(i).windowEndMicros);
            assertThat(out.get(i).furnaceId).isEqualTo(windows.get(i).furnaceId);
            assertThat(out.get(i).frameSeqs).containsExactly(windows.get(i).frameSeqs);
        }
        List<Integer> batchSizes = out.stream().map(s -> s.batchSize).toList();
        System.out.println("batch sizes seen per window: " + batchSizes);
        assertThat(batchSizes).allMatch(b -> b >= 1 && b <= BATCH);
        assertThat(batchSizes.get(0)).isGreaterThan(1);               // windows arriving together share a batch
        assertThat(batchSizes.get(WINDOWS - 1)).isLessThan(BATCH);    // the tail is flushed by the timeout
        assertThat(SharedModels.loaded()).isZero();                   // released when the job ended

        // The same windows scored directly, in one batch.
        TokenizerSpec spec = TokenizerSpec.FMFORMER;
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(spec);
        TokenBuffers tokens = TokenBuffers.forWindows(spec, WINDOWS);
        for (int b = 0; b < WINDOWS; b++) {
            AlignedWindow w = windows.get(b);
            tokenizer.tokenizeInto(w.clip(spec), w.currentWindow(spec), tokens, b);
        }
        ScoreBuffers direct = ScoreBuffers.forBatch(WINDOWS);
        try (FmFormerPredictor predictor = FmFormerPredictor.open(
                ModelSource.of(saved.directory(), saved.paramsSha256(), "p1"),
                new PredictorConfig(DeviceChoice.CPU, WINDOWS, 0, 0))) {
            predictor.predict(tokens, WINDOWS, direct);
        }
        for (int b = 0; b < WINDOWS; b++) {
            ScoredWindow s = out.get(b);
            assertThat(s.anomalyProbability).isBetween(0f, 1f);
            assertThat((double) s.anomalyProbability).isCloseTo(direct.probabilities()[b],
                    org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) s.videoLogits[1]).isCloseTo(direct.videoLogits()[2 * b + 1],
                    org.assertj.core.data.Offset.offset(1e-4));
            assertThat((double) s.currentLogits[0]).isCloseTo(direct.currentLogits()[2 * b],
                    org.assertj.core.data.Offset.offset(1e-4));
            float maxDiff = 0;
            for (int i = 0; i < ScoreBuffers.MASK_PIXELS; i++) {
                maxDiff = Math.max(maxDiff,
                        Math.abs(s.maskProbabilities[i] - direct.maskProbabilities()[b * ScoreBuffers.MASK_PIXELS + i]));
            }
            assertThat(maxDiff).isLessThan(1e-5f);
            assertThat(s.modelSha256).isEqualTo(saved.paramsSha256());
        }
    }
}
