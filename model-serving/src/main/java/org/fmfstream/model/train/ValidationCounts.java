package org.fmfstream.model.train;

/** Running confusion counts, pixel overlap and loss sum of a validation pass. */
final class ValidationCounts {
    private long truePositives;
    private long falsePositives;
    private long trueNegatives;
    private long falseNegatives;
    private long pixelIntersection;
    private long pixelUnion;
    private double lossSum;
    private int batches;

    void addClasses(int[] predicted, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            boolean p = predicted[i] == 1;
            boolean t = labels[i] == 1;
            if (p && t) {
                truePositives++;
            } else if (p) {
                falsePositives++;
            } else if (t) {
                falseNegatives++;
            } else {
                trueNegatives++;
            }
        }
    }

    void addPixels(long intersection, long union) {
        pixelIntersection += intersection;
        pixelUnion += union;
    }

    void addLoss(double batchLoss) {
        lossSum += batchLoss;
        batches++;
    }

    ValidationMetrics metrics(boolean withPixels) {
        long n = truePositives + falsePositives + trueNegatives + falseNegatives;
        double precision = ratio(truePositives, truePositives + falsePositives);
        double recall = ratio(truePositives, truePositives + falseNegatives);
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall)
                : (truePositives + falsePositives + falseNegatives == 0 ? Double.NaN : 0);
        return new ValidationMetrics((int) n, batches == 0 ? Double.NaN : lossSum / batches,
                ratio(truePositives + trueNegatives, n), precision, recall, f1,
                withPixels ? ratio(pixelIntersection, pixelUnion) : Double.NaN);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
