package org.fmfstream.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskOverlayGridTest {

    private static final int N = 64;
    private static final int GREY = rgb(100, 100, 100);

    /**
     * A grey frame; truth = rows 10..19, columns 10..19; prediction (p 0.9) = rows 30..39,
     * columns 30..39, p 0.1 elsewhere; and one marker pixel (y 2, x 5) = (200, 10, 20).
     */
    private static MaskOverlayGrid.Tile squares() {
        byte[] frame = new byte[N * N * 3];
        Arrays.fill(frame, (byte) 100);
        frame[(2 * N + 5) * 3] = (byte) 200;
        frame[(2 * N + 5) * 3 + 1] = 10;
        frame[(2 * N + 5) * 3 + 2] = 20;
        byte[] truth = new byte[N * N];
        float[] p = new float[N * N];
        Arrays.fill(p, 0.1f);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                truth[(10 + y) * N + 10 + x] = 1;
                p[(30 + y) * N + 30 + x] = 0.9f;
            }
        }
        return new MaskOverlayGrid.Tile(frame, truth, p, true, 0.93);
    }

    /** A plain frame of one colour, no masks. */
    private static MaskOverlayGrid.Tile plain(int r, int g, int b) {
        byte[] frame = new byte[N * N * 3];
        for (int i = 0; i < N * N; i++) {
            frame[3 * i] = (byte) r;
            frame[3 * i + 1] = (byte) g;
            frame[3 * i + 2] = (byte) b;
        }
        return new MaskOverlayGrid.Tile(frame, new byte[N * N], new float[N * N], false, 0.12);
    }

    @Test
    void predictedSquareIsBlendedTruthIsOutlinedAndTheRestIsTheFrame() {
        MaskOverlayGrid grid = new MaskOverlayGrid(N, 3, 2);
        BufferedImage image = grid.render(List.of(squares()));
        int left = grid.tileLeft(0);
        int top = grid.tileTop(0);
        assertThat(left).isEqualTo(8);
        assertThat(top).isEqualTo(24);

        // Inside the prediction: 0.5 * 100 + 0.5 * (0, 160, 255) = (50, 130, 177.5 -> 178).
        assertThat(image.getRGB(left + 35 * 3 + 1, top + 35 * 3 + 1) & 0xFFFFFF).isEqualTo(rgb(50, 130, 178));
        assertThat(image.getRGB(left + 30 * 3, top + 30 * 3) & 0xFFFFFF).isEqualTo(rgb(50, 130, 178));
        // Just outside it (column 29, column 40): the frame.
        assertThat(image.getRGB(left + 29 * 3 + 2, top + 35 * 3) & 0xFFFFFF).isEqualTo(GREY);
        assertThat(image.getRGB(left + 40 * 3, top + 35 * 3) & 0xFFFFFF).isEqualTo(GREY);
        // Truth outline: the first output column of mask column 10, the last of column 19, the top row.
        assertThat(image.getRGB(left + 10 * 3, top + 15 * 3 + 1) & 0xFFFFFF).isEqualTo(rgb(255, 230, 0));
        assertThat(image.getRGB(left + 19 * 3 + 2, top + 15 * 3 + 1) & 0xFFFFFF).isEqualTo(rgb(255, 230, 0));
        assertThat(image.getRGB(left + 15 * 3, top + 10 * 3) & 0xFFFFFF).isEqualTo(rgb(255, 230, 0));
        // One output pixel in from the outline, and one out: the frame (the truth is not filled).
        assertThat(image.getRGB(left + 10 * 3 + 1, top + 15 * 3 + 1) & 0xFFFFFF).isEqualTo(GREY);
        assertThat(image.getRGB(left + 10 * 3 - 1, top + 15 * 3 + 1) & 0xFFFFFF).isEqualTo(GREY);
        assertThat(image.getRGB(left + 15 * 3 + 1, top + 15 * 3 + 1) & 0xFFFFFF).isEqualTo(GREY);
        // Frame order: pixel (y 2, x 5) is the marker, 3x3 output pixels; its transpose (y 5, x 2) is not.
        for (int dy = 0; dy < 3; dy++) {
            for (int dx = 0; dx < 3; dx++) {
                assertThat(image.getRGB(left + 5 * 3 + dx, top + 2 * 3 + dy) & 0xFFFFFF).isEqualTo(rgb(200, 10, 20));
            }
        }
        assertThat(image.getRGB(left + 2 * 3 + 1, top + 5 * 3 + 1) & 0xFFFFFF).isEqualTo(GREY);
    }

    /**
     * Three tiles, two a row, 3x: frames of 192 pixels; width 8 + 2 * (192 + 8) = 408; height
     * 24 (key) + 2 rows * (192 + 18 caption + 8) = 460. Tile 1 is right of tile 0, tile 2 below it.
     */
    @Test
    void tilesAreLaidOutRowMajorWithCaptions() {
        MaskOverlayGrid grid = new MaskOverlayGrid(N, 3, 2);
        BufferedImage image = grid.render(List.of(squares(), plain(40, 80, 120), plain(10, 200, 30)));
        assertThat(image.getWidth()).isEqualTo(408);
        assertThat(image.getHeight()).isEqualTo(460);
        assertThat(image.getRGB(208 + 5, 24 + 5) & 0xFFFFFF).isEqualTo(rgb(40, 80, 120));
        assertThat(image.getRGB(8 + 5, 242 + 5) & 0xFFFFFF).isEqualTo(rgb(10, 200, 30));
        // The gap between tiles is background, not frame.
        assertThat(image.getRGB(203, 30) & 0xFFFFFF).isEqualTo(rgb(32, 32, 32));

        assertThat(MaskOverlayGrid.caption(squares())).isEqualTo("abnormal, p=0.930");
        assertThat(MaskOverlayGrid.caption(plain(0, 0, 0))).isEqualTo("normal, p=0.120");
        // Some caption text was drawn under tile 0 (bright pixels on the dark background).
        assertThat(brightPixels(image, 8, 24 + 192, 192, 18)).isPositive();
    }

    @Test
    void writesAReadablePng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("grid/overlay.png");
        new MaskOverlayGrid().write(List.of(squares()), png);
        BufferedImage back = ImageIO.read(png.toFile());
        // Default 3x, one tile: 8 + 192 + 8 by 24 + 192 + 18 + 8.
        assertThat(back.getWidth()).isEqualTo(208);
        assertThat(back.getHeight()).isEqualTo(242);
    }

    @Test
    void badTilesAreRefused() {
        MaskOverlayGrid grid = new MaskOverlayGrid();
        assertThatThrownBy(() -> grid.render(List.of())).hasMessageContaining("no tiles");
        MaskOverlayGrid.Tile shortFrame = new MaskOverlayGrid.Tile(new byte[10], new byte[N * N], new float[N * N], false, 0);
        assertThatThrownBy(() -> grid.render(List.of(squares(), shortFrame))).hasMessageContaining("tile 1");
        float[] nan = new float[N * N];
        nan[7] = Float.NaN;
        MaskOverlayGrid.Tile nanTile = new MaskOverlayGrid.Tile(new byte[N * N * 3], new byte[N * N], nan, false, 0);
        assertThatThrownBy(() -> grid.render(List.of(nanTile))).hasMessageContaining("pixel 7").hasMessageContaining("NaN");
        assertThatThrownBy(() -> new MaskOverlayGrid(64, 0, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int brightPixels(BufferedImage image, int x0, int y0, int w, int h) {
        int count = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int c = image.getRGB(x, y);
                if (((c >> 16) & 0xFF) > 150 && ((c >> 8) & 0xFF) > 150 && (c & 0xFF) > 150) {
                    count++;
                }
            }
        }
        return count;
    }

    private static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }
}
