package org.fmfstream.model.eval;

import java.util.Arrays;

/**
 * Collects (label, abnormal probability) pairs one sample at a time, as an evaluation pass produces
 * them, in two growing primitive arrays (no boxing: a test split is a few hundred thousand windows),
 * and turns them into {@link ClassificationMetrics} at any threshold.
 */
public final class ScoredSamples {

    private boolean[] abnormal = new boolean[1024];
    private double[] probability = new double[1024];
    private int size;

    /**
     * @throws IllegalArgumentException when the probability is NaN or outside [0, 1], here rather
     *         than at the end of a long pass
     */
    public void add(boolean isAbnormal, double abnormalProbability) {
        ClassificationMetrics.checkProbability(abnormalProbability, size);
        if (size == abnormal.length) {
            abnormal = Arrays.copyOf(abnormal, size * 2);
            probability = Arrays.copyOf(probability, size * 2);
        }
        abnormal[size] = isAbnormal;
        probability[size] = abnormalProbability;
        size++;
    }

    public int size() {
        return size;
    }

    /** @throws IllegalArgumentException when nothing was added */
    public ClassificationMetrics metrics(double threshold) {
        return ClassificationMetrics.of(abnormal, probability, size, threshold);
    }
}
