package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * A mean-reverting random walk (Ornstein-Uhlenbeck) stepped exactly for any time step, so the same
 * process looks the same at 25 fps, at 1 fps or at 2 Hz.
 */
final class Wander {
    private final double mean;
    private final double sigma;
    private final double tauSeconds;
    private double value;

    /** Starts at a random point of its stationary distribution. */
    Wander(double mean, double sigma, double tauSeconds, SplittableRandom rng) {
        this.mean = mean;
        this.sigma = sigma;
        this.tauSeconds = tauSeconds;
        this.value = mean + sigma * rng.nextGaussian();
    }

    /** Advances by {@code dt} seconds with the innovations scaled by {@code volatility} (1 = normal). */
    double step(double dtSeconds, double volatility, SplittableRandom rng) {
        double a = Math.exp(-dtSeconds / tauSeconds);
        value = mean + (value - mean) * a + volatility * sigma * Math.sqrt(1 - a * a) * rng.nextGaussian();
        return value;
    }

    double step(double dtSeconds, SplittableRandom rng) {
        return step(dtSeconds, 1, rng);
    }

    double value() {
        return value;
    }
}
