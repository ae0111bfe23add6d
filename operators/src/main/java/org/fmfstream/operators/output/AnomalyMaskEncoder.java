package org.fmfstream.operators.output;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.BoundingBox;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.MaskEncoding;

/**
 * ScoredWindow to the contract's {@link AnomalyMask} (topic {@code fmf.anomaly.masks}): the pixel
 * map of the scored frame, its anomalous area and its connected regions.
 *
 * <p>The mask is 64x64, row-major (y, then x), origin top-left. A pixel is anomalous when
 * {@code P(abnormal) >= pixelThreshold}, by default {@link DecisionRule#MASK_PIXEL_THRESHOLD} (0.5),
 * the same pixels the decision rule counts. Regions are the 4-connected components of the anomalous
 * pixels, largest (most pixels) first; ties in scan order of their first pixel (top row first,
 * then left column).
 */
public final class AnomalyMaskEncoder {

    private static final int SIZE = ScoredWindow.MASK_SIZE;

    private AnomalyMaskEncoder() {}

    /**
     * Whether the job emits a mask for {@code w}: the window is decided ANOMALY under {@code rule}
     * ({@link WindowDecision}; a window without video is UNDECIDED and has no frame to mask).
     */
    public static boolean shouldEmit(ScoredWindow w, DecisionRule rule) {
        // A model without dense head decides windows but gives no mask to publish.
        return w.maskProbabilities != null && w.maskProbabilities.length > 0
                && WindowDecision.decide(w, rule) == Decision.ANOMALY;
    }

    /** {@link MaskEncoding#PNG_PROBABILITY} mask, pixels anomalous at {@link DecisionRule#MASK_PIXEL_THRESHOLD}. */
    public static AnomalyMask encode(ScoredWindow w) {
        return encode(w, DecisionRule.MASK_PIXEL_THRESHOLD, MaskEncoding.PNG_PROBABILITY);
    }

    /** {@link MaskEncoding#PNG_PROBABILITY} mask, pixels anomalous at {@code pixelThreshold}. */
    public static AnomalyMask encode(ScoredWindow w, double pixelThreshold) {
        return encode(w, pixelThreshold, MaskEncoding.PNG_PROBABILITY);
    }

    /**
     * The mask of {@code w}'s scored frame in {@code encoding}.
     *
     * @throws IllegalArgumentException when the window had no video (there is no frame to mask)
     *                                  or the map is not 64x64 probabilities
     */
    public static AnomalyMask encode(ScoredWindow w, double threshold, MaskEncoding encoding) {
        if (w.videoMissing()) {
            throw new IllegalArgumentException("window " + w + " has no video: no frame to attach a mask to");
        }
        float[] p = w.maskProbabilities;
        if (p == null || p.length != SIZE * SIZE) {
            throw new IllegalArgumentException("mask must hold " + SIZE * SIZE + " probabilities, got "
                    + (p == null ? "null" : p.length));
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        int anomalous = 0;
        for (float v : p) {
            if (v >= threshold) {
                anomalous++;
            }
        }
        byte[] payload = encoding == MaskEncoding.BITMAP ? bitmap(p, threshold) : png(p);
        return AnomalyMask.newBuilder()
                .setFurnaceId(w.furnaceId)
                .setWindowEndMicros(w.windowEndMicros)
                .setFrameSeq(w.scoredFrameSeq())
                .setWidth(SIZE)
                .setHeight(SIZE)
                .setEncoding(encoding)
                .setPayload(ByteBuffer.wrap(payload))
                .setAnomalyAreaFraction(anomalous / (float) (SIZE * SIZE))
                .setRegions(regions(p, SIZE, SIZE, threshold))
                .build();
    }

    /** 8-bit grayscale PNG, pixel = round(255 * p), p clamped to [0, 1] (NaN as 0). */
    static byte[] png(float[] p) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                float v = p[y * SIZE + x];
                float clamped = v >= 0 ? Math.min(v, 1f) : 0f; // NaN fails v >= 0
                raster.setSample(x, y, 0, Math.round(255f * clamped));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer available in javax.imageio");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] bitmap(float[] p, double threshold) {
        byte[] out = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (byte) (p[i] >= threshold ? 1 : 0);
        }
        return out;
    }

    /**
     * 4-connected components of {@code p >= threshold} on a {@code width x height} row-major map,
     * largest first (ties: scan order of the first pixel).
     */
    static List<BoundingBox> regions(float[] p, int width, int height, double threshold) {
        int n = width * height;
        boolean[] seen = new boolean[n];
        int[] queue = new int[n];
        List<int[]> found = new ArrayList<>(); // {first pixel, minX, minY, maxX, maxY, area, index in peaks}
        List<Float> peaks = new ArrayList<>();
        for (int start = 0; start < n; start++) {
            if (seen[start] || !(p[start] >= threshold)) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            seen[start] = true;
            int minX = width;
            int minY = height;
            int maxX = -1;
            int maxY = -1;
            float peak = 0;
            while (head < tail) {
                int i = queue[head++];
                int x = i % width;
                int y = i / width;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
                peak = Math.max(peak, p[i]);
                if (x > 0) {
                    tail = visit(p, threshold, seen, queue, tail, i - 1);
                }
                if (x < width - 1) {
                    tail = visit(p, threshold, seen, queue, tail, i + 1);
                }
                if (y > 0) {
                    tail = visit(p, threshold, seen, queue, tail, i - width);
                }
                if (y < height - 1) {
                    tail = visit(p, threshold, seen, queue, tail, i + width);
                }
            }
            found.add(new int[] {start, minX, minY, maxX, maxY, tail, peaks.size()});
            peaks.add(Math.min(peak, 1f));
        }
        found.sort(Comparator.<int[]>comparingInt(r -> -r[5]).thenComparingInt(r -> r[0]));
        List<BoundingBox> boxes = new ArrayList<>(found.size());
        for (int[] r : found) {
            boxes.add(BoundingBox.newBuilder()
                    .setX(r[1])
                    .setY(r[2])
                    .setWidth(r[3] - r[1] + 1)
                    .setHeight(r[4] - r[2] + 1)
                    .setAreaPixels(r[5])
                    .setPeakProbability(peaks.get(r[6]))
                    .build());
        }
        return boxes;
    }

    private static int visit(float[] p, double threshold, boolean[] seen, int[] queue, int tail, int j) {
        if (!seen[j] && p[j] >= threshold) {
            seen[j] = true;
            queue[tail++] = j;
        }
        return tail;
    }
}
