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

    private ShellTexture(float[] r, float[] g, float[] b) {
        this.r = r;
        this.g = g;
        this.b = b;
    }

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

    /**
     * The same shell as a camera with another zoom, tilt and offset sees it: each pixel samples this
     * texture bilinearly at {@link CameraLook#textureCoordinates}, mirrored at the edges so that a
     * zoomed-out view continues the steel instead of smearing its border. This texture itself when
     * the look does not move the shell.
     */
    ShellTexture seenThrough(CameraLook look, ShellGeometry shell) {
        if (!look.movesShell()) {
            return this;
        }
        int w = shell.width();
        int h = shell.height();
        float[] nr = new float[w * h];
        float[] ng = new float[w * h];
        float[] nb = new float[w * h];
        double[] uv = new double[2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                look.textureCoordinates(x + 0.5, y + 0.5, shell, uv);
                double u = uv[0] - 0.5;
                double v = uv[1] - 0.5;
                int u0 = (int) Math.floor(u);
                int v0 = (int) Math.floor(v);
                double fu = u - u0;
                double fv = v - v0;
                int a = mirror(u0, w);
                int c = mirror(u0 + 1, w);
                int top = mirror(v0, h) * w;
                int bottom = mirror(v0 + 1, h) * w;
                int i = y * w + x;
                nr[i] = bilinear(r, top + a, top + c, bottom + a, bottom + c, fu, fv);
                ng[i] = bilinear(g, top + a, top + c, bottom + a, bottom + c, fu, fv);
                nb[i] = bilinear(b, top + a, top + c, bottom + a, bottom + c, fu, fv);
            }
        }
        return new ShellTexture(nr, ng, nb);
    }

    private static float bilinear(float[] p, int i00, int i10, int i01, int i11, double fu, double fv) {
        double top = p[i00] + (p[i10] - p[i00]) * fu;
        double bottom = p[i01] + (p[i11] - p[i01]) * fu;
        return (float) (top + (bottom - top) * fv);
    }

    /** Reflects an index into [0, n) (…, 1, 0, 0, 1, …, n-1, n-1, n-2, …). */
    private static int mirror(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }
}
