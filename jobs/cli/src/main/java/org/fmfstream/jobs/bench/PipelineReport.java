package org.fmfstream.jobs.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The real-time runs of {@code ./fmf bench pipeline} and what they say: which furnace counts the
 * machine kept in real time, the largest of them, and a PNG of latency and scored windows against
 * furnaces.
 */
public final class PipelineReport {

    /** A run keeps up in real time when its latency p99 stays within this. */
    public static final long REAL_TIME_P99_MILLIS = 2_000;

    /**
     * ... and when it scored at least this share of the windows its input offered after the warm-up
     * (one a second per furnace): a job that falls behind far enough never emits the late windows
     * before the run ends, so their latency would not be counted at all.
     */
    public static final double MIN_SCORED_SHARE = 0.8;

    /**
     * One real-time run.
     *
     * @param furnaces        furnaces simulated in real time (one window a second each)
     * @param seconds         seconds of input counted (the run's duration less its warm-up)
     * @param windows         events whose newest record the job read after the warm-up
     * @param p50Millis       latency p50, from reading a window's newest record to its event
     * @param p99Millis       latency p99
     */
    public record LiveRun(int furnaces, int seconds, int windows, long p50Millis, long p99Millis) {
        public int offeredWindows() {
            return furnaces * seconds;
        }

        public double scoredPerSecond() {
            return (double) windows / seconds;
        }

        public boolean keptUp() {
            return p99Millis <= REAL_TIME_P99_MILLIS && windows >= MIN_SCORED_SHARE * offeredWindows();
        }
    }

    private final List<LiveRun> runs;

    public PipelineReport(List<LiveRun> runs) {
        this.runs = runs.stream().sorted(Comparator.comparingInt(LiveRun::furnaces)).toList();
    }

    public List<LiveRun> runs() {
        return runs;
    }

    /**
     * The largest furnace count that kept up while every smaller count tried kept up too (a count
     * that passed above one that failed is noise, not capacity); empty when the smallest failed.
     */
    public OptionalInt largestKeptUp() {
        OptionalInt largest = OptionalInt.empty();
        for (LiveRun run : runs) {
            if (!run.keptUp()) {
                break;
            }
            largest = OptionalInt.of(run.furnaces());
        }
        return largest;
    }

    /**
     * Two panels over furnaces: latency p50 and p99 with the real-time limit, and windows scored a
     * second against those offered, with the bare model's rate for scale.
     */
    public void writePlot(Path file, String title, double bareModelPerSecond) throws IOException {
        NumberAxis furnaces = new NumberAxis("furnaces in real time (one window a second each)");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(furnaces);
        plot.setGap(12);

        XYSeriesCollection latency = new XYSeriesCollection();
        latency.addSeries(series("latency p50", r -> r.p50Millis()));
        latency.addSeries(series("latency p99", r -> r.p99Millis()));
        latency.addSeries(flat("real-time limit (p99)", REAL_TIME_P99_MILLIS));
        plot.add(BenchCharts.panel(latency, "ms", true), 1);

        XYSeriesCollection rate = new XYSeriesCollection();
        rate.addSeries(series("windows scored / s", LiveRun::scoredPerSecond));
        rate.addSeries(series("windows offered / s", r -> r.furnaces()));
        rate.addSeries(flat("bare model, same batch size", bareModelPerSecond));
        plot.add(BenchCharts.panel(rate, "windows / s", true), 1);

        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 960, 720);
    }

    private XYSeries series(String name, java.util.function.ToDoubleFunction<LiveRun> value) {
        XYSeries s = new XYSeries(name);
        for (LiveRun run : runs) {
            s.add(run.furnaces(), value.applyAsDouble(run));
        }
        return s;
    }

    private XYSeries flat(String name, double y) {
        XYSeries s = new XYSeries(name);
        if (!runs.isEmpty() && Double.isFinite(y)) {
            s.add(runs.get(0).furnaces(), y);
            s.add(runs.get(runs.size() - 1).furnaces(), y);
        }
        return s;
    }
}
