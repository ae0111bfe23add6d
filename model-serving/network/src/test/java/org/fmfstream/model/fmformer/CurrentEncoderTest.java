package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurrentEncoderTest {

    private static final FmFormerConfig PATCHES = FmFormerConfig.fmformerXs().withDenseHead(true)
            .withCurrentEncoder(CurrentEncoder.PATCHES, 8);

    /** Embeds [1, 240, 3] readings of constant-per-phase values plus a deviation pattern. */
    private static float[] embed(NDManager manager, org.fmfstream.model.fmformer.CurrentPatchEmbedding patches,
                                 TokenEmbedding reference, boolean usePatches, float offset, float scale) {
        float[] readings = new float[240 * 3];
        for (int k = 0; k < 240; k++) {
            for (int p = 0; p < 3; p++) {
                // Three phases around 10 kA with a small imbalance and a wiggle over time.
                readings[k * 3 + p] = offset + 10f + 0.1f * p + scale * (float) Math.sin(k * 0.3 + p);
            }
        }
        NDArray in = manager.create(readings, new Shape(1, 240, 3));
        ParameterStore store = new ParameterStore(manager, false);
        NDList out = usePatches ? patches.forward(store, new NDList(in), false)
                : reference.forward(store, new NDList(in), false);
        return out.singletonOrThrow().toFloatArray();
    }

    @Test
    void patchesSeeTheCurrentsLevelAndAmplitudeWhichThePhaseNormRemoves() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CurrentPatchEmbedding patches = new CurrentPatchEmbedding(240, 8, 16);
            SeededInitialization.assign(patches, 3);
            patches.initialize(manager, DataType.FLOAT32, new Shape(1, 240, 3));
            TokenEmbedding reference = new TokenEmbedding(240, 16, true);
            SeededInitialization.assign(reference, 3);
            reference.initialize(manager, DataType.FLOAT32, new Shape(1, 240, 3));

            float[] base = embed(manager, patches, reference, false, 0, 0.5f);
            // The reference normalises each reading over its phases: a furnace running 2 kA higher
            // gives the very same tokens (up to rounding).
            float[] shifted = embed(manager, patches, reference, false, 2f, 0.5f);
            assertThat(maxDifference(base, shifted)).isLessThan(1e-3f);

            float[] patchBase = embed(manager, patches, reference, true, 0, 0.5f);
            float[] patchShifted = embed(manager, patches, reference, true, 2f, 0.5f);
            float[] patchSteadier = embed(manager, patches, reference, true, 0, 0.15f);
            assertThat(patchBase).hasSize(31 * 16);
            assertThat(maxDifference(patchBase, patchShifted)).isGreaterThan(0.05f);
            assertThat(maxDifference(patchBase, patchSteadier)).isGreaterThan(0.05f);
        }
    }

    @Test
    void thePatchedCurrentStreamIsShorterAndAllOutputsKeepTheirShapes() {
        assertThat(PATCHES.currentTokens()).isEqualTo(30);
        assertThat(PATCHES.currentSequenceLength()).isEqualTo(31);
        for (Modality modality : Modality.values()) {
            FmFormerConfig config = PATCHES.withModality(modality);
            try (Model model = FmFormerModel.create(config, 1);
                 NDManager manager = model.getNDManager().newSubManager()) {
                NDList out = model.getBlock().forward(new ParameterStore(manager, false),
                        RandomWindows.of(manager, config, 2, 5), false);
                assertThat(out.get(FmFormer.VIDEO_LOGITS).getShape()).isEqualTo(new Shape(2, 2));
                assertThat(out.get(FmFormer.CURRENT_LOGITS).getShape()).isEqualTo(new Shape(2, 2));
                assertThat(out.get(FmFormer.MASK_LOGITS).getShape()).isEqualTo(new Shape(2, 2, 64, 64));
            }
        }
    }

    /**
     * fmformer-xs (D 64) with patches: the current embedding is linear(24, 64) + norm(64) +
     * position 31·64 + class 64 = 1,600 + 128 + 1,984 + 64 = 3,776 instead of the reference's
     * norm(3) + linear(3, 64) + norm(64) + position 241·64 + class 64 = 6 + 256 + 128 + 15,424 + 64
     * = 15,878; nothing else changes (cross-attention weights do not depend on the sequence length).
     */
    @Test
    void parameterCountDiffersOnlyByTheCurrentEmbedding() {
        try (Model reference = FmFormerModel.create(FmFormerConfig.fmformerXs().withDenseHead(true), 1);
             Model patched = FmFormerModel.create(PATCHES, 1)) {
            long r = FmFormerModel.trainableParameterCount(reference.getBlock());
            long p = FmFormerModel.trainableParameterCount(patched.getBlock());
            assertThat(r).isEqualTo(986_956);
            assertThat(r - p).isEqualTo(15_878 - 3_776);
        }
    }

    @Test
    void theEncoderIsSavedAndAModelFromBeforeItExistedReadsAsTheReference(@TempDir Path dir) throws Exception {
        try (Model model = FmFormerModel.create(PATCHES, 1)) {
            FmFormerModel.save(model, dir.resolve("patched"));
        }
        assertThat(FmFormerModel.configIn(dir.resolve("patched"))).isEqualTo(PATCHES);
        try (Model loaded = FmFormerModel.load(dir.resolve("patched"))) {
            assertThat(FmFormerModel.configOf(loaded)).isEqualTo(PATCHES);
        }

        Properties old = FmFormerConfig.fmformerXs().toProperties();
        old.remove("currentEncoder");
        old.remove("currentPatch");
        FmFormerConfig read = FmFormerConfig.fromProperties(old);
        assertThat(read.currentEncoder()).isEqualTo(CurrentEncoder.PHASE_NORM);
        assertThat(read).isEqualTo(FmFormerConfig.fmformerXs());
        assertThat(Files.exists(dir.resolve("patched").resolve(FmFormerModel.CONFIG_FILE))).isTrue();
    }

    @Test
    void aPatchMustDivideTheWindow() {
        assertThatThrownBy(() -> FmFormerConfig.fmformerXs().withCurrentEncoder(CurrentEncoder.PATCHES, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of currentPatch");
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
