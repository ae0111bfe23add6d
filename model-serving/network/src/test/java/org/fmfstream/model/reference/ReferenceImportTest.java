package org.fmfstream.model.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.fmfstream.model.fmformer.FmFormer;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.Modality;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.model.serve.FmFormerPredictor;
import org.fmfstream.model.serve.ModelHeads;
import org.fmfstream.model.serve.ModelSource;
import org.fmfstream.model.serve.PredictorConfig;
import org.fmfstream.model.serve.WindowScore;
import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights saved by a PyTorch definition of the reference network import into this project's
 * FmFormer and reproduce PyTorch's outputs on the same raw inputs, fed the way this project feeds
 * them (frames row-major in (y, x), pixels /255, currents in kA): class logits within 1e-4, mask
 * logits within 1e-3, for both variants. The checkpoints randomise every LayerNorm and BatchNorm
 * parameter and running statistic, and the inputs include a low-contrast (mist-like) clip, so an
 * importer that drops a norm, keeps epsilon 1e-5 on raw-scale tokens or forgets the x/y transpose
 * fails here.
 */
class ReferenceImportTest {

    private static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;
    private static final int B = ReferenceNetwork.BATCH;

    @TempDir
    static Path dir;
    static ReferenceNetwork reference;
    static ReferenceImport.Result classification;
    static ReferenceImport.Result segmentation;
    static TokenBuffers tokens;

    @BeforeAll
    static void importBothVariants() throws Exception {
        reference = ReferenceNetwork.writeInto(dir);
        classification = ReferenceImport.run(reference.file("cls.pth"), dir.resolve("cls-model"),
                FmFormerConfig.fmformerS(), ReferenceImport.RELEASED_SAMPLING_RATE);
        segmentation = ReferenceImport.run(reference.file("seg.pth"), dir.resolve("seg-model"),
                FmFormerConfig.fmformerS(), ReferenceImport.RELEASED_SAMPLING_RATE);
        tokenizeReferenceInputs();
    }

    /** The official [B, C, T, x, y] clip as this project's frames, and the amperes as readings. */
    private static void tokenizeReferenceInputs() throws Exception {
        byte[] video = reference.video();
        float[] amperes = reference.floats("current.f32");
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(SPEC);
        tokens = TokenBuffers.forWindows(SPEC, B);
        int size = ReferenceNetwork.SIZE;
        for (int b = 0; b < B; b++) {
            byte[][] frames = new byte[ReferenceNetwork.FRAMES][SPEC.frameBytes()];
            for (int t = 0; t < frames.length; t++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        for (int c = 0; c < 3; c++) {
                            frames[t][(y * size + x) * 3 + c] = (byte) reference.pixel(video, b, c, t, x, y);
                        }
                    }
                }
            }
            float[][] phases = new float[3][ReferenceNetwork.STEPS];
            for (int s = 0; s < ReferenceNetwork.STEPS; s++) {
                for (int p = 0; p < 3; p++) {
                    phases[p][s] = amperes[(b * ReferenceNetwork.STEPS + s) * 3 + p];
                }
            }
            Clip clip = Clip.of(SPEC, frames, new long[frames.length], new long[frames.length]);
            tokenizer.tokenizeInto(clip, CurrentWindow.of(SPEC, phases), tokens, b);
        }
    }

    /** Raw outputs of the imported model on the reference inputs: video, current and mask logits. */
    private static float[][] forward(Path modelDir) throws Exception {
        try (Model model = FmFormerModel.load(modelDir);
             NDManager manager = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList(
                    manager.create(tokens.standard(), new Shape(B, SPEC.standardTokens(), SPEC.tokenValues())),
                    manager.create(tokens.dilated(), new Shape(B, SPEC.dilatedTokens(), SPEC.tokenValues())),
                    manager.create(tokens.current(), new Shape(B, SPEC.currentSteps(), SPEC.phases())));
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), inputs, false);
            return new float[][] {
                FmFormer.fusedLogits(out).toFloatArray(), out.get(FmFormer.MASK_LOGITS).toFloatArray()
            };
        }
    }

    @Test
    void classificationVariantReproducesTheReferenceLogits() throws Exception {
        float[] expected = reference.floats("cls_logits.f32");
        float[] actual = forward(classification.saved().directory())[0];
        assertThat(actual).hasSize(B * 2);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("class logit %d (sample %d)", i % 2, i / 2).isCloseTo(expected[i], within(1e-4f));
        }
        // The samples differ, so matching logits are not a constant answer.
        assertThat(Math.abs(expected[0] - expected[2]) + Math.abs(expected[2] - expected[4])).isGreaterThan(1e-2f);
    }

    @Test
    void segmentationVariantReproducesTheReferenceMaskTransposed() throws Exception {
        float[] expected = reference.floats("seg_logits.f32"); // [B, 2, x, y]
        float[] actual = forward(segmentation.saved().directory())[1]; // [B, 2, y, x]
        int size = ReferenceNetwork.SIZE;
        assertThat(actual).hasSize(expected.length);
        float worst = 0;
        for (int bc = 0; bc < B * 2; bc++) {
            for (int x = 0; x < size; x++) {
                for (int y = 0; y < size; y++) {
                    float theirs = expected[(bc * size + x) * size + y];
                    float mine = actual[(bc * size + y) * size + x];
                    worst = Math.max(worst, Math.abs(theirs - mine));
                }
            }
        }
        assertThat(worst).as("largest mask logit difference").isLessThan(1e-3f);
    }

    @Test
    void importedModelsRecordSourceVariantAndConventions() throws Exception {
        assertThat(classification.variant()).isEqualTo(ReferenceImport.Variant.CLASSIFICATION);
        assertThat(classification.heads()).isEqualTo(new ModelHeads(true, false));
        assertThat(classification.tensors()).isEqualTo(223);
        assertThat(classification.values()).isEqualTo(1_923_466L);
        assertThat(segmentation.variant()).isEqualTo(ReferenceImport.Variant.SEGMENTATION);
        assertThat(segmentation.heads()).isEqualTo(new ModelHeads(false, true));
        assertThat(segmentation.tensors()).isEqualTo(253); // 257 entries less 4 num_batches_tracked

        Path seg = segmentation.saved().directory();
        FmFormerConfig config = FmFormerModel.configIn(seg);
        assertThat(config.samplingRate()).isEqualTo(18);
        assertThat(config.classHeads()).isFalse();
        assertThat(config.denseHead()).isTrue();
        assertThat(config.videoRawEpsilon()).isCloseTo(1e-5f / (255f * 255f), within(1e-15f));
        assertThat(config.currentRawEpsilon()).isCloseTo(1e-5f / 1e6f, within(1e-18f));

        Properties provenance = new Properties();
        try (InputStream in = Files.newInputStream(seg.resolve(ReferenceImport.PROVENANCE_FILE))) {
            provenance.load(in);
        }
        assertThat(provenance.getProperty("source.sha256")).isEqualTo(FmFormerModel.sha256(reference.file("seg.pth")));
        assertThat(provenance.getProperty("variant")).isEqualTo("segmentation");
        assertThat(provenance.getProperty("heads")).isEqualTo("mask only");
        assertThat(DecisionRule.read(seg)).isEqualTo(new DecisionRule(0.5, 1));
        assertThat(DecisionRule.read(classification.saved().directory())).isEqualTo(DecisionRule.REFERENCE);
    }

    @Test
    void predictorAnswersWithTheHeadsEachVariantHas() throws Exception {
        PredictorConfig config = new PredictorConfig(DeviceChoice.CPU, B, 2, 0);
        try (FmFormerPredictor cls = FmFormerPredictor.open(
                     ModelSource.of(classification.saved().directory(), null, null), config);
             FmFormerPredictor seg = FmFormerPredictor.open(
                     ModelSource.of(segmentation.saved().directory(), null, null), config)) {
            List<WindowScore> classScores = cls.predict(tokens, B);
            float[] logits = reference.floats("cls_logits.f32");
            for (int b = 0; b < B; b++) {
                WindowScore s = classScores.get(b);
                double expected = 1 / (1 + Math.exp(logits[2 * b] - logits[2 * b + 1]));
                assertThat(s.anomalyProbability()).isCloseTo((float) expected, within(1e-4f));
                assertThat(s.maskProbabilities()).as("a class-only model gives no mask").isEmpty();
            }
            List<WindowScore> maskScores = seg.predict(tokens, B);
            for (int b = 0; b < B; b++) {
                WindowScore s = maskScores.get(b);
                assertThat(s.maskProbabilities()).hasSize(64 * 64);
                float max = 0;
                for (float p : s.maskProbabilities()) {
                    max = Math.max(max, p);
                }
                assertThat(s.anomalyProbability()).as("mask-only: P is the most anomalous pixel's").isEqualTo(max);
                assertThat(s.videoLogits()).containsExactly(0f, 0f);
            }
        }
    }

    @Test
    void anotherNetworksStateDictIsRefusedByName() {
        assertThatThrownBy(() -> ReferenceImport.run(reference.file("other.pth"), dir.resolve("other-model"),
                FmFormerConfig.fmformerS(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a state_dict of the reference FmFormer")
                .hasMessageContaining("neither")
                .hasMessageContaining("0.weight");
        assertThat(dir.resolve("other-model")).doesNotExist();
    }

    @Test
    void missingAndUnknownKeysAreListedTogether() {
        assertThatThrownBy(() -> ReferenceImport.run(reference.file("broken.pth"), dir.resolve("broken-model"),
                FmFormerConfig.fmformerS(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 missing key(s): [pos_embedding2]")
                .hasMessageContaining("1 unknown key(s): [extra.weight]");
    }

    @Test
    void aCheckpointOfOtherSizesIsRefusedWithItsShapes() {
        // The released weights are D=96; a network of the same depth but D=64 must not take them.
        FmFormerConfig narrow = new FmFormerConfig("narrow", 64, 6, 2, 32, 256, 2, List.of(128, 64, 32),
                10, 64, 8, 2, 3, 240, 3, Modality.CROSS_MODAL, false);
        assertThatThrownBy(() -> ReferenceImport.run(reference.file("cls.pth"), dir.resolve("xs-model"), narrow, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another shape")
                .hasMessageContaining("cls_token1 [1, 1, 96] (needs [1, 1, 64])");
    }

    @Test
    void aFileThatIsNoZipIsRefusedClearly() throws Exception {
        Path notZip = dir.resolve("legacy.pth");
        Files.write(notZip, new byte[] {(byte) 0x80, 0x02, 'N', '.'});
        assertThatThrownBy(() -> ReferenceImport.run(notZip, dir.resolve("legacy-model"), FmFormerConfig.fmformerS(), 1))
                .hasMessageContaining("is not a PyTorch zip checkpoint");
    }
}
