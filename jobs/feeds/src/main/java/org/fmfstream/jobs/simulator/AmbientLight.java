package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * Daylight and hall lighting drifting over minutes: a gain of about +-12% and a slight shift between
 * warm and cool, as a sum of slow sinusoids with per-furnace periods and phases. A detector has to
 * tolerate these changes rather than flag them.
 */
final class AmbientLight {
    private static final double[] BASE_PERIODS = {240, 570, 1030};
    private static final double[] WEIGHTS = {0.5, 0.3, 0.2};

    private final double[] omega = new double[BASE_PERIODS.length];
    private final double[] phase = new double[BASE_PERIODS.length];
    private final double warmOmega;
    private final double warmPhase;
    private final long originMicros;

    AmbientLight(long originMicros, SplittableRandom rng) {
        this.originMicros = originMicros;
        for (int k = 0; k < omega.length; k++) {
            omega[k] = 2 * Math.PI / (BASE_PERIODS[k] * (0.8 + 0.4 * rng.nextDouble()));
            phase[k] = 2 * Math.PI * rng.nextDouble();
        }
        warmOmega = 2 * Math.PI / (700 * (0.8 + 0.4 * rng.nextDouble()));
        warmPhase = 2 * Math.PI * rng.nextDouble();
    }

    /** Brightness multiplier around 1. */
    double gain(long trueMicros) {
        double t = (trueMicros - originMicros) / 1e6;
        double s = 0;
        for (int k = 0; k < omega.length; k++) {
            s += WEIGHTS[k] * Math.sin(omega[k] * t + phase[k]);
        }
        return 1 + 0.12 * s;
    }

    /** Colour temperature: positive = warmer (more red, less blue), a few percent at most. */
    double warmth(long trueMicros) {
        double t = (trueMicros - originMicros) / 1e6;
        return 0.04 * Math.sin(warmOmega * t + warmPhase);
    }
}
