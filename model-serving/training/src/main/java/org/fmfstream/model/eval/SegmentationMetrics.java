package org.fmfstream.model.eval;

import java.util.Objects;

/**
 * Pixel-level metrics accumulated over many masks: one confusion matrix of pixels summed over every
 * mask added, so each metric is dataset-level (summed intersections over summed unions, as the
 * reference computes its mean IoU), not an average of per-mask scores, which would let the many
 * masks with no abnormal pixel at all swamp the few that matter.
 *
 * <p>A pixel is predicted abnormal when its abnormal probability is {@code >= 0.5}; truth is the
 * 0/1 mask (1 = abnormal). With TP, FP, TN, FN counted over pixels (positive = abnormal):
 * <ul>
 * <li>pixel accuracy = (TP + TN) / pixels</li>
 * <li>anomaly IoU = TP / (TP + FP + FN)</li>
 * <li>normal IoU = TN / (TN + FN + FP)</li>
 * <li>mean IoU = the mean of the two class IoUs; a class whose union is empty (never present and
 * never predicted) has an undefined IoU (NaN) and is left out of the mean</li>
 * </ul>
 *
 * <p>{@link #add} allocates nothing, so it can run once per window inside an evaluation loop. Not
 * thread-safe: give each thread its own accumulator and {@link #merge} them.
 */
public final class SegmentationMetrics {

    /** Probability at and above which a pixel is predicted abnormal. */
    public static final float PIXEL_THRESHOLD = 0.5f;

    private final int pixelsPerMask;
    private long masks;
    private long truePositives;
    private long falsePositives;
    private long trueNegatives;
    private long falseNegatives;

    /** An accumulator for the benchmark's 64x64 masks. */
    public SegmentationMetrics() {
        this(64 * 64);
    }

    public SegmentationMetrics(int pixelsPerMask) {
        if (pixelsPerMask <= 0) {
            throw new IllegalArgumentException("pixelsPerMask must be positive, got " + pixelsPerMask);
        }
        this.pixelsPerMask = pixelsPerMask;
    }

    /** Adds one mask: {@code pixelsPerMask} probabilities and as many 0/1 truth bytes. */
    public void add(float[] abnormalProbability, byte[] truth) {
        Objects.requireNonNull(abnormalProbability, "abnormalProbability");
        Objects.requireNonNull(truth, "truth");
        if (abnormalProbability.length != pixelsPerMask || truth.length != pixelsPerMask) {
            throw new IllegalArgumentException("mask sizes differ: " + abnormalProbability.length
                    + " probabilities and " + truth.length + " truth pixels, expected " + pixelsPerMask + " each");
        }
        add(abnormalProbability, 0, truth, 0);
    }

    /**
     * Adds one mask read from larger arrays (a batch's output map, a batch of targets), starting at
     * the given offsets. The mask's counts are added only when every pixel is valid, so a refused
     * mask leaves the totals as they were.
     *
     * @throws IllegalArgumentException on a range past an array's end, a NaN or out-of-[0, 1]
     *         probability, or a truth value other than 0 or 1 (the pixel is named)
     */
    public void add(float[] abnormalProbability, int probabilityOffset, byte[] truth, int truthOffset) {
        if (probabilityOffset < 0 || probabilityOffset > abnormalProbability.length - pixelsPerMask
                || truthOffset < 0 || truthOffset > truth.length - pixelsPerMask) {
            throw new IllegalArgumentException("a mask of " + pixelsPerMask + " pixels at offsets "
                    + probabilityOffset + " / " + truthOffset + " does not fit arrays of "
                    + abnormalProbability.length + " probabilities / " + truth.length + " truth pixels");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < pixelsPerMask; i++) {
            float p = abnormalProbability[probabilityOffset + i];
            byte t = truth[truthOffset + i];
            if (!(p >= 0f && p <= 1f)) {
                throw new IllegalArgumentException("pixel " + i + " of mask " + masks + ": abnormal probability is "
                        + p + ", expected a number in [0, 1]");
            }
            if (t != 0 && t != 1) {
                throw new IllegalArgumentException("pixel " + i + " of mask " + masks + ": truth is "
                        + (t & 0xFF) + ", expected 0 or 1");
            }
            boolean predicted = p >= PIXEL_THRESHOLD;
            if (t == 1) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            }
        }
        truePositives += tp;
        falsePositives += fp;
        falseNegatives += fn;
        trueNegatives += pixelsPerMask - tp - fp - fn;
        masks++;
    }

    /** Adds another accumulator's counts (e.g. one per thread) to this one. */
    public void merge(SegmentationMetrics other) {
        if (other.pixelsPerMask != pixelsPerMask) {
            throw new IllegalArgumentException("cannot merge masks of " + other.pixelsPerMask
                    + " pixels into an accumulator of " + pixelsPerMask);
        }
        masks += other.masks;
        truePositives += other.truePositives;
        falsePositives += other.falsePositives;
        trueNegatives += other.trueNegatives;
        falseNegatives += other.falseNegatives;
    }

    /** An independent accumulator with the same counts (a report keeps a snapshot). */
    public SegmentationMetrics copy() {
        SegmentationMetrics c = new SegmentationMetrics(pixelsPerMask);
        c.merge(this);
        return c;
    }

    public int pixelsPerMask() {
        return pixelsPerMask;
    }

    public long masks() {
        return masks;
    }

    public long pixels() {
        return masks * pixelsPerMask;
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

    /** (TP + TN) / pixels; NaN before the first mask. */
    public double pixelAccuracy() {
        return Ratio.of(truePositives + trueNegatives, pixels());
    }

    /** TP / (TP + FP + FN). */
    public double anomalyIoU() {
        return Ratio.of(truePositives, truePositives + falsePositives + falseNegatives);
    }

    /** TN / (TN + FN + FP). */
    public double normalIoU() {
        return Ratio.of(trueNegatives, trueNegatives + falseNegatives + falsePositives);
    }

    /** Mean of the defined class IoUs; NaN before the first mask. */
    public double meanIoU() {
        double normal = normalIoU();
        double anomaly = anomalyIoU();
        if (Double.isNaN(normal)) {
            return anomaly;
        }
        if (Double.isNaN(anomaly)) {
            return normal;
        }
        return (normal + anomaly) / 2;
    }

    @Override
    public String toString() {
        return "SegmentationMetrics[masks=" + masks + ", TP=" + truePositives + ", FP=" + falsePositives
                + ", TN=" + trueNegatives + ", FN=" + falseNegatives + "]";
    }
}
