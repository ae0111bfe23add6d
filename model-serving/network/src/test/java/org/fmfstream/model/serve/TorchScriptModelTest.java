package org.fmfstream.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.ParamsChecksumMismatchException;
import org.fmfstream.model.testing.DebianPyTorch;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TorchScript module with FmFormer's contract, built and traced by PyTorch itself
 * ({@code /usr/bin/python3} with Debian's {@code python3-torch}), loads through {@link ModelSource}
 * and reproduces PyTorch's outputs for the same input.
 */
class TorchScriptModelTest {

    private static final String SCRIPT = "/torchscript/tiny_fmformer_contract.py";
    private static final int BATCH = 3;

    @TempDir
    static Path dir;
    static Path module;
    static float[][] inputs;
    static float[][] expected;

    @BeforeAll
    static void exportWithPyTorch() throws Exception {
        Path out = DebianPyTorch.run(SCRIPT, dir, dir.resolve("export"), "the TorchScript test module");
        module = out.resolve("tiny.pt");
        inputs = readFloats(out.resolve("inputs.f32"), BATCH * 320 * 384, BATCH * 80 * 384, BATCH * 240 * 3);
        expected = readFloats(out.resolve("expected.f32"), BATCH * 2, BATCH * 2, BATCH * 2 * 64 * 64);
    }

    @Test
    void aTracedPyTorchModuleReproducesPyTorchsOutputs() throws Exception {
        ScoreBuffers scores = ScoreBuffers.forBatch(BATCH);
        try (FmFormerPredictor predictor = FmFormerPredictor.open(ModelSource.of(module, null, "t1"),
                new PredictorConfig(DeviceChoice.CPU, BATCH, 0, 1))) {
            assertThat(predictor.identity())
                    .isEqualTo(new ModelIdentity("tiny", "t1", FmFormerModel.sha256(module)));
            predictor.predict(new TokenBuffers(TokenizerSpec.FMFORMER, inputs[0], inputs[1], inputs[2]), BATCH, scores);
        }
        float[] video = expected[0];
        float[] current = expected[1];
        float[] mask = expected[2];
        assertThat(scores.videoLogits()).containsExactly(video, within(1e-4f));
        assertThat(scores.currentLogits()).containsExactly(current, within(1e-4f));
        for (int b = 0; b < BATCH; b++) {
            float fused = SavedModels.softmax1(video[2 * b] + current[2 * b], video[2 * b + 1] + current[2 * b + 1]);
            assertThat(scores.probabilities()[b]).isCloseTo(fused, within(1e-5f));
            for (int p = 0; p < 4096; p++) {
                assertThat(scores.maskProbabilities()[b * 4096 + p]).as("window %d pixel %d", b, p)
                        .isCloseTo(SavedModels.softmax1(mask[2 * b * 4096 + p], mask[(2 * b + 1) * 4096 + p]),
                                within(1e-5f));
            }
        }
    }

    @Test
    void aTorchScriptFileWithAnotherHashIsRefused() throws Exception {
        String wrong = "f".repeat(64);
        assertThatThrownBy(() -> FmFormerPredictor.open(ModelSource.of(module, wrong, null),
                new PredictorConfig(DeviceChoice.CPU, 1, 0, 0)))
                .isInstanceOf(ParamsChecksumMismatchException.class)
                .hasMessageContaining(wrong)
                .hasMessageContaining(FmFormerModel.sha256(module));
    }

    @Test
    void aModuleWithAnotherOutputContractFailsWithAClearMessage() {
        Path broken = module.resolveSibling("mask_too_small.pt");
        assertThatThrownBy(() -> FmFormerPredictor.open(ModelSource.of(broken, null, null),
                new PredictorConfig(DeviceChoice.CPU, 2, 0, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mask_too_small")
                .hasMessageContaining("output 2 has shape (2, 2, 32, 32)")
                .hasMessageContaining("(2, 2, 64, 64)");
    }

    private static float[][] readFloats(Path file, int... lengths) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = bytes.asFloatBuffer();
        int total = 0;
        for (int n : lengths) {
            total += n;
        }
        assertThat(floats.remaining()).as("floats in " + file).isEqualTo(total);
        float[][] parts = new float[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            parts[i] = new float[lengths[i]];
            floats.get(parts[i]);
        }
        return parts;
    }
}
