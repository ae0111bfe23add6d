package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * Flames from the furnace mouth along the top rows: tongues of varying length whose brightness
 * flickers within a fraction of a second, and a bright glare blob that wanders slowly along the
 * top edge. Bright, orange and restless, so a naive "bright and red = anomaly" rule fails here; no
 * hot spot is ever placed in these rows.
 */
final class FlameGlare {
    private final ShellGeometry shell;
    private final Wander flicker;
    private final Wander[] tongues;
    private final Wander glareX;
    private final double tongueCell;
    private final float[] tongueAt;

    FlameGlare(ShellGeometry shell, SplittableRandom rng) {
        this.shell = shell;
        this.flicker = new Wander(1, 0.22, 0.12, rng);
        this.tongueCell = 6 * shell.scale();
        this.tongues = new Wander[(int) Math.ceil(shell.width() / tongueCell) + 2];
        for (int k = 0; k < tongues.length; k++) {
            tongues[k] = new Wander(0.6, 0.3, 0.35, rng);
        }
        this.glareX = new Wander(shell.width() / 2.0, shell.width() * 0.15, 4, rng);
        this.tongueAt = new float[shell.width()];
    }

    void step(double dtSeconds, SplittableRandom rng) {
        flicker.step(dtSeconds, rng);
        for (Wander t : tongues) {
            t.step(dtSeconds, rng);
        }
        glareX.step(dtSeconds, rng);
    }

    /** Current flame brightness around 1; the renderer also uses it for a faint overall glare. */
    double flicker() {
        return Math.max(0.2, flicker.value());
    }

    void paint(float[] r, float[] g, float[] b) {
        int w = shell.width();
        int flameRows = shell.flameRows();
        double f = flicker();
        for (int x = 0; x < w; x++) {
            double gx = x / tongueCell;
            int ix = (int) gx;
            double v = ValueNoise.lerp(tongues[ix].value(), tongues[ix + 1].value(), ValueNoise.smooth(gx - ix));
            tongueAt[x] = (float) Math.max(0.05, Math.min(1.2, v));
        }
        for (int y = 0; y < flameRows; y++) {
            for (int x = 0; x < w; x++) {
                double reach = flameRows * (0.45 + 0.75 * tongueAt[x]);
                double alpha = f * Math.pow(Math.max(0, 1 - y / reach), 0.8);
                if (alpha <= 0) {
                    continue;
                }
                alpha = Math.min(1, alpha);
                int i = y * w + x;
                // Hot core near the mouth is yellow-white, the tips orange.
                double cr = 255;
                double cg = 255 * (0.55 + 0.32 * alpha);
                double cb = 255 * (0.15 + 0.40 * alpha * alpha);
                r[i] += (float) ((cr - r[i]) * alpha);
                g[i] += (float) ((cg - g[i]) * alpha);
                b[i] += (float) ((cb - b[i]) * alpha);
            }
        }
        double sigma = 0.10 * w;
        double gx = glareX.value();
        double gy = -2 * shell.scale();
        double strength = 0.55 * f;
        int glareEnd = Math.min(shell.height(), shell.glareRows() + (int) Math.ceil(6 * shell.scale()));
        double inv2s2 = 1 / (2 * sigma * sigma);
        for (int y = 0; y < glareEnd; y++) {
            double dy = y + 0.5 - gy;
            for (int x = 0; x < w; x++) {
                double dx = x + 0.5 - gx;
                double a = strength * Math.exp(-(dx * dx + dy * dy) * inv2s2);
                if (a < 0.004) {
                    continue;
                }
                int i = y * w + x;
                r[i] += (float) (255 * a);
                g[i] += (float) (240 * a);
                b[i] += (float) (215 * a);
            }
        }
    }
}
