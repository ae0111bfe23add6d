package org.fmfstream.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Window-level (class) metrics of a set of samples, each a true label (abnormal or not) and the
 * model's abnormal probability. A sample is predicted abnormal when its probability is
 * {@code >= threshold}. "Positive" means abnormal throughout.
 *
 * <ul>
 * <li>accuracy = (TP + TN) / N</li>
 * <li>precision = TP / (TP + FP)</li>
 * <li>recall = TP / (TP + FN)</li>
 * <li>F1 = 2TP / (2TP + FP + FN) (the harmonic mean of precision and recall, written so that it is
 * 0, not undefined, when there are abnormal samples but none is predicted)</li>
 * <li>false-detection rate (FDR) = FP / (FP + TN), the share of normal samples raised as alarms</li>
 * <li>missed-detection rate (MDR) = FN / (FN + TP), the share of abnormal samples missed</li>
 * <li>AUROC = the Mann-Whitney probability that a random abnormal sample scores above a random
 * normal one, ties counting one half; independent of the threshold</li>
 * </ul>
 *
 * A rate whose denominator is 0 is {@link Double#NaN} (see {@link Ratio}); AUROC is NaN when either
 * class is absent.
 */
public final class ClassificationMetrics {

    private final double threshold;
    private final long truePositives;
    private final long falsePositives;
    private final long trueNegatives;
    private final long falseNegatives;
    private final double auroc;
    private final PrecisionRecallCurve curve;

    private ClassificationMetrics(double threshold, long tp, long fp, long tn, long fn, double auroc,
            PrecisionRecallCurve curve) {
        this.threshold = threshold;
        this.truePositives = tp;
        this.falsePositives = fp;
        this.trueNegatives = tn;
        this.falseNegatives = fn;
        this.auroc = auroc;
        this.curve = curve;
    }

    /**
     * Metrics of the samples {@code (abnormal[i], probability[i])}.
     *
     * @param threshold predicted abnormal when probability &gt;= threshold; finite
     * @throws IllegalArgumentException on an empty set, arrays of different lengths, a threshold
     *         that is not finite, or a probability that is NaN or outside [0, 1] (named by index)
     */
    public static ClassificationMetrics of(boolean[] abnormal, double[] probability, double threshold) {
        Objects.requireNonNull(abnormal, "abnormal");
        Objects.requireNonNull(probability, "probability");
        return of(abnormal, probability, abnormal.length, threshold);
    }

    /** As {@link #of(boolean[], double[], double)} over the first {@code count} entries. */
    static ClassificationMetrics of(boolean[] abnormal, double[] probability, int count, double threshold) {
        if (abnormal.length != probability.length) {
            throw new IllegalArgumentException("labels and probabilities differ in length: "
                    + abnormal.length + " labels, " + probability.length + " probabilities");
        }
        if (count == 0) {
            throw new IllegalArgumentException("no samples: metrics of an empty set are undefined");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite, got " + threshold);
        }
        int positives = 0;
        for (int i = 0; i < count; i++) {
            checkProbability(probability[i], i);
            if (abnormal[i]) {
                positives++;
            }
        }
        // Each class's scores, sorted ascending: both AUROC and the PR curve are walks over these.
        double[] pos = new double[positives];
        double[] neg = new double[count - positives];
        long tp = 0;
        long fp = 0;
        for (int i = 0, p = 0, n = 0; i < count; i++) {
            boolean predicted = probability[i] >= threshold;
            if (abnormal[i]) {
                pos[p++] = probability[i];
                tp += predicted ? 1 : 0;
            } else {
                neg[n++] = probability[i];
                fp += predicted ? 1 : 0;
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        long fn = positives - tp;
        long tn = neg.length - fp;
        return new ClassificationMetrics(threshold, tp, fp, tn, fn, auroc(pos, neg), curve(pos, neg));
    }

    static void checkProbability(double p, int index) {
        if (Double.isNaN(p) || p < 0 || p > 1) {
            throw new IllegalArgumentException("probability of sample " + index + " is " + p
                    + ", expected a number in [0, 1]");
        }
    }

    /**
     * Mann-Whitney U / (nPos * nNeg): for each abnormal score, the normal scores strictly below it
     * count 1 and those equal to it count 1/2. Both arrays are sorted ascending, so one pass of two
     * pointers over the normal scores serves all the abnormal ones.
     */
    private static double auroc(double[] pos, double[] neg) {
        if (pos.length == 0 || neg.length == 0) {
            return Double.NaN;
        }
        double u = 0;
        int below = 0;
        int belowOrEqual = 0;
        for (double score : pos) {
            while (below < neg.length && neg[below] < score) {
                below++;
            }
            if (belowOrEqual < below) {
                belowOrEqual = below;
            }
            while (belowOrEqual < neg.length && neg[belowOrEqual] == score) {
                belowOrEqual++;
            }
            u += below + 0.5 * (belowOrEqual - below);
        }
        return u / ((double) pos.length * neg.length);
    }

    /** One point per distinct score, walking both sorted arrays from the top. */
    private static PrecisionRecallCurve curve(double[] pos, double[] neg) {
        if (pos.length == 0) {
            return new PrecisionRecallCurve(List.of(), Double.NaN);
        }
        List<PrecisionRecallCurve.Point> points = new ArrayList<>();
        points.add(new PrecisionRecallCurve.Point(Double.POSITIVE_INFINITY, 0, 1));
        int p = pos.length - 1;
        int n = neg.length - 1;
        long tp = 0;
        long fp = 0;
        double previousRecall = 0;
        double ap = 0;
        while (p >= 0 || n >= 0) {
            double t = Math.max(p >= 0 ? pos[p] : Double.NEGATIVE_INFINITY, n >= 0 ? neg[n] : Double.NEGATIVE_INFINITY);
            while (p >= 0 && pos[p] == t) {
                tp++;
                p--;
            }
            while (n >= 0 && neg[n] == t) {
                fp++;
                n--;
            }
            double recall = (double) tp / pos.length;
            double precision = (double) tp / (tp + fp);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            points.add(new PrecisionRecallCurve.Point(t, recall, precision));
        }
        return new PrecisionRecallCurve(points, ap);
    }

    public double threshold() {
        return threshold;
    }

    public long samples() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    /** Abnormal samples in the set. */
    public long positives() {
        return truePositives + falseNegatives;
    }

    public long truePositives() {
        return truePositives;
    }

    public long falsePositives() {
        return falsePositives;
    }

    public long trueNegatives() {
        return trueNegatives;
    }

    public long falseNegatives() {
        return falseNegatives;
    }

    public double accuracy() {
        return Ratio.of(truePositives + trueNegatives, samples());
    }

    public double precision() {
        return Ratio.of(truePositives, truePositives + falsePositives);
    }

    public double recall() {
        return Ratio.of(truePositives, truePositives + falseNegatives);
    }

    public double f1() {
        return Ratio.of(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
    }

    /** FP / (FP + TN). */
    public double falseDetectionRate() {
        return Ratio.of(falsePositives, falsePositives + trueNegatives);
    }

    /** FN / (FN + TP). */
    public double missedDetectionRate() {
        return Ratio.of(falseNegatives, falseNegatives + truePositives);
    }

    public double auroc() {
        return auroc;
    }

    public PrecisionRecallCurve precisionRecallCurve() {
        return curve;
    }

    public double averagePrecision() {
        return curve.averagePrecision();
    }

    @Override
    public String toString() {
        return "ClassificationMetrics[n=" + samples() + ", threshold=" + threshold + ", TP=" + truePositives
                + ", FP=" + falsePositives + ", TN=" + trueNegatives + ", FN=" + falseNegatives
                + ", auroc=" + auroc + "]";
    }
}
