package org.fmfstream.model.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.fmfstream.model.data.WindowSample;
import org.fmfstream.model.serve.DecisionRule;

/**
 * What a decision rule does per furnace and per episode, the figures an operator lives with: how
 * often a clean shell is flagged on the worst furnace, not only on average, and whether and how fast
 * each burn-through is caught.
 *
 * <p>A recording is one furnace. An episode is the set of scored windows of a recording that carry
 * the same episode index from the simulator sidecar; it counts as detected when at least {@code k}
 * of its windows are flagged, and its delay is the time from the episode's first frame (its onset,
 * from the sidecar) to the k-th flagged window's frame.
 */
public final class FurnaceReport {

    /** One furnace's counts. */
    public record Furnace(String name, int normal, int falseAlarms, int abnormal, int detected) {
        public double falseAlarmRate() {
            return normal == 0 ? Double.NaN : (double) falseAlarms / normal;
        }

        public double detectionRate() {
            return abnormal == 0 ? Double.NaN : (double) detected / abnormal;
        }
    }

    /**
     * One episode: its windows, flagged ones, the time from onset to its first flagged window and
     * the delay to detection (both NaN when none / when missed).
     *
     * @param onsetSeconds onset, seconds after the furnace's first scored window
     */
    public record Episode(String furnace, int index, double onsetSeconds, int windows, int flagged,
                          double firstFlagSeconds, double delaySeconds) {
        public boolean detected() {
            return !Double.isNaN(delaySeconds);
        }
    }

    /** Minimum, median and maximum of a list of rates (NaN entries left out). */
    public record Spread(double min, double median, double max, int count) {
        static Spread of(double[] values) {
            double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
            if (v.length == 0) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Spread(v[0], median, v[v.length - 1], v.length);
        }
    }

    private final String variant;
    private final DecisionRule rule;
    private final int episodeK;
    private final Map<String, int[]> furnaces = new LinkedHashMap<>();
    private final Map<String, List<long[]>> episodeWindows = new LinkedHashMap<>();
    private final Map<String, Long> onsets = new LinkedHashMap<>();
    private final Map<String, Long> firstWindow = new LinkedHashMap<>();

    /** @param episodeK flagged windows an episode needs to count as detected */
    public FurnaceReport(String variant, DecisionRule rule, int episodeK) {
        if (episodeK < 1) {
            throw new IllegalArgumentException("an episode needs at least 1 flagged window to be detected, got " + episodeK);
        }
        this.variant = variant;
        this.rule = rule;
        this.episodeK = episodeK;
    }

    /**
     * Adds one window's outcome.
     *
     * @param onsetMicros when the window's episode began, or null (then the window's own time stands in)
     */
    public void add(WindowSample sample, boolean flagged, Long onsetMicros) {
        int[] f = furnaces.computeIfAbsent(sample.recording(), k -> new int[4]);
        firstWindow.merge(sample.recording(), sample.timeMicros(), Math::min);
        if (sample.abnormal()) {
            f[2]++;
            f[3] += flagged ? 1 : 0;
        } else {
            f[0]++;
            f[1] += flagged ? 1 : 0;
        }
        if (sample.episode() >= 0) {
            String key = sample.recording() + "#" + sample.episode();
            episodeWindows.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new long[] {sample.timeMicros(), flagged ? 1 : 0});
            onsets.putIfAbsent(key, onsetMicros != null ? onsetMicros : sample.timeMicros());
        }
    }

    public String variant() {
        return variant;
    }

    public DecisionRule rule() {
        return rule;
    }

    public int episodeK() {
        return episodeK;
    }

    public List<Furnace> furnaces() {
        List<Furnace> out = new ArrayList<>();
        furnaces.forEach((name, f) -> out.add(new Furnace(name, f[0], f[1], f[2], f[3])));
        return out;
    }

    public List<Episode> episodes() {
        List<Episode> out = new ArrayList<>();
        episodeWindows.forEach((key, windows) -> {
            windows.sort((a, b) -> Long.compare(a[0], b[0]));
            long onset = onsets.get(key);
            int flagged = 0;
            double first = Double.NaN;
            double delay = Double.NaN;
            for (long[] w : windows) {
                flagged += (int) w[1];
                double sinceOnset = Math.max(0, (w[0] - onset) / 1e6);
                if (flagged == 1 && w[1] == 1 && Double.isNaN(first)) {
                    first = sinceOnset;
                }
                if (flagged == episodeK && w[1] == 1 && Double.isNaN(delay)) {
                    delay = sinceOnset;
                }
            }
            int hash = key.lastIndexOf('#');
            String furnace = key.substring(0, hash);
            out.add(new Episode(furnace, Integer.parseInt(key.substring(hash + 1)),
                    (onset - firstWindow.get(furnace)) / 1e6, windows.size(), flagged, first, delay));
        });
        return out;
    }

    /**
     * Window-level figures of the rule over all furnaces: accuracy, precision, recall, F1, false-alarm
     * rate (the class-threshold metrics of the main report ignore the mask condition).
     */
    public double[] overall() {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (Furnace f : furnaces()) {
            tp += f.detected();
            fn += f.abnormal() - f.detected();
            fp += f.falseAlarms();
            tn += f.normal() - f.falseAlarms();
        }
        double precision = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        return new double[] {(double) (tp + tn) / Math.max(1, tp + tn + fp + fn), precision, recall, f1,
                fp + tn == 0 ? Double.NaN : (double) fp / (fp + tn)};
    }

    public Spread falseAlarmsPerFurnace() {
        return Spread.of(furnaces().stream().mapToDouble(Furnace::falseAlarmRate).toArray());
    }

    public Spread detectionPerFurnace() {
        return Spread.of(furnaces().stream().mapToDouble(Furnace::detectionRate).toArray());
    }

    /** Delays of the detected episodes, seconds. */
    public Spread delays() {
        return Spread.of(episodes().stream().filter(Episode::detected).mapToDouble(Episode::delaySeconds).toArray());
    }

    /** Markdown section: the rule, per-furnace spreads, episode detection, and the per-furnace table. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        Spread far = falseAlarmsPerFurnace();
        Spread det = detectionPerFurnace();
        List<Episode> episodes = episodes();
        long detected = episodes.stream().filter(Episode::detected).count();
        long within10 = episodes.stream().filter(e -> e.detected() && e.delaySeconds() <= 10).count();
        Spread delay = delays();
        md.append(String.format(Locale.ROOT, "### %s: per furnace and per episode%n%n", variant));
        md.append(String.format(Locale.ROOT, "Decision rule: P(abnormal) >= %.4f and at least %d mask pixels.%n%n",
                rule.threshold(), rule.minMaskPixels()));
        double[] o = overall();
        md.append(String.format(Locale.ROOT, "All windows with this rule: accuracy %.4f, precision %.4f, recall %.4f,"
                + " F1 %.4f, false-alarm rate %.4f.%n%n", o[0], o[1], o[2], o[3], o[4]));
        md.append("| figure | min | median | max | furnaces |\n|---|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| false-alarm rate (flagged normal windows) | %.4f | %.4f | %.4f | %d |%n",
                far.min(), far.median(), far.max(), far.count()));
        md.append(String.format(Locale.ROOT, "| detection rate (flagged abnormal windows) | %.4f | %.4f | %.4f | %d |%n%n",
                det.min(), det.median(), det.max(), det.count()));
        md.append(String.format(Locale.ROOT, "Episodes detected (at least %d flagged windows): %d of %d; within 10 s of"
                        + " onset: %d; delay from onset min / median / max: %.1f / %.1f / %.1f s.%n%n", episodeK,
                detected, episodes.size(), within10, delay.min(), delay.median(), delay.max()));
        md.append("| furnace | normal | false alarms | rate | abnormal | detected | rate |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (Furnace f : furnaces()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.4f | %d | %d | %.4f |%n", f.name(), f.normal(),
                    f.falseAlarms(), f.falseAlarmRate(), f.abnormal(), f.detected(), f.detectionRate()));
        }
        if (!episodes.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%n| furnace | episode | onset (s) | windows | flagged | first flagged"
                    + " after (s) | detected after (s, %d flagged) |%n|---|---:|---:|---:|---:|---:|---:|%n", episodeK));
            for (Episode e : episodes) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %d | %s | %s |%n", e.furnace(),
                        e.index(), e.onsetSeconds(), e.windows(), e.flagged(), seconds(e.firstFlagSeconds()),
                        seconds(e.delaySeconds())));
            }
        }
        return md.append('\n').toString();
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "missed" : String.format(Locale.ROOT, "%.1f", value);
    }

    /**
     * Two charts side by side: per-furnace false-alarm rates (sorted bars) and a histogram of
     * detection delays in 2-second bins (the last bin holds everything from 30 s).
     */
    public void writePlot(Path file) throws IOException {
        int w = 900;
        int h = 340;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double[] rates = furnaces().stream().mapToDouble(Furnace::falseAlarmRate).filter(x -> !Double.isNaN(x))
                .sorted().toArray();
        double top = Math.max(0.05, rates.length == 0 ? 0 : rates[rates.length - 1]);
        bars(g, 50, 30, 380, 260, rates, top, new Color(200, 60, 50),
                String.format(Locale.ROOT, "false-alarm rate per furnace (sorted), max %.3f", top));
        int[] bins = new int[16];
        for (Episode e : episodes()) {
            if (e.detected()) {
                bins[Math.min(bins.length - 1, (int) (e.delaySeconds() / 2))]++;
            }
        }
        double[] counts = Arrays.stream(bins).asDoubleStream().toArray();
        double most = Math.max(1, Arrays.stream(counts).max().orElse(1));
        bars(g, 500, 30, 380, 260, counts, most, new Color(50, 100, 200),
                String.format(Locale.ROOT, "detection delay, 2 s bins 0..30+ s (max %d episodes)", (int) most));
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static void bars(Graphics2D g, int x, int y, int width, int height, double[] values, double top,
                             Color color, String title) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawLine(x, y + height, x + width, y + height);
        g.drawLine(x, y, x, y + height);
        try {
            g.drawString(title, x, y - 10);
        } catch (RuntimeException e) {
            // No font on this machine: the chart stays readable without its caption.
        }
        if (values.length == 0) {
            return;
        }
        double step = (double) width / values.length;
        g.setColor(color);
        for (int i = 0; i < values.length; i++) {
            int barHeight = (int) Math.round(height * Math.min(1, values[i] / top));
            g.fillRect(x + (int) (i * step) + 1, y + height - barHeight, Math.max(1, (int) step - 2), barHeight);
        }
    }
}
