package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * Normal-operation distractors: molten spatter and specular glints that flash as tiny yellow-white
 * dots anywhere below the flames for a fraction of a second to about a second, then fade. A single
 * frame can show one that looks like a young hot spot; only their short life and their colour give
 * them away, so a detector has to look at more than one frame.
 */
final class SpatterGlints {
    private static final int MAX_ACTIVE = 8;
    private static final double PER_SECOND = 5 / 60.0;

    private final ShellGeometry shell;
    private final double[] x = new double[MAX_ACTIVE];
    private final double[] y = new double[MAX_ACTIVE];
    private final double[] radius = new double[MAX_ACTIVE];
    private final double[] peak = new double[MAX_ACTIVE];
    private final double[] age = new double[MAX_ACTIVE];
    private final double[] life = new double[MAX_ACTIVE];
    private int active;

    SpatterGlints(ShellGeometry shell) {
        this.shell = shell;
    }

    void step(double dtSeconds, SplittableRandom rng) {
        for (int k = 0; k < active; k++) {
            age[k] += dtSeconds;
            if (age[k] >= life[k]) {
                int last = --active;
                x[k] = x[last];
                y[k] = y[last];
                radius[k] = radius[last];
                peak[k] = peak[last];
                age[k] = age[last];
                life[k] = life[last];
                k--;
            }
        }
        double p = 1 - Math.exp(-PER_SECOND * dtSeconds);
        if (rng.nextDouble() < p && active < MAX_ACTIVE) {
            int k = active++;
            double s = shell.scale();
            x[k] = rng.nextDouble() * shell.width();
            y[k] = shell.flameRows() + rng.nextDouble() * (shell.height() - shell.flameRows());
            radius[k] = (0.8 + 1.2 * rng.nextDouble()) * s;
            peak[k] = 0.5 + 0.5 * rng.nextDouble();
            age[k] = 0;
            life[k] = 0.1 + 1.4 * rng.nextDouble();
        }
    }

    void paint(float[] r, float[] g, float[] b) {
        int w = shell.width();
        int h = shell.height();
        for (int k = 0; k < active; k++) {
            double fade = 1 - age[k] / life[k];
            double strength = peak[k] * fade * fade;
            double rad = radius[k];
            int x0 = Math.max(0, (int) Math.floor(x[k] - rad));
            int x1 = Math.min(w, (int) Math.ceil(x[k] + rad));
            int y0 = Math.max(0, (int) Math.floor(y[k] - rad));
            int y1 = Math.min(h, (int) Math.ceil(y[k] + rad));
            for (int py = y0; py < y1; py++) {
                for (int px = x0; px < x1; px++) {
                    double dx = px + 0.5 - x[k];
                    double dy = py + 0.5 - y[k];
                    double q = 1 - (dx * dx + dy * dy) / (rad * rad);
                    if (q <= 0) {
                        continue;
                    }
                    double a = strength * q;
                    int i = py * w + px;
                    r[i] += (float) ((255 - r[i]) * a);
                    g[i] += (float) ((235 - g[i]) * a);
                    b[i] += (float) ((180 - b[i]) * a);
                }
            }
        }
    }
}
