package org.fmfstream.jobs.simulator;

/**
 * The physical burn-through of one episode at one moment: an ellipse on the shell. It defines the
 * ground-truth mask (pixels whose centre lies inside) and the glow the renderer paints around it;
 * both come from here so that the mask is exactly the spot, whatever mist lies in front of it.
 */
final class BurnThroughRegion {
    /** The glow fades out at this many radii; beyond the mask, so edges are soft in the image. */
    static final double HALO_EXTENT = 1.8;

    private final double cx;
    private final double cy;
    private final double invA;
    private final double invB;
    private final double cos;
    private final double sin;
    private final double radius;
    private final double intensity;

    BurnThroughRegion(Episode e, long trueMicros) {
        this.cx = e.centerX();
        this.cy = e.centerY();
        this.radius = e.radiusAt(trueMicros);
        this.invA = 1 / radius;
        this.invB = 1 / Math.max(0.5, radius * e.aspect());
        this.cos = Math.cos(e.angleRadians());
        this.sin = Math.sin(e.angleRadians());
        this.intensity = e.intensityAt(trueMicros);
    }

    /** Elliptic distance of pixel (x, y)'s centre: below 1 inside the burn-through. */
    double distance(int x, int y) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double u = (dx * cos + dy * sin) * invA;
        double v = (-dx * sin + dy * cos) * invB;
        return Math.sqrt(u * u + v * v);
    }

    double intensity() {
        return intensity;
    }

    /** Bounding box [x0, x1) x [y0, y1) of the glow, clipped to the frame: x0, y0, x1, y1. */
    int[] glowBox(int width, int height) {
        double r = radius * HALO_EXTENT + 1;
        return new int[] {
                Math.max(0, (int) Math.floor(cx - r)), Math.max(0, (int) Math.floor(cy - r)),
                Math.min(width, (int) Math.ceil(cx + r)), Math.min(height, (int) Math.ceil(cy + r))};
    }

    /**
     * Sets mask pixels inside the burn-through to 1. The pixel holding the centre always counts, so a
     * young spot smaller than a pixel still labels its frame anomalous.
     */
    void writeMask(byte[] mask, int width, int height) {
        int[] box = glowBox(width, height);
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                if (distance(x, y) < 1) {
                    mask[y * width + x] = 1;
                }
            }
        }
        int px = Math.min(width - 1, Math.max(0, (int) Math.floor(cx)));
        int py = Math.min(height - 1, Math.max(0, (int) Math.floor(cy)));
        mask[py * width + px] = 1;
    }
}
