package org.fmfstream.operators.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.streaming.util.MockStreamingRuntimeContext;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.SavedFmFormer;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.operators.window.AlignedWindow;
import org.fmfstream.operators.window.ScoredWindow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two subtasks' functions in one JVM: one loaded model, two predictors; the model stays loaded
 * until the last function closes. Also the async timeout's message.
 */
class FmFormerInferenceSharingTest {

    @TempDir
    static Path dir;
    private static SavedFmFormer saved;

    @BeforeAll
    static void saveModel() throws Exception {
        try (Model model = FmFormerModel.create(FmFormerConfig.byName("fmformer-xs").withDenseHead(true), 11L)) {
            saved = FmFormerModel.save(model, dir.resolve("xs"));
        }
    }

    private static InferenceConfig config() {
        return InferenceConfig.of(saved.directory().toString(), saved.paramsSha256(), "test-1")
                .withDevice(DeviceChoice.CPU)
                .withBatching(2, Duration.ofMillis(20));
    }

    private static FmFormerInference opened(InferenceConfig config, int subtask) throws Exception {
        FmFormerInference fn = new FmFormerInference(config);
        fn.setRuntimeContext(new MockStreamingRuntimeContext(2, subtask));
        fn.open(DefaultOpenContext.INSTANCE);
        return fn;
    }

    private static ScoredWindow score(FmFormerInference fn, AlignedWindow w) throws Exception {
        TestWindows.Future f = new TestWindows.Future();
        fn.asyncInvoke(w, f);
        return f.result.get(60, TimeUnit.SECONDS);
    }

    @Test
    void twoSubtasksShareOneLoadedModelAndTheLastCloseReleasesIt() throws Exception {
        InferenceConfig config = config();
        SharedModels.Key key = new SharedModels.Key(config.modelSource(), config.device());
        assertThat(SharedModels.references(key)).isZero();
        FmFormerInference first = opened(config, 0);
        FmFormerInference second = opened(config, 1);
        try {
            assertThat(SharedModels.references(key)).isEqualTo(2);
            assertThat(SharedModels.loaded()).isEqualTo(1);
            AlignedWindow w = TestWindows.window("f1", 3, 7, 42);
            ScoredWindow a = score(first, w);
            ScoredWindow b = score(second, w);
            assertThat(a.anomalyProbability).isBetween(0f, 1f).isEqualTo(b.anomalyProbability);
            assertThat(a.maskProbabilities).containsExactly(b.maskProbabilities);
            assertThat(a.modelName).isEqualTo("fmformer-xs");
            assertThat(a.modelVersion).isEqualTo("test-1");
            assertThat(a.modelSha256).isEqualTo(saved.paramsSha256());
            assertThat(a.batchSize).isEqualTo(1); // alone, flushed by the 20 ms batch timeout

            first.close();
            assertThat(SharedModels.references(key)).isEqualTo(1);
            // Closing one subtask's predictor leaves the shared model usable by the other.
            ScoredWindow again = score(second, w);
            assertThat(again.anomalyProbability).isEqualTo(a.anomalyProbability);
        } finally {
            first.close();
            second.close();
        }
        assertThat(SharedModels.references(key)).isZero();
        assertThat(SharedModels.loaded()).isZero();
        first.close(); // idempotent
        assertThat(SharedModels.references(key)).isZero();
    }

    @Test
    void asyncTimeoutFailsTheWindowWithAMessageNamingTheSettings() throws Exception {
        FmFormerInference fn = new FmFormerInference(config());
        TestWindows.Future f = new TestWindows.Future();
        fn.timeout(TestWindows.window("f9", 1, 1, 1), f);
        assertThatThrownBy(() -> f.result.get(1, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InferenceException.class)
                .hasMessageContaining("f9")
                .hasMessageContaining("not scored within the async timeout of 60000 ms")
                .hasMessageContaining("batch size 2");
    }

    @Test
    void threadsPerSubtaskAreWorkedOutFromTheCoresWhereThePredictorOpens() {
        InferenceConfig perSubtask = InferenceConfig.of("m", null, null)
                .withIntraOpThreads(InferenceConfig.THREADS_PER_SUBTASK);
        assertThat(perSubtask.predictorConfig(16, 4).intraOpThreads()).isEqualTo(4);
        assertThat(perSubtask.predictorConfig(2, 4).intraOpThreads()).isEqualTo(1);
        assertThat(perSubtask.withIntraOpThreads(3).predictorConfig(16, 4).intraOpThreads()).isEqualTo(3);
        assertThat(perSubtask.withIntraOpThreads(0).predictorConfig(16, 4).intraOpThreads()).isZero();
    }

    @Test
    void aWrongPinnedHashFailsOpenAndLeavesNothingLoaded() {
        InferenceConfig wrong = InferenceConfig.of(saved.directory().toString(), "00".repeat(32), null)
                .withDevice(DeviceChoice.CPU);
        assertThatThrownBy(() -> opened(wrong, 0)).hasMessageContaining("00".repeat(32));
        assertThat(SharedModels.loaded()).isZero();
    }
}
