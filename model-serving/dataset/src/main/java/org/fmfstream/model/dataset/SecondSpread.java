package org.fmfstream.model.dataset;

/**
 * Turns second-resolution timestamps into event times. The CSVs give every row the wall-clock second
 * it fell in (about 25 frames, or 2 current readings, share one); rows of a run sharing second
 * {@code s} are spread evenly over it: row k of n gets {@code s + k/n}. So the two current readings
 * of a second land on s and s + 0.5 s, and frames keep their order with distinct times.
 */
public final class SecondSpread {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private SecondSpread() {}

    /** Event times in microseconds since the epoch, one per row, for rows given as epoch seconds. */
    public static long[] toMicros(long[] epochSeconds) {
        long[] micros = new long[epochSeconds.length];
        int runStart = 0;
        while (runStart < epochSeconds.length) {
            int runEnd = runStart + 1;
            while (runEnd < epochSeconds.length && epochSeconds[runEnd] == epochSeconds[runStart]) {
                runEnd++;
            }
            int n = runEnd - runStart;
            long base = epochSeconds[runStart] * MICROS_PER_SECOND;
            for (int k = 0; k < n; k++) {
                micros[runStart + k] = base + k * MICROS_PER_SECOND / n;
            }
            runStart = runEnd;
        }
        return micros;
    }
}
