package org.fmfstream.model.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A contact sheet of evaluated windows: each tile is a window's last frame, enlarged by nearest
 * neighbour so single pixels stay visible, with the predicted mask (pixel probability &gt;= 0.5)
 * filled semi-transparently in {@link #PREDICTED_FILL} and the true mask drawn as a one-pixel
 * outline in {@link #TRUTH_OUTLINE} on top, so a hit shows as an outlined blue patch, a miss as an
 * empty outline and a false alarm as a patch with no outline. Under each tile a caption gives the
 * window's true label and its predicted abnormal probability. Tiles run left to right, then down.
 *
 * <p>Outline rather than fill for the truth keeps the hot spot it marks visible: the spot is what a
 * reader wants to compare against.
 */
public final class MaskOverlayGrid {

    public static final Color TRUTH_OUTLINE = new Color(255, 230, 0);
    public static final Color PREDICTED_FILL = new Color(0, 160, 255);
    /** Weight of the fill colour in a predicted pixel: out = (1 - a) * frame + a * fill, rounded. */
    public static final double FILL_ALPHA = 0.5;

    /** Space around and between tiles, in pixels. */
    public static final int GAP = 8;
    /** Height of the caption strip under each tile. */
    public static final int CAPTION = 18;
    /** Height of the key at the top of the sheet. */
    public static final int HEADER = 24;

    private static final Color BACKGROUND = new Color(32, 32, 32);

    /**
     * One window.
     *
     * @param frameRgb frame pixels row by row (y, then x), R, G, B interleaved
     * @param trueMask 0/1 per pixel, row by row (1 = abnormal)
     * @param abnormalProbability predicted abnormal probability per pixel, row by row
     * @param abnormal the window's true label
     * @param probability the window's predicted abnormal probability
     */
    public record Tile(byte[] frameRgb, byte[] trueMask, float[] abnormalProbability, boolean abnormal,
            double probability) {
        public Tile {
            Objects.requireNonNull(frameRgb, "frameRgb");
            Objects.requireNonNull(trueMask, "trueMask");
            Objects.requireNonNull(abnormalProbability, "abnormalProbability");
        }
    }

    private final int frameSize;
    private final int scale;
    private final int columns;

    /** 64x64 frames, enlarged 3x, six tiles a row. */
    public MaskOverlayGrid() {
        this(64, 3, 6);
    }

    public MaskOverlayGrid(int frameSize, int scale, int columns) {
        if (frameSize <= 0 || scale <= 0 || columns <= 0) {
            throw new IllegalArgumentException("frameSize, scale and columns must be positive, got "
                    + frameSize + ", " + scale + ", " + columns);
        }
        this.frameSize = frameSize;
        this.scale = scale;
        this.columns = columns;
    }

    /** "abnormal, p=0.930": the true label and the predicted abnormal probability. */
    public static String caption(Tile tile) {
        return (tile.abnormal() ? "abnormal" : "normal") + ", p="
                + String.format(Locale.ROOT, "%.3f", tile.probability());
    }

    /** Left edge of tile {@code index}'s frame in the sheet. */
    public int tileLeft(int index) {
        return GAP + (index % columns) * (side() + GAP);
    }

    /** Top edge of tile {@code index}'s frame in the sheet. */
    public int tileTop(int index) {
        return HEADER + (index / columns) * (side() + CAPTION + GAP);
    }

    private int side() {
        return frameSize * scale;
    }

    /**
     * @throws IllegalArgumentException on no tiles, or a tile whose arrays do not fit the frame size
     *         or hold a NaN / out-of-[0, 1] probability or a mask value other than 0 or 1
     */
    public BufferedImage render(List<Tile> tiles) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("no tiles to draw");
        }
        for (int i = 0; i < tiles.size(); i++) {
            check(tiles.get(i), i);
        }
        int used = Math.min(columns, tiles.size());
        int rows = (tiles.size() + columns - 1) / columns;
        int width = GAP + used * (side() + GAP);
        int height = HEADER + rows * (side() + CAPTION + GAP);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            key(g);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < tiles.size(); i++) {
                int left = tileLeft(i);
                int top = tileTop(i);
                paintTile(image, tiles.get(i), left, top);
                g.setColor(Color.WHITE);
                g.drawString(caption(tiles.get(i)), left, top + side() + 2 + fm.getAscent());
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Renders and writes a PNG, creating the parent directory. */
    public void write(List<Tile> tiles, Path png) {
        PngFile.write(render(tiles), png);
    }

    private void check(Tile t, int index) {
        int pixels = frameSize * frameSize;
        if (t.frameRgb().length != 3 * pixels || t.trueMask().length != pixels
                || t.abnormalProbability().length != pixels) {
            throw new IllegalArgumentException("tile " + index + ": expected " + 3 * pixels + " frame bytes and "
                    + pixels + " mask values for " + frameSize + "x" + frameSize + ", got " + t.frameRgb().length
                    + " / " + t.trueMask().length + " / " + t.abnormalProbability().length);
        }
        for (int i = 0; i < pixels; i++) {
            float p = t.abnormalProbability()[i];
            if (!(p >= 0f && p <= 1f)) {
                throw new IllegalArgumentException("tile " + index + ", pixel " + i + ": abnormal probability " + p
                        + ", expected a number in [0, 1]");
            }
            if (t.trueMask()[i] != 0 && t.trueMask()[i] != 1) {
                throw new IllegalArgumentException("tile " + index + ", pixel " + i + ": mask value "
                        + (t.trueMask()[i] & 0xFF) + ", expected 0 or 1");
            }
        }
    }

    private void paintTile(BufferedImage image, Tile t, int left, int top) {
        int side = side();
        for (int sy = 0; sy < side; sy++) {
            for (int sx = 0; sx < side; sx++) {
                int pixel = (sy / scale) * frameSize + sx / scale;
                int r = t.frameRgb()[3 * pixel] & 0xFF;
                int g = t.frameRgb()[3 * pixel + 1] & 0xFF;
                int b = t.frameRgb()[3 * pixel + 2] & 0xFF;
                if (t.abnormalProbability()[pixel] >= SegmentationMetrics.PIXEL_THRESHOLD) {
                    r = blend(r, PREDICTED_FILL.getRed());
                    g = blend(g, PREDICTED_FILL.getGreen());
                    b = blend(b, PREDICTED_FILL.getBlue());
                }
                int rgb = (r << 16) | (g << 8) | b;
                if (onOutline(t.trueMask(), sx, sy)) {
                    rgb = TRUTH_OUTLINE.getRGB() & 0xFFFFFF;
                }
                image.setRGB(left + sx, top + sy, rgb);
            }
        }
    }

    private static int blend(int frame, int fill) {
        return (int) Math.round((1 - FILL_ALPHA) * frame + FILL_ALPHA * fill);
    }

    /**
     * An enlarged pixel inside the true mask with an enlarged neighbour (4-connected) outside it or
     * off the frame: the outline is the mask's inner border, one output pixel wide at any scale.
     */
    private boolean onOutline(byte[] mask, int sx, int sy) {
        return inMask(mask, sx, sy) && (!inMask(mask, sx - 1, sy) || !inMask(mask, sx + 1, sy)
                || !inMask(mask, sx, sy - 1) || !inMask(mask, sx, sy + 1));
    }

    private boolean inMask(byte[] mask, int sx, int sy) {
        int side = side();
        return sx >= 0 && sy >= 0 && sx < side && sy < side && mask[(sy / scale) * frameSize + sx / scale] == 1;
    }

    /** The key at the top: what the outline and the fill mean. */
    private void key(Graphics2D g) {
        FontMetrics fm = g.getFontMetrics();
        int baseline = (HEADER + fm.getAscent()) / 2;
        int x = GAP;
        g.setColor(TRUTH_OUTLINE);
        g.drawRect(x, baseline - 9, 10, 10);
        x += 16;
        g.setColor(Color.WHITE);
        g.drawString("true mask", x, baseline);
        x += fm.stringWidth("true mask") + 14;
        g.setColor(PREDICTED_FILL);
        g.fillRect(x, baseline - 9, 11, 11);
        x += 16;
        g.setColor(Color.WHITE);
        g.drawString("predicted (p >= 0.5)", x, baseline);
    }
}
