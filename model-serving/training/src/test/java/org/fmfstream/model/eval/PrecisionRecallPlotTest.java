package org.fmfstream.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionRecallPlotTest {

    /** Perfect ranking: curve (0,1) -> (1/2,1) -> (1,1) -> (1,2/3) -> (1,1/2). */
    private static final PrecisionRecallCurve PERFECT = ClassificationMetrics
            .of(new boolean[] {true, true, false, false}, new double[] {0.9, 0.8, 0.2, 0.1}, 0.5)
            .precisionRecallCurve();

    /** Inverted ranking of one pair: (0,1) -> (0,0) at 0.6 -> (1,1/2) at 0.4. */
    private static final PrecisionRecallCurve INVERTED = ClassificationMetrics
            .of(new boolean[] {true, false}, new double[] {0.4, 0.6}, 0.5)
            .precisionRecallCurve();

    @Test
    void perfectClassifierRunsAlongTheTopEdgeThenDownTheRightEdge() {
        PrecisionRecallPlot plot = new PrecisionRecallPlot();
        BufferedImage image = plot.render("test", List.of(new PrecisionRecallPlot.Series("perfect", PERFECT)));
        Color blue = PrecisionRecallPlot.colour(0);

        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(480);
        for (double recall : new double[] {0.1, 0.25, 0.5, 0.75, 0.9}) {
            assertThat(nearColour(image, plot.x(recall), plot.y(1), blue)).as("precision 1 at recall %s", recall).isTrue();
        }
        assertThat(nearColour(image, plot.x(1), plot.y(0.75), blue)).as("recall 1 at precision 3/4").isTrue();
        // The curve never reaches the middle of the plot, nor below precision 1/2.
        assertThat(nearColour(image, plot.x(0.5), plot.y(0.5), blue)).isFalse();
        assertThat(nearColour(image, plot.x(1), plot.y(0.25), blue)).isFalse();
    }

    @Test
    void eachSeriesHasItsOwnColourAndItsApInTheLegend() {
        PrecisionRecallPlot plot = new PrecisionRecallPlot();
        BufferedImage image = plot.render("two", List.of(
                new PrecisionRecallPlot.Series("perfect", PERFECT),
                new PrecisionRecallPlot.Series("inverted", INVERTED)));
        Color second = PrecisionRecallPlot.colour(1);
        assertThat(second).isNotEqualTo(PrecisionRecallPlot.colour(0));
        // The inverted curve's last segment, (0,0) -> (1,1/2), passes (1/2, 1/4).
        assertThat(nearColour(image, plot.x(0.5), plot.y(0.25), second)).isTrue();
        assertThat(nearColour(image, plot.x(0.5), plot.y(1), second)).isFalse();

        // AP of the perfect curve is 1; of the inverted one 1 * 1/2 (all recall is gained at precision 1/2).
        assertThat(PrecisionRecallPlot.legendLabel(new PrecisionRecallPlot.Series("perfect", PERFECT)))
                .isEqualTo("perfect (AP 1.000)");
        assertThat(PrecisionRecallPlot.legendLabel(new PrecisionRecallPlot.Series("inverted", INVERTED)))
                .isEqualTo("inverted (AP 0.500)");
        PrecisionRecallCurve none = ClassificationMetrics.of(new boolean[1], new double[] {0.2}, 0.5).precisionRecallCurve();
        assertThat(PrecisionRecallPlot.legendLabel(new PrecisionRecallPlot.Series("no abnormal", none)))
                .isEqualTo("no abnormal (AP n/a)");
    }

    @Test
    void writesAReadablePng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sub/pr.png");
        new PrecisionRecallPlot(800, 600).write("written", List.of(new PrecisionRecallPlot.Series("perfect", PERFECT)), png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertThat(back.getWidth()).isEqualTo(800);
        assertThat(back.getHeight()).isEqualTo(600);
    }

    @Test
    void refusesNothingToPlotAndTinySizes() {
        assertThatThrownBy(() -> new PrecisionRecallPlot().render("t", List.of())).hasMessageContaining("no curves");
        assertThatThrownBy(() -> new PrecisionRecallPlot(100, 100)).hasMessageContaining("too small");
    }

    /** True when a pixel within 2 of (x, y) is within a small distance of the colour (antialiasing). */
    static boolean nearColour(BufferedImage image, int x, int y, Color colour) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                int px = x + dx;
                int py = y + dy;
                if (px < 0 || py < 0 || px >= image.getWidth() || py >= image.getHeight()) {
                    continue;
                }
                Color c = new Color(image.getRGB(px, py));
                int d = Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen())
                        + Math.abs(c.getBlue() - colour.getBlue());
                if (d < 30) {
                    return true;
                }
            }
        }
        return false;
    }
}
