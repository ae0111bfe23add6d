package org.fmfstream.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fmfstream.model.fmformer.FmFormer;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.ParamsChecksumMismatchException;
import org.fmfstream.model.fmformer.SavedFmFormer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FmFormerPredictorTest {

    private static final int BATCH = 3;

    @TempDir
    static Path dir;
    static SavedFmFormer saved;

    @BeforeAll
    static void saveModel() throws Exception {
        saved = SavedModels.saveXs(dir.resolve("xs"), 11);
    }

    private static PredictorConfig cpu(int batch) {
        return new PredictorConfig(DeviceChoice.CPU, batch, 0, 1);
    }

    @Test
    void scoresEqualADirectFmFormerForwardOnTheSameInputs() throws Exception {
        TokenBuffers tokens = SavedModels.tokens(BATCH, 3);
        ScoreBuffers scores = ScoreBuffers.forBatch(BATCH);
        try (FmFormerPredictor predictor = FmFormerPredictor.open(
                new ModelSource.SavedFmFormerDirectory(saved.directory(), saved.paramsSha256(), "1.0"), cpu(BATCH))) {
            predictor.predict(tokens, BATCH, scores);
        }

        float[] video;
        float[] current;
        float[] mask;
        try (Model direct = FmFormerModel.load(saved.directory());
             NDManager call = direct.getNDManager().newSubManager()) {
            Shape[] shapes = FmFormer.inputShapes(SavedModels.XS_DENSE, BATCH);
            NDList inputs = new NDList(3);
            float[][] buffers = {tokens.standard(), tokens.dilated(), tokens.current()};
            for (int i = 0; i < 3; i++) {
                inputs.add(call.create(buffers[i], shapes[i]));
            }
            NDList out = direct.getBlock().forward(new ParameterStore(call, false), inputs, false);
            video = out.get(FmFormer.VIDEO_LOGITS).toFloatArray();
            current = out.get(FmFormer.CURRENT_LOGITS).toFloatArray();
            mask = out.get(FmFormer.MASK_LOGITS).toFloatArray();
        }

        assertThat(scores.videoLogits()).containsExactly(video, within(1e-5f));
        assertThat(scores.currentLogits()).containsExactly(current, within(1e-5f));
        for (int b = 0; b < BATCH; b++) {
            float fused0 = video[2 * b] + current[2 * b];
            float fused1 = video[2 * b + 1] + current[2 * b + 1];
            assertThat(scores.probabilities()[b]).isCloseTo(SavedModels.softmax1(fused0, fused1), within(1e-5f));
            for (int p = 0; p < 4096; p++) {
                float expected = SavedModels.softmax1(mask[(2 * b) * 4096 + p], mask[(2 * b + 1) * 4096 + p]);
                assertThat(scores.maskProbabilities()[b * 4096 + p]).as("window %d pixel %d", b, p)
                        .isCloseTo(expected, within(1e-5f));
            }
        }
        // the windows differ, so a mix-up of windows would show
        assertThat(scores.probabilities()[0]).isNotEqualTo(scores.probabilities()[1]);
    }

    @Test
    void aBatchScoresLikeItsWindowsOneAtATime() throws Exception {
        int batch = 4;
        TokenBuffers tokens = SavedModels.tokens(batch, 5);
        try (FmFormerPredictor predictor = FmFormerPredictor.open(
                ModelSource.of(saved.directory(), null, null), cpu(batch))) {
            List<WindowScore> together = predictor.predict(tokens, batch);
            assertThat(together).hasSize(batch);
            for (int b = 0; b < batch; b++) {
                WindowScore alone = predictor.predict(SavedModels.slice(tokens, b, 1), 1).get(0);
                WindowScore inBatch = together.get(b);
                assertThat(inBatch.anomalyProbability()).isCloseTo(alone.anomalyProbability(), within(1e-4f));
                assertThat(inBatch.videoLogits()).containsExactly(alone.videoLogits(), within(1e-4f));
                assertThat(inBatch.currentLogits()).containsExactly(alone.currentLogits(), within(1e-4f));
                assertThat(inBatch.maskProbabilities()).containsExactly(alone.maskProbabilities(), within(1e-4f));
            }
        }
    }

    @Test
    void identityNamesThePresetTheVersionAndTheLoadedFile() throws Exception {
        try (FmFormerPredictor predictor = FmFormerPredictor.open(
                ModelSource.of(saved.directory(), saved.paramsSha256().toUpperCase(Locale.ROOT), "2024.06-rc1"),
                cpu(1).withWarmupBatches(0))) {
            assertThat(predictor.identity()).isEqualTo(
                    new ModelIdentity("fmformer-xs", "2024.06-rc1", FmFormerModel.sha256(saved.paramsFile())));
            assertThat(predictor.device()).isEqualTo(Device.cpu());
            assertThat(predictor.warmupNanos()).isZero();
        }
        try (FmFormerPredictor predictor = FmFormerPredictor.open(ModelSource.of(saved.directory(), null, null),
                cpu(2).withWarmupBatches(2))) {
            assertThat(predictor.identity().version()).isEqualTo(ModelIdentity.UNVERSIONED);
            assertThat(predictor.warmupNanos()).isPositive();
        }
    }

    @Test
    void aChecksumMismatchIsRefusedBeforeLoading() {
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> FmFormerPredictor.open(ModelSource.of(saved.directory(), wrong, null), cpu(1)))
                .isInstanceOf(ParamsChecksumMismatchException.class)
                .hasMessageContaining(wrong)
                .hasMessageContaining(saved.paramsSha256());
    }

    @Test
    void gpuIsAnErrorOnAHostWithoutOneAndAutoFallsBackToTheCpu() {
        Engine engine = Engine.getEngine("PyTorch");
        if (engine.getGpuCount() == 0) {
            assertThatThrownBy(() -> DeviceChoice.GPU.resolve(engine))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'gpu' was requested")
                    .hasMessageContaining("sees no GPU");
            assertThatThrownBy(() -> FmFormerPredictor.open(ModelSource.of(saved.directory(), null, null),
                    new PredictorConfig(DeviceChoice.GPU, 1, 0, 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sees no GPU");
            assertThat(DeviceChoice.AUTO.resolve(engine)).isEqualTo(Device.cpu());
        } else {
            assertThat(DeviceChoice.GPU.resolve(engine)).isEqualTo(Device.gpu());
            assertThat(DeviceChoice.AUTO.resolve(engine)).isEqualTo(Device.gpu());
        }
        assertThat(DeviceChoice.CPU.resolve(engine)).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.parse(" Gpu ")).isEqualTo(DeviceChoice.GPU);
        assertThatThrownBy(() -> DeviceChoice.parse("tpu")).hasMessageContaining("expected auto, cpu or gpu");
    }

    @Test
    void badBatchesAreRefusedWithClearMessages() throws Exception {
        TokenBuffers tokens = SavedModels.tokens(2, 1);
        try (FmFormerPredictor predictor = FmFormerPredictor.open(ModelSource.of(saved.directory(), null, null),
                cpu(2).withWarmupBatches(0))) {
            assertThatThrownBy(() -> predictor.predict(tokens, 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside 1..2");
            assertThatThrownBy(() -> predictor.predict(tokens, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> predictor.predict(SavedModels.slice(tokens, 0, 1), 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("token buffer holds " + SavedModels.SPEC.standardLength() + " floats");
            assertThatThrownBy(() -> new TokenBuffers(SavedModels.SPEC, tokens.standard(), tokens.dilated(), new float[720]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("720 floats");
            assertThatThrownBy(() -> predictor.predict(tokens, 2, ScoreBuffers.forBatch(1)))
                    .hasMessageContaining("hold 1 windows");
            predictor.close();
            assertThatThrownBy(() -> predictor.predict(tokens, 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        assertThatThrownBy(() -> ModelSource.of(dir.resolve("nothing-here.bin"), null, null))
                .hasMessageContaining("neither a saved FmFormer directory nor a TorchScript .pt file");
    }



    /**
     * Live, replay and a restored run group the same windows into other batches: a window's scores
     * must not depend on its batch. Scored alone, and in batches of 2 to 8 at every position, each
     * window gives the same bits (PyTorch's single-row path differs by 1 ulp; the predictor never
     * takes it).
     */
    @Test
    void aWindowScoresTheSameBitsAloneAndInAnyBatch() throws Exception {
        int n = 8;
        TokenBuffers tokens = SavedModels.tokens(n, 5);
        try (FmFormerPredictor predictor = FmFormerPredictor.open(
                new ModelSource.SavedFmFormerDirectory(saved.directory(), saved.paramsSha256(), "1.0"), cpu(n))) {
            List<WindowScore> whole = predictor.predict(tokens, n);
            List<String> differing = new java.util.ArrayList<>();
            for (int size = 1; size <= n; size++) {
                for (int start = 0; start + size <= n; start++) {
                    List<WindowScore> scores = predictor.predict(SavedModels.slice(tokens, start, size), size);
                    for (int i = 0; i < size; i++) {
                        WindowScore a = scores.get(i);
                        WindowScore b = whole.get(start + i);
                        if (Float.floatToIntBits(a.anomalyProbability()) != Float.floatToIntBits(b.anomalyProbability())
                                || !java.util.Arrays.equals(a.videoLogits(), b.videoLogits())
                                || !java.util.Arrays.equals(a.currentLogits(), b.currentLogits())
                                || !java.util.Arrays.equals(a.maskProbabilities(), b.maskProbabilities())) {
                            differing.add("window " + (start + i) + " in a batch of " + size);
                        }
                    }
                }
            }
            assertThat(differing).isEmpty();
        }
    }
}
