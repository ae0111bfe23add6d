package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * The mist in front of the shell at one moment: a uniform haze plus soft patches drifting upwards
 * and sideways (steam rises and the hall air moves). The mist level from {@link MistWeather} sets
 * how thick the haze is, how many patches show and how opaque they are. The renderer blends each
 * pixel towards grey-white by the density this computes, which is what hides a hot spot: its
 * contrast against the shell shrinks by (1 - density).
 */
final class MistField {
    private static final int PATCHES = 8;
    /** Even the thickest mist lets a trace of the scene through. */
    private static final float MAX_DENSITY = 0.97f;

    private final ShellGeometry shell;
    private final double[] x = new double[PATCHES];
    private final double[] y = new double[PATCHES];
    private final double[] radius = new double[PATCHES];
    private final double[] vx = new double[PATCHES];
    private final double[] vy = new double[PATCHES];
    private final double[] amplitude = new double[PATCHES];

    MistField(ShellGeometry shell, SplittableRandom rng) {
        this.shell = shell;
        for (int k = 0; k < PATCHES; k++) {
            spawn(k, rng, true);
        }
    }

    private void spawn(int k, SplittableRandom rng, boolean anywhere) {
        double s = shell.scale();
        radius[k] = (10 + 16 * rng.nextDouble()) * s;
        vx[k] = (-1.5 + 3 * rng.nextDouble()) * s;
        vy[k] = -(0.5 + 1.5 * rng.nextDouble()) * s;
        amplitude[k] = 0.55 + 0.45 * rng.nextDouble();
        x[k] = rng.nextDouble() * shell.width();
        y[k] = anywhere ? rng.nextDouble() * shell.height() : shell.height() + radius[k] * rng.nextDouble();
    }

    void step(double dtSeconds, SplittableRandom rng) {
        for (int k = 0; k < PATCHES; k++) {
            x[k] += vx[k] * dtSeconds;
            y[k] += vy[k] * dtSeconds;
            boolean gone = y[k] + radius[k] < 0 || x[k] + radius[k] < 0 || x[k] - radius[k] > shell.width();
            if (gone) {
                spawn(k, rng, false);
            }
        }
    }

    /** Writes the mist density 0..MAX_DENSITY of every pixel for mist level {@code level}. */
    void density(double level, float[] out) {
        int n = shell.pixels();
        if (level <= 0) {
            java.util.Arrays.fill(out, 0, n, 0f);
            return;
        }
        // Work on transmission (1 - density): layers of mist multiply their transmissions.
        float haze = (float) (0.8 * Math.pow(level, 1.6));
        java.util.Arrays.fill(out, 0, n, 1 - haze);
        double opacity = Math.min(0.95, 1.25 * level + 0.05);
        double shown = level * PATCHES * 1.2;
        int w = shell.width();
        int h = shell.height();
        for (int k = 0; k < PATCHES; k++) {
            double present = Math.max(0, Math.min(1, shown - k));
            if (present <= 0) {
                continue;
            }
            double o = opacity * amplitude[k] * present;
            double rad = radius[k];
            double inv = 1 / (rad * rad);
            int x0 = Math.max(0, (int) Math.floor(x[k] - rad));
            int x1 = Math.min(w, (int) Math.ceil(x[k] + rad));
            int y0 = Math.max(0, (int) Math.floor(y[k] - rad));
            int y1 = Math.min(h, (int) Math.ceil(y[k] + rad));
            for (int py = y0; py < y1; py++) {
                double dy = py + 0.5 - y[k];
                for (int px = x0; px < x1; px++) {
                    double dx = px + 0.5 - x[k];
                    double q = 1 - (dx * dx + dy * dy) * inv;
                    if (q > 0) {
                        out[py * w + px] *= (float) (1 - o * q * q);
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(MAX_DENSITY, 1 - out[i]);
        }
    }
}
