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

    /** {@code numerator / denominator}; NaN when the denominator is not positive. */
    public static double ratio(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : Double.NaN;
    }

    /** The latency goal: a partial batch waits at most the timeout, then at most two batches run before it. */
    public static double latencyGoalMillis(double batchTimeoutMillis, double batchInferenceMillis) {
        return batchTimeoutMillis + 2 * batchInferenceMillis;
    }
}
