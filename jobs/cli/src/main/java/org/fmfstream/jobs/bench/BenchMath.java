package org.fmfstream.jobs.bench;

import java.util.Arrays;

/** The arithmetic of {@code ./fmf bench pipeline}, kept pure so that it can be tested. */
public final class BenchMath {
    private BenchMath() {}

    /**
     * Nearest-rank percentile ({@code p} in (0, 100]) of {@code values}: the smallest value with at
     * least p % of the values at or below it. No interpolation: every figure printed was measured.
     */
    public static long percentile(long[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    /**
     * Sustained rate of {@code count} outputs whose first was written at {@code firstMillis} and last
     * at {@code lastMillis}: (count - 1) intervals over the span, so start-up (model load) is not in it.
     */
    public static double perSecond(long count, long firstMillis, long lastMillis) {
        if (count < 2 || lastMillis <= firstMillis) {
            throw new IllegalArgumentException("need at least two outputs over a positive span, got " + count
                    + " over " + (lastMillis - firstMillis) + " ms");
        }
        return (count - 1) * 1000.0 / (lastMillis - firstMillis);
    }

    /**
     * Sustained rate from the emit times of a run's outputs: the outputs after the first batch over the
     * span from the first batch to the last output. The first batch's outputs (those within
     * {@code sameBatchMillis} of the first) carry the time the pipeline filled and the model was
     * loaded, not its rate, so only the span after them counts, and only what was produced in it.
     */
    public static double sustainedPerSecond(long[] emitMillis, long sameBatchMillis) {
        if (emitMillis.length == 0) {
            throw new IllegalArgumentException("no outputs");
        }
        long[] sorted = emitMillis.clone();
        Arrays.sort(sorted);
        long first = sorted[0];
        int firstBatch = 0;
        while (firstBatch < sorted.length && sorted[firstBatch] - first <= sameBatchMillis) {
            firstBatch++;
        }
        long last = sorted[sorted.length - 1];
        if (firstBatch == sorted.length || last <= first) {
            throw new IllegalArgumentException("all " + sorted.length + " outputs came out in one batch");
        }
        return (sorted.length - firstBatch) * 1000.0 / (last - first);
    }

    /**
     * How many batches the outputs came out in: runs of emit times each within {@code sameBatchMillis}
     * of the previous one. An estimate (two batches closer than that count as one), good enough to
     * tell full batches from small ones.
     */
    public static int batches(long[] emitMillis, long sameBatchMillis) {
        long[] sorted = emitMillis.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] - sorted[i - 1] > sameBatchMillis) {
                n++;
            }
        }
        return n;
    }

    /** {@code numerator / denominator}; NaN when the denominator is not positive. */
    public static double ratio(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : Double.NaN;
    }

    /** The latency goal: a partial batch waits at most the timeout, then at most two batches run before it. */
    public static double latencyGoalMillis(double batchTimeoutMillis, double batchInferenceMillis) {
        return batchTimeoutMillis + 2 * batchInferenceMillis;
    }
}
