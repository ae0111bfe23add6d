package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * How one plant's camera differs from another's: exposure and white balance, lens vignetting and
 * softness, sensor noise, compression blocks, and how the shell sits in the picture (zoom, tilt,
 * offset). Real plants differ in all of these; a detector that learned one look fails on the next,
 * so training draws a new look for every furnace ({@link SimulatorConfig#lookVariety()}).
 *
 * <p>Drawn once per furnace, fixed for the run (a fixed camera). At variety 0 every setting is
 * neutral and {@link #isNeutral()} is true; the renderer then skips the look entirely, so frames
 * are byte for byte those of a simulator without it. At variety 1 the ranges are: exposure x0.55 to
 * x1.5, per-channel balance +-12%, vignetting up to 55% at the corners, a 3x3 blur blended in up
 * to 70%, sensor noise x0.5 to x2.5, 8x8 block flattening up to 40% (JPEG-like loss of detail),
 * zoom 0.75 to 1.4, tilt +-15 degrees and an offset of up to 8 pixels of the shell texture.
 */
final class CameraLook {
    final double exposure;
    final double balanceR;
    final double balanceG;
    final double balanceB;
    final double vignetting;
    final double blur;
    final double noiseScale;
    final double blockiness;
    final double zoom;
    final double tiltRadians;
    final double offsetX;
    final double offsetY;

    private CameraLook(double exposure, double balanceR, double balanceG, double balanceB, double vignetting,
                       double blur, double noiseScale, double blockiness, double zoom, double tiltRadians,
                       double offsetX, double offsetY) {
        this.exposure = exposure;
        this.balanceR = balanceR;
        this.balanceG = balanceG;
        this.balanceB = balanceB;
        this.vignetting = vignetting;
        this.blur = blur;
        this.noiseScale = noiseScale;
        this.blockiness = blockiness;
        this.zoom = zoom;
        this.tiltRadians = tiltRadians;
        this.offsetX = offsetX;
        this.offsetY = offsetY;
    }

    /** The look of today's simulator: every setting neutral. */
    static final CameraLook NEUTRAL = new CameraLook(1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0);

    /**
     * A look drawn with {@code variety} in [0, 1] scaling every range; the generator is always
     * advanced by the same number of draws so that other furnaces' randomness does not depend on it.
     */
    static CameraLook draw(double variety, ShellGeometry shell, SplittableRandom rng) {
        double[] u = new double[12];
        for (int k = 0; k < u.length; k++) {
            u[k] = rng.nextDouble();
        }
        if (variety <= 0) {
            return NEUTRAL;
        }
        double v = variety;
        return new CameraLook(
                Math.exp(v * (Math.log(0.55) + (Math.log(1.5) - Math.log(0.55)) * u[0])),
                1 + v * 0.24 * (u[1] - 0.5),
                1 + v * 0.24 * (u[2] - 0.5),
                1 + v * 0.24 * (u[3] - 0.5),
                v * 0.55 * u[4],
                v * 0.7 * u[5],
                Math.exp(v * (Math.log(0.5) + (Math.log(2.5) - Math.log(0.5)) * u[6])),
                v * 0.4 * u[7],
                Math.exp(v * (Math.log(0.75) + (Math.log(1.4) - Math.log(0.75)) * u[8])),
                v * Math.toRadians(30) * (u[9] - 0.5),
                v * 16 * (u[10] - 0.5) * shell.scale(),
                v * 16 * (u[11] - 0.5) * shell.scale());
    }

    boolean isNeutral() {
        return this == NEUTRAL;
    }

    /** Whether the shell texture is seen through a zoom, tilt or offset. */
    boolean movesShell() {
        return zoom != 1 || tiltRadians != 0 || offsetX != 0 || offsetY != 0;
    }

    /**
     * Where pixel centre ({@code x}, {@code y}) of the picture falls on the unmoved texture; writes
     * (u, v) into {@code out}. The camera zooms and tilts about the frame centre, then shifts.
     */
    void textureCoordinates(double x, double y, ShellGeometry shell, double[] out) {
        double cx = shell.width() / 2.0;
        double cy = shell.height() / 2.0;
        double dx = (x - cx - offsetX) / zoom;
        double dy = (y - cy - offsetY) / zoom;
        double cos = Math.cos(tiltRadians);
        double sin = Math.sin(tiltRadians);
        out[0] = cx + dx * cos - dy * sin;
        out[1] = cy + dx * sin + dy * cos;
    }

    /**
     * Develops the scene's linear planes as this camera would, in place: exposure, white balance and
     * vignetting, then lens softness, then the loss of detail inside 8x8 compression blocks.
     * {@code scratch} needs as many floats as a plane.
     */
    void develop(ShellGeometry shell, float[] r, float[] g, float[] b, float[] scratch) {
        int w = shell.width();
        int h = shell.height();
        double cx = w / 2.0;
        double cy = h / 2.0;
        double maxR2 = cx * cx + cy * cy;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double k = exposure * (1 - vignetting * (dx * dx + dy * dy) / maxR2);
                r[i] *= (float) (k * balanceR);
                g[i] *= (float) (k * balanceG);
                b[i] *= (float) (k * balanceB);
            }
        }
        if (blur > 0) {
            soften(r, w, h, scratch);
            soften(g, w, h, scratch);
            soften(b, w, h, scratch);
        }
        if (blockiness > 0) {
            flattenBlocks(r, w, h);
            flattenBlocks(g, w, h);
            flattenBlocks(b, w, h);
        }
    }

    /** Blends a 3x3 box blur (edges clamped) into the plane by {@link #blur}. */
    private void soften(float[] plane, int w, int h, float[] scratch) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = Math.min(h - 1, Math.max(0, y + dy));
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = Math.min(w - 1, Math.max(0, x + dx));
                        sum += plane[yy * w + xx];
                    }
                }
                scratch[y * w + x] = sum / 9f;
            }
        }
        float a = (float) blur;
        for (int i = 0; i < w * h; i++) {
            plane[i] += (scratch[i] - plane[i]) * a;
        }
    }

    /** Pulls every pixel towards its 8x8 block's mean by {@link #blockiness}. */
    private void flattenBlocks(float[] plane, int w, int h) {
        float a = (float) blockiness;
        for (int by = 0; by < h; by += 8) {
            for (int bx = 0; bx < w; bx += 8) {
                int y1 = Math.min(h, by + 8);
                int x1 = Math.min(w, bx + 8);
                float sum = 0;
                for (int y = by; y < y1; y++) {
                    for (int x = bx; x < x1; x++) {
                        sum += plane[y * w + x];
                    }
                }
                float mean = sum / ((y1 - by) * (x1 - bx));
                for (int y = by; y < y1; y++) {
                    for (int x = bx; x < x1; x++) {
                        int i = y * w + x;
                        plane[i] += (mean - plane[i]) * a;
                    }
                }
            }
        }
    }
}
