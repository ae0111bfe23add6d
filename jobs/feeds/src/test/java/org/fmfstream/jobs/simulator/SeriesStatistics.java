package org.fmfstream.jobs.simulator;

import java.util.Arrays;

/** Statistics of measured series that several simulator tests share. */
final class SeriesStatistics {
    private SeriesStatistics() {}

    /** Pearson correlation of two equally long series. */
    static double correlation(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElseThrow();
        double mb = Arrays.stream(b).average().orElseThrow();
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
