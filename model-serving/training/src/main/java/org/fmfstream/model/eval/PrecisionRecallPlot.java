package org.fmfstream.model.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Precision-recall curves of several model variants on one plot: recall on x, precision on y, both
 * 0..1 with ticks every 0.2 and a light grid, one colour per variant, and a legend naming each
 * variant with its average precision. The legend sits at the lower left, where PR curves (which fall
 * from the top left to the lower right) rarely go.
 */
public final class PrecisionRecallPlot {

    /** One curve and the name it has in the legend. */
    public record Series(String name, PrecisionRecallCurve curve) {
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(curve, "curve");
        }
    }

    /** Distinct under common colour blindness (Okabe-Ito order), cycled past eight variants. */
    private static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(240, 228, 66),
    };

    private static final int LEFT = 64;
    private static final int RIGHT = 24;
    private static final int TOP = 36;
    private static final int BOTTOM = 52;

    private final int width;
    private final int height;

    public PrecisionRecallPlot() {
        this(640, 480);
    }

    public PrecisionRecallPlot(int width, int height) {
        if (width < LEFT + RIGHT + 100 || height < TOP + BOTTOM + 100) {
            throw new IllegalArgumentException("plot of " + width + "x" + height + " is too small, need at least "
                    + (LEFT + RIGHT + 100) + "x" + (TOP + BOTTOM + 100));
        }
        this.width = width;
        this.height = height;
    }

    /** The colour of the i-th series. */
    public static Color colour(int series) {
        return PALETTE[series % PALETTE.length];
    }

    /** The legend text of a series: its name and AP to three decimals ("n/a" when undefined). */
    public static String legendLabel(Series s) {
        double ap = s.curve().averagePrecision();
        return s.name() + " (AP " + (Double.isNaN(ap) ? "n/a" : String.format(Locale.ROOT, "%.3f", ap)) + ")";
    }

    /** Horizontal pixel of a recall value. */
    public int x(double recall) {
        return LEFT + (int) Math.round(recall * (width - LEFT - RIGHT - 1));
    }

    /** Vertical pixel of a precision value (precision 1 at the top). */
    public int y(double precision) {
        return TOP + (int) Math.round((1 - precision) * (height - TOP - BOTTOM - 1));
    }

    /** @throws IllegalArgumentException when there is no series */
    public BufferedImage render(String title, List<Series> series) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no curves to plot");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            axes(g, title);
            for (int i = 0; i < series.size(); i++) {
                curve(g, series.get(i).curve(), colour(i));
            }
            legend(g, series);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Renders and writes a PNG, creating the parent directory. */
    public void write(String title, List<Series> series, Path png) {
        PngFile.write(render(title, series), png);
    }

    private void axes(Graphics2D g, String title) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            String label = String.format(Locale.ROOT, "%.1f", v);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(x(v), y(0), x(v), y(1));
            g.drawLine(x(0), y(v), x(1), y(v));
            g.setColor(Color.DARK_GRAY);
            g.drawLine(x(v), y(0), x(v), y(0) + 5);
            g.drawString(label, x(v) - fm.stringWidth(label) / 2, y(0) + 7 + fm.getAscent());
            g.drawLine(x(0) - 5, y(v), x(0), y(v));
            g.drawString(label, x(0) - 8 - fm.stringWidth(label), y(v) + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x(0), y(1), x(1) - x(0), y(0) - y(1));
        g.drawString("recall", (x(0) + x(1) - fm.stringWidth("recall")) / 2, height - 10);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("precision", -(y(0) + y(1) + fm.stringWidth("precision")) / 2, 16);
        rotated.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, x(0), TOP - 12);
    }

    private void curve(Graphics2D g, PrecisionRecallCurve curve, Color colour) {
        if (curve.isEmpty()) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        List<PrecisionRecallCurve.Point> points = curve.points();
        path.moveTo(x(points.get(0).recall()), y(points.get(0).precision()));
        for (int i = 1; i < points.size(); i++) {
            path.lineTo(x(points.get(i).recall()), y(points.get(i).precision()));
        }
        g.setColor(colour);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
    }

    private void legend(Graphics2D g, List<Series> series) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int line = fm.getHeight() + 2;
        int textWidth = 0;
        for (Series s : series) {
            textWidth = Math.max(textWidth, fm.stringWidth(legendLabel(s)));
        }
        int boxWidth = 8 + 24 + 6 + textWidth + 8;
        int boxHeight = 6 + line * series.size() + 4;
        int left = x(0) + 10;
        int top = y(0) - 10 - boxHeight;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(left, top, boxWidth, boxHeight);
        g.setColor(Color.GRAY);
        g.drawRect(left, top, boxWidth, boxHeight);
        for (int i = 0; i < series.size(); i++) {
            int baseline = top + 6 + line * i + fm.getAscent();
            int mid = baseline - fm.getAscent() / 2 + 1;
            g.setColor(colour(i));
            g.fillRect(left + 8, mid - 2, 24, 4);
            g.setColor(Color.BLACK);
            g.drawString(legendLabel(series.get(i)), left + 8 + 24 + 6, baseline);
        }
    }
}
