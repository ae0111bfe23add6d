package org.fmfstream.jobs.simulator;

/**
 * Paints a burn-through: inside the region a glow from dull red at a young, dim spot to
 * yellow-white at the centre of a fully grown one; around it a reddish halo that fades out by
 * {@link BurnThroughRegion#HALO_EXTENT} radii (heat spreading through the steel), outside the
 * truth mask. Painted before the mist, which then hides it as much as it hides the shell.
 */
final class HotSpotPainter {
    private HotSpotPainter() {}

    static void paint(BurnThroughRegion region, double shimmer, ShellGeometry shell,
                      float[] r, float[] g, float[] b) {
        int w = shell.width();
        int[] box = region.glowBox(w, shell.height());
        double intensity = Math.min(1, region.intensity() * shimmer);
        double haloWidth = BurnThroughRegion.HALO_EXTENT - 1;
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                double d = region.distance(x, y);
                double alpha;
                double cr;
                double cg;
                double cb;
                if (d < 1) {
                    double p = 1 - d * d;
                    double heat = p * intensity;
                    cr = 255 * (0.95 + 0.05 * heat);
                    cg = 255 * (0.38 + 0.50 * heat);
                    cb = 255 * (0.14 + 0.48 * heat);
                    alpha = intensity * (0.6 + 0.4 * p);
                } else if (d < BurnThroughRegion.HALO_EXTENT) {
                    double q = 1 - (d - 1) / haloWidth;
                    cr = 255 * 0.90;
                    cg = 255 * 0.35;
                    cb = 255 * 0.12;
                    alpha = intensity * 0.45 * q * q;
                } else {
                    continue;
                }
                int i = y * w + x;
                r[i] += (float) ((cr - r[i]) * alpha);
                g[i] += (float) ((cg - g[i]) * alpha);
                b[i] += (float) ((cb - b[i]) * alpha);
            }
        }
    }
}
