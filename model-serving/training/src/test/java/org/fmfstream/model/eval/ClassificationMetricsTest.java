package org.fmfstream.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    private static final double EPS = 1e-12;

    /**
     * Ten samples, threshold 0.5:
     * abnormal scores 0.9 0.8 0.6 0.4      -> TP 3 (0.9, 0.8, 0.6), FN 1 (0.4)
     * normal scores   0.7 0.5 0.3 0.2 0.1 0.05 -> FP 2 (0.7, 0.5 since >= threshold), TN 4
     */
    @Test
    void confusionAndRatesOfASmallSet() {
        boolean[] y = {true, true, true, true, false, false, false, false, false, false};
        double[] p = {0.9, 0.8, 0.6, 0.4, 0.7, 0.5, 0.3, 0.2, 0.1, 0.05};
        ClassificationMetrics m = ClassificationMetrics.of(y, p, 0.5);

        assertThat(m.truePositives()).isEqualTo(3);
        assertThat(m.falseNegatives()).isEqualTo(1);
        assertThat(m.falsePositives()).isEqualTo(2);
        assertThat(m.trueNegatives()).isEqualTo(4);
        assertThat(m.samples()).isEqualTo(10);
        assertThat(m.positives()).isEqualTo(4);
        assertThat(m.accuracy()).isCloseTo(7.0 / 10, within(EPS));
        assertThat(m.precision()).isCloseTo(3.0 / 5, within(EPS));
        assertThat(m.recall()).isCloseTo(3.0 / 4, within(EPS));
        // 2*3 / (6 + 2 + 1)
        assertThat(m.f1()).isCloseTo(6.0 / 9, within(EPS));
        assertThat(m.falseDetectionRate()).isCloseTo(2.0 / 6, within(EPS));
        assertThat(m.missedDetectionRate()).isCloseTo(1.0 / 4, within(EPS));
        // Pairs (abnormal above normal) out of 4*6 = 24:
        // 0.9 -> 6, 0.8 -> 6, 0.6 -> 5 (not 0.7), 0.4 -> 4 (0.3 0.2 0.1 0.05) = 21
        assertThat(m.auroc()).isCloseTo(21.0 / 24, within(EPS));
    }

    @Test
    void thresholdIsInclusive() {
        ClassificationMetrics m = ClassificationMetrics.of(new boolean[] {true, false}, new double[] {0.3, 0.29}, 0.3);
        assertThat(m.truePositives()).isEqualTo(1);
        assertThat(m.trueNegatives()).isEqualTo(1);
    }

    @Test
    void tiedScoresCountHalfInAuroc() {
        // abnormal 0.8 beats both normals (2); abnormal 0.5 beats 0.2 (1) and ties 0.5 (1/2): 3.5 / 4
        boolean[] y = {true, false, true, false};
        double[] p = {0.5, 0.5, 0.8, 0.2};
        assertThat(ClassificationMetrics.of(y, p, 0.5).auroc()).isCloseTo(3.5 / 4, within(EPS));
    }

    @Test
    void allScoresEqualGiveAurocOneHalf() {
        boolean[] y = {true, true, false, false, false};
        double[] p = {0.4, 0.4, 0.4, 0.4, 0.4};
        assertThat(ClassificationMetrics.of(y, p, 0.5).auroc()).isCloseTo(0.5, within(EPS));
    }

    @Test
    void perfectAndInvertedRankings() {
        boolean[] y = {true, true, false, false};
        assertThat(ClassificationMetrics.of(y, new double[] {0.9, 0.6, 0.4, 0.1}, 0.5).auroc()).isEqualTo(1.0);
        assertThat(ClassificationMetrics.of(y, new double[] {0.1, 0.4, 0.6, 0.9}, 0.5).auroc()).isEqualTo(0.0);
    }

    /**
     * Scores 0.9 (abnormal), 0.8 (normal), 0.7 (abnormal), 0.6 (normal):
     * t=0.9: TP1 FP0 -> R 1/2, P 1
     * t=0.8: TP1 FP1 -> R 1/2, P 1/2
     * t=0.7: TP2 FP1 -> R 1,   P 2/3
     * t=0.6: TP2 FP2 -> R 1,   P 1/2
     * AP = 1/2 * 1 + 0 * 1/2 + 1/2 * 2/3 + 0 = 5/6
     */
    @Test
    void precisionRecallCurveAndAveragePrecision() {
        boolean[] y = {false, true, false, true};
        double[] p = {0.6, 0.7, 0.8, 0.9};
        PrecisionRecallCurve c = ClassificationMetrics.of(y, p, 0.5).precisionRecallCurve();

        assertThat(c.points()).containsExactly(
                new PrecisionRecallCurve.Point(Double.POSITIVE_INFINITY, 0, 1),
                new PrecisionRecallCurve.Point(0.9, 0.5, 1),
                new PrecisionRecallCurve.Point(0.8, 0.5, 0.5),
                new PrecisionRecallCurve.Point(0.7, 1, 2.0 / 3),
                new PrecisionRecallCurve.Point(0.6, 1, 0.5));
        assertThat(c.averagePrecision()).isCloseTo(5.0 / 6, within(EPS));
    }

    @Test
    void tiedScoresAreOnePointOfTheCurve() {
        // 0.7 holds one abnormal and one normal: a single step to R 1, P 1/2 after the 0.9 point.
        boolean[] y = {true, true, false};
        double[] p = {0.9, 0.7, 0.7};
        PrecisionRecallCurve c = ClassificationMetrics.of(y, p, 0.5).precisionRecallCurve();
        assertThat(c.points()).extracting(PrecisionRecallCurve.Point::threshold)
                .containsExactly(Double.POSITIVE_INFINITY, 0.9, 0.7);
        assertThat(c.points().get(2).precision()).isCloseTo(2.0 / 3, within(EPS));
        // AP = 1/2 * 1 + 1/2 * 2/3
        assertThat(c.averagePrecision()).isCloseTo(0.5 + 1.0 / 3, within(EPS));
    }

    @Test
    void zeroDenominatorsAreNaN() {
        // Only normal samples, none predicted abnormal: TN 3.
        ClassificationMetrics normals = ClassificationMetrics.of(new boolean[3], new double[] {0.1, 0.2, 0.3}, 0.5);
        assertThat(normals.accuracy()).isEqualTo(1.0);
        assertThat(normals.precision()).isNaN();
        assertThat(normals.recall()).isNaN();
        assertThat(normals.f1()).isNaN();
        assertThat(normals.missedDetectionRate()).isNaN();
        assertThat(normals.falseDetectionRate()).isEqualTo(0.0);
        assertThat(normals.auroc()).isNaN();
        assertThat(normals.averagePrecision()).isNaN();
        assertThat(normals.precisionRecallCurve().isEmpty()).isTrue();

        // Abnormal samples present, none predicted: precision undefined, but F1 is 0, not NaN.
        ClassificationMetrics missed = ClassificationMetrics.of(new boolean[] {true, false}, new double[] {0.2, 0.1}, 0.5);
        assertThat(missed.precision()).isNaN();
        assertThat(missed.recall()).isEqualTo(0.0);
        assertThat(missed.f1()).isEqualTo(0.0);
        assertThat(missed.missedDetectionRate()).isEqualTo(1.0);
        assertThat(missed.auroc()).isEqualTo(1.0);
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThatThrownBy(() -> ClassificationMetrics.of(new boolean[0], new double[0], 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> ClassificationMetrics.of(new boolean[2], new double[3], 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 labels, 3 probabilities");
        assertThatThrownBy(() -> ClassificationMetrics.of(new boolean[2], new double[] {0.1, Double.NaN}, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample 1 is NaN");
        assertThatThrownBy(() -> ClassificationMetrics.of(new boolean[1], new double[] {1.5}, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> ClassificationMetrics.of(new boolean[1], new double[] {0.5}, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
    }

    @Test
    void scoredSamplesGrowAndMatchTheArrayForm() {
        ScoredSamples s = new ScoredSamples();
        boolean[] y = new boolean[3000];
        double[] p = new double[3000];
        for (int i = 0; i < 3000; i++) {
            y[i] = i % 3 == 0;
            // Abnormal samples score from their index, so rankings overlap and the test is not trivial.
            p[i] = (i % 7) / 7.0 + (y[i] ? 0.1 : 0.0);
            s.add(y[i], p[i]);
        }
        ClassificationMetrics fromArrays = ClassificationMetrics.of(y, p, 0.5);
        ClassificationMetrics collected = s.metrics(0.5);
        assertThat(s.size()).isEqualTo(3000);
        assertThat(collected.truePositives()).isEqualTo(fromArrays.truePositives());
        assertThat(collected.falsePositives()).isEqualTo(fromArrays.falsePositives());
        assertThat(collected.auroc()).isEqualTo(fromArrays.auroc());
        assertThat(collected.precisionRecallCurve()).isEqualTo(fromArrays.precisionRecallCurve());

        assertThatThrownBy(() -> new ScoredSamples().metrics(0.5)).hasMessageContaining("empty");
        assertThatThrownBy(() -> s.add(true, Double.NaN)).hasMessageContaining("sample 3000 is NaN");
        // A refused sample leaves the collection as it was.
        assertThat(s.size()).isEqualTo(3000);
    }
}
