package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * A harmless feature that looks hot: the reflection of a hall lamp or of the furnace mouth on a
 * wet or polished part of the shell. A bright, warm-white, elongated highlight at a fixed place
 * that breathes slowly with the lamp and the steam, present in normal and anomalous frames alike.
 * A detector that equates "bright blob below the flames" with a burn-through raises an alarm on
 * every frame of such a furnace; the burn-through differs by its red halo, its growth and its
 * shape. Some furnaces have one, most do not ({@link SimulatorConfig#lookVariety()} sets the share).
 */
final class ReflectionDecoy {
    private final double cx;
    private final double cy;
    private final double invA;
    private final double invB;
    private final double cos;
    private final double sin;
    private final double radius;
    private final double strength;
    private final Wander breathing;
    private final SplittableRandom rng;

    private ReflectionDecoy(double cx, double cy, double radius, double aspect, double angle, double strength,
                            SplittableRandom rng) {
        this.cx = cx;
        this.cy = cy;
        this.radius = radius;
        this.invA = 1 / radius;
        this.invB = 1 / Math.max(0.5, radius * aspect);
        this.cos = Math.cos(angle);
        this.sin = Math.sin(angle);
        this.strength = strength;
        this.rng = rng;
        this.breathing = new Wander(1, 0.15, 3, rng);
    }

    /**
     * A reflection with probability {@code 0.6 x variety}, else null; always the same number of
     * draws so that later draws do not depend on the outcome.
     */
    static ReflectionDecoy draw(double variety, ShellGeometry shell, SplittableRandom rng) {
        double present = rng.nextDouble();
        double radius = (2 + 4 * rng.nextDouble()) * shell.scale();
        double aspect = 0.15 + 0.35 * rng.nextDouble();
        double angle = rng.nextDouble() * Math.PI;
        double strength = 0.45 + 0.5 * rng.nextDouble();
        double margin = radius + 1;
        double x = margin + rng.nextDouble() * Math.max(0, shell.width() - 2 * margin);
        double y = shell.glareRows() + margin + rng.nextDouble() * Math.max(0, shell.height() - shell.glareRows() - 2 * margin);
        long breathingSeed = rng.nextLong();
        if (present >= 0.6 * variety) {
            return null;
        }
        return new ReflectionDecoy(x, y, radius, aspect, angle, strength, new SplittableRandom(breathingSeed));
    }

    /** Its own generator, so that the decoy does not shift the scene's other random draws. */
    void step(double dtSeconds) {
        breathing.step(dtSeconds, rng);
    }

    /** Paints the highlight: warm white, brightest along its axis, with a soft edge and no halo. */
    void paint(ShellGeometry shell, float[] r, float[] g, float[] b) {
        int w = shell.width();
        int h = shell.height();
        double a = strength * Math.max(0.3, Math.min(1.3, breathing.value()));
        int x0 = Math.max(0, (int) Math.floor(cx - radius - 1));
        int x1 = Math.min(w, (int) Math.ceil(cx + radius + 1));
        int y0 = Math.max(0, (int) Math.floor(cy - radius - 1));
        int y1 = Math.min(h, (int) Math.ceil(cy + radius + 1));
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double u = (dx * cos + dy * sin) * invA;
                double v = (-dx * sin + dy * cos) * invB;
                double q = 1 - (u * u + v * v);
                if (q <= 0) {
                    continue;
                }
                double alpha = Math.min(1, a * Math.sqrt(q));
                int i = y * w + x;
                r[i] += (float) ((250 - r[i]) * alpha);
                g[i] += (float) ((240 - g[i]) * alpha);
                b[i] += (float) ((215 - b[i]) * alpha);
            }
        }
    }
}
