package org.fmfstream.jobs.simulator;

/** Measurements on rendered frames that the tests share. */
final class FrameMeasures {
    private FrameMeasures() {}

    static double luminance(byte[] rgb, int pixel) {
        int o = pixel * 3;
        return 0.299 * (rgb[o] & 0xFF) + 0.587 * (rgb[o + 1] & 0xFF) + 0.114 * (rgb[o + 2] & 0xFF);
    }

    static int maskPixels(byte[] mask) {
        int n = 0;
        for (byte m : mask) {
            n += m;
        }
        return n;
    }

    /**
     * Mean luminance inside the mask minus the mean luminance of a ring around it: pixels outside the
     * mask whose Chebyshev distance to the nearest mask pixel is 3 to 6 (past most of the halo).
     */
    static double spotContrast(SimulatedFrame f) {
        int w = f.width();
        int h = f.height();
        byte[] mask = f.mask();
        double inside = 0;
        int nInside = 0;
        double ring = 0;
        int nRing = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (mask[i] != 0) {
                    inside += luminance(f.rgb(), i);
                    nInside++;
                    continue;
                }
                int d = distanceToMask(mask, w, h, x, y, 6);
                if (d >= 3 && d <= 6) {
                    ring += luminance(f.rgb(), i);
                    nRing++;
                }
            }
        }
        return inside / nInside - ring / nRing;
    }

    /** Chebyshev distance to the nearest mask pixel, or limit + 1 when none is that close. */
    private static int distanceToMask(byte[] mask, int w, int h, int x, int y, int limit) {
        for (int d = 1; d <= limit; d++) {
            for (int yy = Math.max(0, y - d); yy <= Math.min(h - 1, y + d); yy++) {
                for (int xx = Math.max(0, x - d); xx <= Math.min(w - 1, x + d); xx++) {
                    if (mask[yy * w + xx] != 0) {
                        return d;
                    }
                }
            }
        }
        return limit + 1;
    }
}
