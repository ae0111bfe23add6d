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
        int[] maskPixels = new int[maskPixels(mask)];
        int n = 0;
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                maskPixels[n++] = i;
                x0 = Math.min(x0, i % w);
                x1 = Math.max(x1, i % w);
                y0 = Math.min(y0, i / w);
                y1 = Math.max(y1, i / w);
            }
        }
        double inside = 0;
        for (int i : maskPixels) {
            inside += luminance(f.rgb(), i);
        }
        double ring = 0;
        int nRing = 0;
        for (int y = Math.max(0, y0 - 6); y <= Math.min(h - 1, y1 + 6); y++) {
            for (int x = Math.max(0, x0 - 6); x <= Math.min(w - 1, x1 + 6); x++) {
                int d = Integer.MAX_VALUE;
                for (int i : maskPixels) {
                    d = Math.min(d, Math.max(Math.abs(i % w - x), Math.abs(i / w - y)));
                }
                if (d >= 3 && d <= 6) {
                    ring += luminance(f.rgb(), y * w + x);
                    nRing++;
                }
            }
        }
        return inside / n - ring / nRing;
    }
}
