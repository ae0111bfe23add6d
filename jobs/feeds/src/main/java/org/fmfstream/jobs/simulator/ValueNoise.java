package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/** Lattice value noise: random values on a grid, smoothly interpolated; cheap texture. */
final class ValueNoise {
    private ValueNoise() {}

    /** A width x height field in [0, 1] whose features are about {@code cell} pixels across. */
    static float[] field(int width, int height, double cell, SplittableRandom rng) {
        int gw = (int) Math.ceil(width / cell) + 2;
        int gh = (int) Math.ceil(height / cell) + 2;
        float[] grid = new float[gw * gh];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) rng.nextDouble();
        }
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            double gy = y / cell;
            int iy = (int) gy;
            double fy = smooth(gy - iy);
            for (int x = 0; x < width; x++) {
                double gx = x / cell;
                int ix = (int) gx;
                double fx = smooth(gx - ix);
                double top = lerp(grid[iy * gw + ix], grid[iy * gw + ix + 1], fx);
                double bottom = lerp(grid[(iy + 1) * gw + ix], grid[(iy + 1) * gw + ix + 1], fx);
                out[y * width + x] = (float) lerp(top, bottom, fy);
            }
        }
        return out;
    }

    /** Octaves of {@link #field} summed with the given weights, normalised back to [0, 1]. */
    static float[] fractal(int width, int height, double[] cells, double[] weights, SplittableRandom rng) {
        float[] out = new float[width * height];
        double total = 0;
        for (int o = 0; o < cells.length; o++) {
            float[] f = field(width, height, cells[o], rng);
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (weights[o] * f[i]);
            }
            total += weights[o];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= (float) total;
        }
        return out;
    }

    static double smooth(double f) {
        return f * f * (3 - 2 * f);
    }

    static double lerp(double a, double b, double f) {
        return a + (b - a) * f;
    }
}
