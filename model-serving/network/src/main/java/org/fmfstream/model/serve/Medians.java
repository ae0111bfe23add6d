package org.fmfstream.model.serve;

import java.util.Arrays;

/** Median of timings: robust to the odd slow pass when other jobs share the cores. */
final class Medians {

    private Medians() {}

    static long of(long[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
