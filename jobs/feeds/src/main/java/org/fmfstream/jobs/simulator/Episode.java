package org.fmfstream.jobs.simulator;

/**
 * One anomaly: a burn-through hot spot on the furnace shell. Times are true times, i.e. the PLC clock
 * (camera timestamps of the same moment differ by the furnace's clock skew). The spot is an ellipse
 * centred at ({@code centerX}, {@code centerY}) in pixel coordinates (0,0 = top-left corner of the
 * top-left pixel) that grows from 30% to 100% of {@code peakRadius} over {@code growthSeconds} while
 * brightening, and stays until the episode ends.
 *
 * @param index              0-based number of the episode within its furnace
 * @param startMicros        first moment the spot exists (inclusive)
 * @param endMicros          end of the episode (exclusive)
 * @param centerX            spot centre, pixels from the left edge
 * @param centerY            spot centre, pixels from the top edge
 * @param peakRadius         semi-major axis at full size, pixels
 * @param aspect             semi-minor / semi-major axis, 0..1
 * @param angleRadians       orientation of the major axis
 * @param growthSeconds      time to reach full size and brightness
 * @param currentStartMicros the electrode current changes regime from here (start - lead) ...
 * @param currentEndMicros   ... until here (end - lead)
 */
public record Episode(int index, long startMicros, long endMicros, double centerX, double centerY,
                      double peakRadius, double aspect, double angleRadians, double growthSeconds,
                      long currentStartMicros, long currentEndMicros) {

    public boolean activeAt(long trueMicros) {
        return trueMicros >= startMicros && trueMicros < endMicros;
    }

    public boolean currentRegimeAt(long trueMicros) {
        return trueMicros >= currentStartMicros && trueMicros < currentEndMicros;
    }

    public double lengthSeconds() {
        return (endMicros - startMicros) / 1e6;
    }

    /** 0 at the start, 1 once grown; smooth so that the spot does not pop. */
    public double growthAt(long trueMicros) {
        double x = (trueMicros - startMicros) / 1e6 / growthSeconds;
        x = Math.max(0, Math.min(1, x));
        return x * x * (3 - 2 * x);
    }

    /** Semi-major axis at this moment, pixels. */
    public double radiusAt(long trueMicros) {
        return peakRadius * (0.3 + 0.7 * growthAt(trueMicros));
    }

    /** Glow strength 0..1 at this moment: a young spot is dim. */
    public double intensityAt(long trueMicros) {
        return 0.3 + 0.7 * growthAt(trueMicros);
    }
}
