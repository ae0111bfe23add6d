package org.fmfstream.jobs.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The soak's samples and what they say: each process's RSS trend and the checkpoint size trend
 * after the warm-up (least-squares slope, in % of the mean per hour, the "flat" test), a
 * CSV of every sample, a Markdown table and a PNG of the four series against time.
 */
public final class SoakReport {

    /** A trend counts as flat when its least-squares slope is within this share of its mean per hour. */
    public static final double FLAT_PERCENT_PER_HOUR = 5.0;

    /** A least-squares line through a series: its slope per hour, its mean, and the slope in % of the mean. */
    public record Trend(double slopePerHour, double mean, int samples) {
        public double percentPerHour() {
            return mean == 0 ? 0 : 100 * slopePerHour / mean;
        }

        public boolean flat() {
            return Math.abs(percentPerHour()) <= FLAT_PERCENT_PER_HOUR;
        }
    }

    private final List<SoakSample> samples;
    private final double warmUpMinutes;
    private final int furnaces;

    public SoakReport(List<SoakSample> samples, double warmUpMinutes, int furnaces) {
        this.samples = List.copyOf(samples);
        this.warmUpMinutes = warmUpMinutes;
        this.furnaces = furnaces;
    }

    public List<SoakSample> samples() {
        return samples;
    }

    /** The processes sampled, in the order they first appear. */
    public List<String> processes() {
        Set<String> names = new LinkedHashSet<>();
        samples.forEach(s -> names.addAll(s.rssMiB().keySet()));
        return List.copyOf(names);
    }

    /** Least-squares trend of {@code value} over the samples after the warm-up that have one (not NaN). */
    public Trend trend(ToDoubleFunction<SoakSample> value) {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (SoakSample s : samples) {
            double y = value.applyAsDouble(s);
            if (s.minute() < warmUpMinutes || Double.isNaN(y)) {
                continue;
            }
            double x = s.minute() / 60.0;
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        if (n < 2) {
            return new Trend(0, n == 1 ? sy : 0, (int) n);
        }
        double denominator = n * sxx - sx * sx;
        double slope = denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
        return new Trend(slope, sy / n, (int) n);
    }

    public Trend rssTrend(String process) {
        return trend(s -> s.rssMiB().getOrDefault(process, Double.NaN));
    }

    public Trend stateTrend() {
        return trend(s -> s.checkpoints() == 0 ? Double.NaN : s.stateBytes());
    }

    /** One line per process and one for the checkpoint size: trend and verdict against "flat". */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        for (String p : processes()) {
            Trend t = rssTrend(p);
            lines.add(String.format(Locale.ROOT, "RSS %-13s mean %7.0f MiB, slope %+7.1f MiB/h (%+5.1f %%/h) %s",
                    p, t.mean(), t.slopePerHour(), t.percentPerHour(), t.flat() ? "flat" : "NOT flat"));
        }
        Trend state = stateTrend();
        lines.add(String.format(Locale.ROOT, "checkpoint state mean %.0f KiB (%.1f KiB per furnace), slope %+.1f KiB/h"
                        + " (%+.1f %%/h) %s", state.mean() / 1024, state.mean() / 1024 / Math.max(1, furnaces),
                state.slopePerHour() / 1024, state.percentPerHour(), state.flat() ? "flat" : "NOT flat"));
        SoakSample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        if (last != null) {
            lines.add(String.format(Locale.ROOT, "job %s after %.1f min: %d checkpoints completed, %d failed, %d events"
                            + " committed (%.1f per furnace per minute)", last.jobState(), last.minute(), last.checkpoints(),
                    last.failedCheckpoints(), last.eventsCommitted(),
                    last.minute() == 0 ? 0 : last.eventsCommitted() / last.minute() / Math.max(1, furnaces)));
        }
        lines.add(String.format(Locale.ROOT, "trends over the samples from minute %.0f on; flat = |slope| <= %.0f %% of"
                + " the mean per hour", warmUpMinutes, FLAT_PERCENT_PER_HOUR));
        return lines;
    }

    /** Every sample, one CSV row each; RSS columns are named {@code rss_<process>_mib}. */
    public void writeCsv(Path file) throws IOException {
        StringBuilder csv = new StringBuilder("minute");
        List<String> processes = processes();
        processes.forEach(p -> csv.append(",rss_").append(p).append("_mib"));
        csv.append(",job_state,checkpoints,failed_checkpoints,state_bytes,checkpoint_ms,input_lag,events_committed\n");
        for (SoakSample s : samples) {
            csv.append(String.format(Locale.ROOT, "%.2f", s.minute()));
            for (String p : processes) {
                Double v = s.rssMiB().get(p);
                csv.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.1f", v));
            }
            csv.append(',').append(s.jobState()).append(',').append(s.checkpoints()).append(',')
                    .append(s.failedCheckpoints()).append(',').append(s.stateBytes()).append(',')
                    .append(s.checkpointMillis()).append(',').append(s.inputLag()).append(',')
                    .append(s.eventsCommitted()).append('\n');
        }
        Files.writeString(file, csv);
    }

    /**
     * A Markdown table of every {@code every}-th minute (and the last sample): RSS per process,
     * checkpoint size and duration, input lag, events committed during the preceding minute.
     */
    public String markdownTable(int every) {
        List<String> processes = processes();
        StringBuilder md = new StringBuilder("| minute |");
        processes.forEach(p -> md.append(" RSS ").append(p).append(" (MiB) |"));
        md.append(" checkpoint state (KiB) | checkpoint (ms) | input lag (records) | events / min |\n|---:|");
        processes.forEach(p -> md.append("---:|"));
        md.append("---:|---:|---:|---:|\n");
        for (int i = 0; i < samples.size(); i++) {
            SoakSample s = samples.get(i);
            boolean shown = i == samples.size() - 1 || Math.round(s.minute()) % Math.max(1, every) == 0;
            if (!shown) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %.0f |", s.minute()));
            for (String p : processes) {
                Double v = s.rssMiB().get(p);
                md.append(v == null ? " - |" : String.format(Locale.ROOT, " %.0f |", v));
            }
            md.append(String.format(Locale.ROOT, " %.0f | %d | %d | %s |\n", s.stateBytes() / 1024.0,
                    s.checkpointMillis(), s.inputLag(), i == 0 ? "-" : String.format(Locale.ROOT, "%.0f",
                            eventsPerMinute(samples.get(i - 1), s))));
        }
        return md.toString();
    }

    private static double eventsPerMinute(SoakSample before, SoakSample now) {
        double minutes = now.minute() - before.minute();
        return minutes <= 0 ? 0 : (now.eventsCommitted() - before.eventsCommitted()) / minutes;
    }

    /** Four panels over minutes: RSS per process, checkpoint state, checkpoint duration, input lag and events. */
    public void writePlot(Path file, String title) throws IOException {
        NumberAxis minutes = new NumberAxis("minutes since the job was submitted");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(minutes);
        plot.setGap(12);

        XYSeriesCollection rss = new XYSeriesCollection();
        for (String p : processes()) {
            rss.addSeries(series(p, s -> s.rssMiB().getOrDefault(p, Double.NaN)));
        }
        plot.add(BenchCharts.panel(rss, "RSS (MiB)", false), 3);
        plot.add(BenchCharts.panel(new XYSeriesCollection(series("checkpoint state",
                s -> s.checkpoints() == 0 ? Double.NaN : s.stateBytes() / 1024.0)), "state (KiB)", false), 2);
        plot.add(BenchCharts.panel(new XYSeriesCollection(series("checkpoint duration",
                s -> s.checkpoints() == 0 ? Double.NaN : s.checkpointMillis())), "checkpoint (ms)", false), 2);
        XYSeriesCollection flow = new XYSeriesCollection();
        flow.addSeries(series("input lag (records)", SoakSample::inputLag));
        XYSeries events = new XYSeries("events / min");
        for (int i = 1; i < samples.size(); i++) {
            events.add(samples.get(i).minute(), eventsPerMinute(samples.get(i - 1), samples.get(i)));
        }
        flow.addSeries(events);
        plot.add(BenchCharts.panel(flow, "records", false), 2);

        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 960, 1080);
    }

    private XYSeries series(String name, ToDoubleFunction<SoakSample> value) {
        XYSeries s = new XYSeries(name);
        for (SoakSample sample : samples) {
            double y = value.applyAsDouble(sample);
            if (!Double.isNaN(y)) {
                s.add(sample.minute(), y);
            }
        }
        return s;
    }
}
