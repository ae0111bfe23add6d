package org.fmfstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class TrainingLossesTest {

    private static double logSoftmax(double own, double other) {
        return own - Math.log(Math.exp(own) + Math.exp(other));
    }

    @Test
    void classCrossEntropyIsTheMeanNegativeLogLikelihood() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.create(new float[] {2f, -1f, 0.5f, 1.5f}, new Shape(2, 2));
            NDArray labels = m.create(new int[] {0, 1});
            double expected = -(logSoftmax(2, -1) + logSoftmax(1.5, 0.5)) / 2;
            assertThat(TrainingLosses.classCrossEntropy(logits, labels).getFloat()).isCloseTo((float) expected,
                    within(1e-5f));
        }
    }

    @Test
    void pixelCrossEntropyWeighsAbnormalPixelsAsConfigured() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // One sample, 1x2 pixels: pixel 0 normal with logits (1, 0), pixel 1 abnormal with (0, 2).
            NDArray logits = m.create(new float[] {1f, 0f, 0f, 2f}, new Shape(1, 2, 1, 2));
            NDArray masks = m.create(new int[] {0, 1}, new Shape(1, 1, 2));
            double nll0 = -logSoftmax(1, 0);
            double nll1 = -logSoftmax(2, 0);
            double weighted = (nll0 + 4 * nll1) / 5;
            assertThat(TrainingLosses.pixelCrossEntropy(logits, masks, 4f).getFloat())
                    .isCloseTo((float) weighted, within(1e-5f));
            assertThat(TrainingLosses.pixelCrossEntropy(logits, masks, 1f).getFloat())
                    .isCloseTo((float) ((nll0 + nll1) / 2), within(1e-5f));
        }
    }

    @Test
    void softDiceIsSmallForAGoodMaskAndLargeForAMissedSpot() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] truth = new float[64];
            float[] good = new float[2 * 64];
            float[] missed = new float[2 * 64];
            for (int i = 0; i < 64; i++) {
                boolean spot = i >= 20 && i < 30;
                truth[i] = spot ? 1 : 0;
                good[i] = spot ? -8 : 8;          // normal-class logits
                good[64 + i] = spot ? 8 : -8;     // abnormal-class logits
                missed[i] = 8;
                missed[64 + i] = -8;
            }
            NDArray masks = m.create(truth, new Shape(1, 8, 8)).toType(ai.djl.ndarray.types.DataType.INT32, false);
            float goodLoss = TrainingLosses.softDice(m.create(good, new Shape(1, 2, 8, 8)), masks).getFloat();
            float missedLoss = TrainingLosses.softDice(m.create(missed, new Shape(1, 2, 8, 8)), masks).getFloat();
            // Perfect overlap of 10 pixels: 1 - 21/21 = 0; nothing predicted: 1 - 1/11.
            assertThat(goodLoss).isCloseTo(0f, within(1e-3f));
            assertThat(missedLoss).isCloseTo(1f - 1f / 11f, within(1e-3f));
        }
    }

    @Test
    void supervisedContrastiveLossMatchesTheFormulaAndRewardsSameLabelAgreement() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // Samples 0 and 1 (label 0) point the same way, sample 2 (label 1) is orthogonal; tau = 1.
            // Anchors 0 and 1: -log(e^1 / (e^1 + e^0)); anchor 2 has no positive and is left out.
            NDArray aligned = m.create(new float[] {2, 0, 1, 0, 0, 3}, new Shape(3, 2));
            NDArray labels = m.create(new int[] {0, 0, 1});
            double expected = Math.log(1 + Math.exp(-1));
            assertThat(TrainingLosses.supervisedContrastive(aligned, labels, 1f).getFloat())
                    .isCloseTo((float) expected, within(1e-5f));
            // Same-label tokens apart and different-label tokens together cost more.
            NDArray crossed = m.create(new float[] {1, 0, 0, 1, 1, 0}, new Shape(3, 2));
            assertThat(TrainingLosses.supervisedContrastive(crossed, labels, 1f).getFloat())
                    .isGreaterThan((float) expected + 0.5f);
            // No anchor with a positive: nothing to pull together.
            assertThat(TrainingLosses.supervisedContrastive(aligned, m.create(new int[] {0, 1, 2}), 1f).getFloat())
                    .isZero();
        }
    }
}
