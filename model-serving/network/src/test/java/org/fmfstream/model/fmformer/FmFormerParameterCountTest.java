package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import org.junit.jupiter.api.Test;

/**
 * Trainable parameter counts (PyTorch's convention: batch-norm running statistics are buffers, not
 * parameters), derived by hand from the layer sizes of the released configuration.
 */
class FmFormerParameterCountTest {

    // fmformer-s: D = 96, heads × headDim = 96, MLP 384, patch 384 values, 3 current phases.
    private static final long D = 96;
    private static final long INNER = 96;
    private static final long MLP = 384;
    private static final long PATCH = 384;

    /** LayerNorm over n features: scale and shift. */
    private static long norm(long n) {
        return 2 * n;
    }

    /** Linear in → out with bias. */
    private static long linear(long in, long out) {
        return in * out + out;
    }

    /**
     * Classification variant, by hand:
     * <pre>
     * standard embedding  norm(384) + linear(384,96) + norm(96) + position 321·96 + class 96 = 68,832
     * dilated embedding   norm(384) + linear(384,96) + norm(96) + position  80·96           = 45,600
     * current embedding   norm(3)   + linear(3,96)   + norm(96) + position 241·96 + class 96 = 23,814
     * per layer:
     *   self-attention ×2   norm(96) + QKV 96·288 (no bias) + linear(96,96)      = 2 × 37,152
     *   cross-attention     2 × (norm(96) + QKV 96·288 + linear(96,96))          =     74,304
     *   feed-forward ×2     norm(96) + linear(96,384) + linear(384,96)           = 2 × 74,400
     *   layer total                                                                = 297,408
     * 6 layers                                                                     = 1,784,448
     * heads ×2            norm(96) + linear(96,2)                                 = 2 × 194
     * total                                                                        = 1,923,466
     * </pre>
     * i.e. the "about 1.9 M" the reference states.
     */
    private static final long FMFORMER_S_CLASSIFICATION =
            (norm(PATCH) + linear(PATCH, D) + norm(D) + 321 * D + D)
                    + (norm(PATCH) + linear(PATCH, D) + norm(D) + 80 * D)
                    + (norm(3) + linear(3, D) + norm(D) + 241 * D + D)
                    + 6 * (2 * (norm(D) + D * 3 * INNER + linear(INNER, D))
                            + 2 * (norm(D) + D * 3 * INNER + linear(INNER, D))
                            + 2 * (norm(D) + linear(D, MLP) + linear(MLP, D)))
                    + 2 * (norm(D) + linear(D, 2));

    /** Convolution in → out with a k×k kernel and bias. */
    private static long conv(long in, long out, long k) {
        return in * out * k * k + out;
    }

    /** One ×2 stage to c channels: transposed conv (k 2) + residual unit (batch norm, 3×3 conv). */
    private static long stage(long in, long c) {
        return conv(in, c, 2) + norm(c) + conv(c, c, 3);
    }

    /**
     * Dense head, by hand: two 1×1 folds 480→96 (2 × 46,176), the dilated ×2 stage at 96
     * (120,192), stages to 128, 64, 32 (197,120 + 69,888 + 17,536) and the 1×1 classifier 32→2
     * (66) = 497,154.
     */
    private static final long DENSE_HEAD = 2 * conv(5 * D, D, 1)
            + stage(D, D) + stage(D, 128) + stage(128, 64) + stage(64, 32)
            + conv(32, 2, 1);

    @Test
    void fmformerSClassificationHasTheHandDerivedCount() {
        assertThat(FMFORMER_S_CLASSIFICATION).isEqualTo(1_923_466L);
        long count = count(FmFormerConfig.fmformerS());
        System.out.printf("fmformer-s classification: %,d trainable parameters%n", count);
        assertThat(count).isEqualTo(FMFORMER_S_CLASSIFICATION).isBetween(1_850_000L, 1_950_000L);
    }

    @Test
    void denseHeadAddsTheHandDerivedCount() {
        assertThat(DENSE_HEAD).isEqualTo(497_154L);
        long count = count(FmFormerConfig.fmformerS().withDenseHead(true));
        System.out.printf("fmformer-s with dense head: %,d trainable parameters%n", count);
        assertThat(count).isEqualTo(FMFORMER_S_CLASSIFICATION + DENSE_HEAD);
    }

    @Test
    void smallPresetIsSmaller() {
        long classification = count(FmFormerConfig.fmformerXs());
        long dense = count(FmFormerConfig.fmformerXs().withDenseHead(true));
        System.out.printf("fmformer-xs: %,d trainable parameters, %,d with dense head%n", classification, dense);
        assertThat(classification).isLessThan(FMFORMER_S_CLASSIFICATION / 2);
        assertThat(dense).isGreaterThan(classification);
    }

    private static long count(FmFormerConfig config) {
        try (Model model = FmFormerModel.create(config, 1)) {
            return FmFormerModel.trainableParameterCount(model.getBlock());
        }
    }
}
