package org.fmfstream.jobs.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;

/** The one look of the benchmarks' PNG panels: white, grey grid, thick lines, y axis from zero. */
final class BenchCharts {
    private BenchCharts() {}

    /** A panel of {@code data} with the y axis {@code label}; {@code points} marks each measured point. */
    static XYPlot panel(XYSeriesCollection data, String label, boolean points) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, points);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.8f));
        }
        XYPlot p = new XYPlot(data, null, axis, renderer);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }
}
