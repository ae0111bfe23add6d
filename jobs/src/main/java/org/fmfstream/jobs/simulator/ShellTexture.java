package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * The furnace shell as the camera sees it under neutral light, fixed for the whole run: a steel
 * colour of its own per furnace, mottled by value noise, with rust patches and darker horizontal
 * ring seams, shaded as a cylinder seen from the side (brightest in the middle columns, falling
 * off towards the edges where the surface turns away). The same furnace always looks the same, as
 * a fixed camera would show it, so a model can learn what "normal" is for each furnace.
 */
final class ShellTexture {
    final float[] r;
    final float[] g;
    final float[] b;

    ShellTexture(ShellGeometry shell, SplittableRandom rng) {
        int w = shell.width();
        int h = shell.height();
        double s = shell.scale();
        float[] mottle = ValueNoise.fractal(w, h, new double[] {16 * s, 8 * s, 3 * s},
                new double[] {0.5, 0.3, 0.2}, rng);
        float[] rust = ValueNoise.field(w, h, 7 * s, rng);
        double steelR = 0.40 + 0.06 * rng.nextDouble();
        double steelG = 0.37 + 0.05 * rng.nextDouble();
        double steelB = 0.34 + 0.06 * rng.nextDouble();
        double rustThreshold = 0.55 + 0.15 * rng.nextDouble();
        int seams = 2 + rng.nextInt(2);
        int[] seamRows = new int[seams];
        for (int k = 0; k < seams; k++) {
            seamRows[k] = shell.glareRows() + rng.nextInt(Math.max(1, h - shell.glareRows()));
        }
        r = new float[w * h];
        g = new float[w * h];
        b = new float[w * h];
        for (int y = 0; y < h; y++) {
            double seam = 1;
            for (int row : seamRows) {
                int d = Math.abs(y - row);
                if (d == 0) {
                    seam = Math.min(seam, 0.72);
                } else if (d == 1 && s > 1.5) {
                    seam = Math.min(seam, 0.86);
                }
            }
            // Light from the top (the furnace mouth) makes the upper shell slightly brighter.
            double vertical = 1.05 - 0.15 * y / (double) h;
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double u = (x + 0.5 - w / 2.0) / (w / 2.0 * 1.08);
                double curvature = 0.35 + 0.65 * Math.pow(Math.sqrt(Math.max(0, 1 - u * u)), 0.8);
                double m = 0.72 + 0.56 * mottle[i];
                double rustMix = Math.max(0, Math.min(0.6, (rust[i] - rustThreshold) * 3));
                double cr = steelR + (0.45 - steelR) * rustMix;
                double cg = steelG + (0.29 - steelG) * rustMix;
                double cb = steelB + (0.20 - steelB) * rustMix;
                double light = 255 * m * curvature * seam * vertical;
                r[i] = (float) (cr * light);
                g[i] = (float) (cg * light);
                b[i] = (float) (cb * light);
            }
        }
    }
}
