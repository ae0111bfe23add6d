package org.fmfstream.model.tokenize;

/**
 * Which real reading fills each step of a current window that has fewer readings than steps.
 *
 * <p>The reference picks {@code numpy.linspace(0, n - 1, steps).astype(int32)}. This transcribes
 * numpy's arithmetic rather than an exact rational formula so the same double rounding applies:
 * {@code step = (stop - start) / (steps - 1)}, value {@code k * step + start}, the last value
 * forced to {@code stop}, and a zero step handled as numpy does ({@code k / div * delta} = 0).
 * The cast truncates toward zero like {@code astype(int32)}; values are never negative.
 */
public final class CurrentStretch {

    private CurrentStretch() {
    }

    /**
     * Index of the real reading used for step {@code k}.
     *
     * @param k         step, 0 .. steps - 1
     * @param available real readings n, 1 .. steps
     * @param steps     window length
     */
    public static int sourceIndex(int k, int available, int steps) {
        if (available < 1 || available > steps) {
            throw new IllegalArgumentException("available readings must be in [1, " + steps + "], got " + available);
        }
        if (k < 0 || k >= steps) {
            throw new IllegalArgumentException("step must be in [0, " + (steps - 1) + "], got " + k);
        }
        if (steps == 1) {
            // linspace with num = 1 returns just start.
            return 0;
        }
        double start = 0.0;
        double stop = available - 1;
        if (k == steps - 1) {
            return (int) stop;
        }
        int div = steps - 1;
        double delta = stop - start;
        double step = delta / div;
        double value = step == 0.0 ? k / (double) div * delta : k * step;
        return (int) (value + start);
    }
}
