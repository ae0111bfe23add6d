package org.fmfstream.jobs.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.Decision;

/**
 * The Markdown comparison of two replay runs' events (or any two event sets): model identities, window
 * counts, decision agreement, the windows whose decision changed, per-episode agreement and mean
 * |Δp|. Pure logic; {@link ReplayCommand} reads the runs.
 *
 * <p>Windows are matched by (furnace, windowEndMicros). An <em>episode</em> is a maximal run of a
 * furnace's consecutive windows (in the union of both runs' windows, by end time) that are ANOMALY
 * in at least one run; it is <em>agreed</em> when both runs have at least one ANOMALY window in it,
 * i.e. both would have raised it (an alert follows an episode, not each window). A window UNDECIDED
 * in every run that has it (its video was missing) neither extends nor ends an episode, as the alert
 * job skips it; a window UNDECIDED in one run and decided in the other is a changed decision.
 */
public final class ReplayComparison {
    /** Rows of the changed-windows table before it is cut (the total is always given). */
    public static final int DEFAULT_MAX_ROWS = 50;

    /**
     * One scored window of a run. {@code content} is everything its event says about the window apart
     * from wall-clock times (decision, exact probability, mask pixels, degradations, clip frames,
     * logits, model), so two runs over the same records can be compared field by field.
     */
    public record Window(String furnace, long windowEndMicros, Decision decision, double probability, String content) {
        /** A window known only by its decision and probability. */
        public Window(String furnace, long windowEndMicros, Decision decision, double probability) {
            this(furnace, windowEndMicros, decision, probability, decision + " p=" + probability);
        }
    }

    /**
     * A run: its name, the model identities its events name, its windows, the decision rules its events
     * record, and its dead letters (kind, source, reason: one line each).
     */
    public record Run(String name, List<String> models, List<Window> windows, List<String> rules,
                      List<String> deadLetters) {
        /** A run whose rules and dead letters are not known. */
        public Run(String name, List<String> models, List<Window> windows) {
            this(name, models, windows, List.of(), List.of());
        }

        public Run(String name, List<String> models, List<Window> windows, List<String> rules) {
            this(name, models, windows, rules, List.of());
        }

        /** A run from its events and dead letters. */
        public static Run of(String name, List<AnomalyEvent> events, List<DeadLetter> letters) {
            Run r = of(name, events);
            List<String> dead = letters.stream().map(d -> d.getErrorKind() + " " + d.getSourceTopic() + "/"
                    + d.getSourcePartition() + "@" + d.getSourceOffset() + ": " + d.getReason()).sorted().toList();
            return new Run(r.name(), r.models(), r.windows(), r.rules(), dead);
        }

        public static Run of(String name, List<AnomalyEvent> events) {
            Set<String> models = new LinkedHashSet<>();
            Set<String> rules = new LinkedHashSet<>();
            List<Window> windows = new ArrayList<>();
            for (AnomalyEvent e : events) {
                String sha = e.getModel().getSha256().toString();
                models.add(e.getModel().getName() + " " + e.getModel().getVersion() + " (sha256 "
                        + sha.substring(0, Math.min(12, sha.length())) + ")");
                rules.add(rule(e.getThreshold(), e.getMinMaskPixels()));
                windows.add(new Window(e.getFurnaceId().toString(), e.getWindowEndMicros(), e.getDecision(),
                        e.getAnomalyProbability(), content(e)));
            }
            return new Run(name, List.copyOf(models), windows, List.copyOf(rules));
        }
    }

    /** The fields of an event that two runs over the same records must agree on (not its wall-clock times). */
    static String content(AnomalyEvent e) {
        return e.getDecision() + " p=" + e.getAnomalyProbability() + " maskPixels=" + e.getMaskPixels()
                + " degradations=" + e.getDegradations() + " clip=" + e.getClipFrameSeqs()
                + " start=" + e.getWindowStartMicros() + " video=" + e.getVideoLogits() + " current="
                + e.getCurrentLogits() + " model=" + e.getModel().getSha256();
    }

    /** A decision rule as the report prints it: {@code P >= 0.5, mask pixels >= 0}. */
    static String rule(double threshold, int minMaskPixels) {
        return "P >= " + java.math.BigDecimal.valueOf(threshold).stripTrailingZeros().toPlainString()
                + ", mask pixels >= " + minMaskPixels;
    }

    /** One episode (see the class comment). */
    public record Episode(String furnace, long startMicros, long endMicros, int windows, int anomalousA,
                          int anomalousB) {
        public boolean agreed() {
            return anomalousA > 0 && anomalousB > 0;
        }
    }

    /** A window present in both runs with different decisions (or, in {@code Result.differing}, any other field). */
    public record Change(String furnace, long windowEndMicros, Window a, Window b) {}

    /**
     * The figures of a comparison. {@code differing}: windows in both runs whose events differ in any
     * field (a superset of {@code changes}); {@code deadLettersOnlyA/B}: dead letters one run has and
     * the other has not.
     */
    public record Result(int windowsA, int windowsB, int common, int onlyA, int onlyB, int agreeing,
                         long anomalousA, long anomalousB, double meanAbsDeltaP, List<Change> changes,
                         List<Episode> episodes, long undecidedA, long undecidedB, double maxAbsDeltaP,
                         List<Change> differing, List<String> deadLettersOnlyA, List<String> deadLettersOnlyB) {
        public long episodesAgreed() {
            return episodes.stream().filter(Episode::agreed).count();
        }

        /** Whether the two runs said exactly the same: same windows, same fields, same dead letters. */
        public boolean identical() {
            return onlyA == 0 && onlyB == 0 && differing.isEmpty() && deadLettersOnlyA.isEmpty()
                    && deadLettersOnlyB.isEmpty();
        }
    }

    private ReplayComparison() {}

    public static Result compare(Run a, Run b) {
        Map<String, TreeMap<Long, Window[]>> byFurnace = new TreeMap<>();
        for (Window w : a.windows()) {
            byFurnace.computeIfAbsent(w.furnace(), k -> new TreeMap<>())
                    .computeIfAbsent(w.windowEndMicros(), k -> new Window[2])[0] = w;
        }
        for (Window w : b.windows()) {
            byFurnace.computeIfAbsent(w.furnace(), k -> new TreeMap<>())
                    .computeIfAbsent(w.windowEndMicros(), k -> new Window[2])[1] = w;
        }
        int common = 0;
        int onlyA = 0;
        int onlyB = 0;
        int agreeing = 0;
        double sumDelta = 0;
        double maxDelta = 0;
        List<Change> changes = new ArrayList<>();
        List<Change> differing = new ArrayList<>();
        List<Episode> episodes = new ArrayList<>();
        for (var f : byFurnace.entrySet()) {
            long epStart = 0;
            long epEnd = 0;
            int epWindows = 0;
            int epA = 0;
            int epB = 0;
            for (var e : f.getValue().entrySet()) {
                Window wa = e.getValue()[0];
                Window wb = e.getValue()[1];
                if (wa != null && wb != null) {
                    common++;
                    double delta = Math.abs(wa.probability() - wb.probability());
                    sumDelta += delta;
                    maxDelta = Math.max(maxDelta, delta);
                    if (!wa.content().equals(wb.content())) {
                        differing.add(new Change(f.getKey(), e.getKey(), wa, wb));
                    }
                    if (wa.decision() == wb.decision()) {
                        agreeing++;
                    } else {
                        changes.add(new Change(f.getKey(), e.getKey(), wa, wb));
                    }
                } else if (wa != null) {
                    onlyA++;
                } else {
                    onlyB++;
                }
                boolean anomA = wa != null && wa.decision() == Decision.ANOMALY;
                boolean anomB = wb != null && wb.decision() == Decision.ANOMALY;
                boolean undecided = (wa == null || wa.decision() == Decision.UNDECIDED)
                        && (wb == null || wb.decision() == Decision.UNDECIDED);
                if (undecided) {
                    continue; // no verdict in either run: the episode neither grows nor ends here
                }
                if (anomA || anomB) {
                    if (epWindows == 0) {
                        epStart = e.getKey();
                    }
                    epEnd = e.getKey();
                    epWindows++;
                    epA += anomA ? 1 : 0;
                    epB += anomB ? 1 : 0;
                } else if (epWindows > 0) {
                    episodes.add(new Episode(f.getKey(), epStart, epEnd, epWindows, epA, epB));
                    epWindows = 0;
                    epA = 0;
                    epB = 0;
                }
            }
            if (epWindows > 0) {
                episodes.add(new Episode(f.getKey(), epStart, epEnd, epWindows, epA, epB));
            }
        }
        return new Result(a.windows().size(), b.windows().size(), common, onlyA, onlyB, agreeing,
                count(a, Decision.ANOMALY), count(b, Decision.ANOMALY), common == 0 ? Double.NaN : sumDelta / common,
                changes, episodes, count(a, Decision.UNDECIDED), count(b, Decision.UNDECIDED),
                common == 0 ? Double.NaN : maxDelta, differing, minus(a.deadLetters(), b.deadLetters()),
                minus(b.deadLetters(), a.deadLetters()));
    }

    /** The lines of {@code x} not matched by a line of {@code y} (as multisets). */
    private static List<String> minus(List<String> x, List<String> y) {
        List<String> rest = new ArrayList<>(y);
        List<String> out = new ArrayList<>();
        for (String line : x) {
            if (!rest.remove(line)) {
                out.add(line);
            }
        }
        return out;
    }

    private static long count(Run r, Decision d) {
        return r.windows().stream().filter(w -> w.decision() == d).count();
    }

    /** The Markdown report; the changed-windows table is cut after {@code maxRows} rows. */
    public static String report(Run a, Run b, int maxRows) {
        Result r = compare(a, b);
        StringBuilder s = new StringBuilder();
        s.append("# Replay comparison: ").append(a.name()).append(" vs ").append(b.name()).append("\n\n");
        s.append("| | ").append(a.name()).append(" (A) | ").append(b.name()).append(" (B) |\n|---|---|---|\n");
        s.append("| model | ").append(String.join(", ", a.models())).append(" | ")
                .append(String.join(", ", b.models())).append(" |\n");
        s.append("| decision rule | ").append(rules(a)).append(" | ").append(rules(b)).append(" |\n");
        s.append("| windows | ").append(r.windowsA()).append(" | ").append(r.windowsB()).append(" |\n");
        s.append("| ANOMALY windows | ").append(r.anomalousA()).append(" | ").append(r.anomalousB()).append(" |\n");
        s.append("| UNDECIDED windows (video missing) | ").append(r.undecidedA()).append(" | ").append(r.undecidedB())
                .append(" |\n");
        s.append("| windows in this run only | ").append(r.onlyA()).append(" | ").append(r.onlyB()).append(" |\n\n");
        s.append(String.format(Locale.ROOT, "Windows in both runs: %d. Decision agreement: %d of %d (%s).%n",
                r.common(), r.agreeing(), r.common(), percent(r.agreeing(), r.common())));
        s.append(String.format(Locale.ROOT, "Mean |Δp| over windows in both runs: %s; largest |Δp|: %s.%n",
                Double.isNaN(r.meanAbsDeltaP()) ? "n/a" : String.format(Locale.ROOT, "%.3g", r.meanAbsDeltaP()),
                Double.isNaN(r.maxAbsDeltaP()) ? "n/a" : String.format(Locale.ROOT, "%.3g", r.maxAbsDeltaP())));
        s.append(String.format(Locale.ROOT, "Windows identical in every field (decision, probability, mask pixels,"
                + " degradations, clip, logits, model): %d of %d; dead letters: %d in A, %d in B, %d only in A,"
                + " %d only in B.%n", r.common() - r.differing().size(), r.common(), a.deadLetters().size(),
                b.deadLetters().size(), r.deadLettersOnlyA().size(), r.deadLettersOnlyB().size()));
        s.append(r.identical() ? "**The two runs said exactly the same.**\n" : "**The runs differ** (below).\n");
        s.append(String.format(Locale.ROOT, "Episodes (runs of consecutive windows ANOMALY in either run): %d, "
                + "raised by both: %d.%n%n", r.episodes().size(), r.episodesAgreed()));

        s.append("## Windows whose decision changed\n\n");
        if (r.changes().isEmpty()) {
            s.append("None.\n\n");
        } else {
            s.append(r.changes().size() > maxRows
                    ? String.format(Locale.ROOT, "%d windows; the first %d by furnace and time:%n%n", r.changes().size(), maxRows)
                    : String.format(Locale.ROOT, "%d windows:%n%n", r.changes().size()));
            s.append("| furnace | window end (UTC) | A | B | p A | p B |\n|---|---|---|---|---|---|\n");
            for (Change c : r.changes().subList(0, Math.min(maxRows, r.changes().size()))) {
                s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.4f | %.4f |%n", c.furnace(),
                        time(c.windowEndMicros()), c.a().decision(), c.b().decision(), c.a().probability(),
                        c.b().probability()));
            }
            s.append('\n');
        }
        s.append("## Windows whose events differ in any field\n\n");
        if (r.differing().isEmpty()) {
            s.append("None.\n\n");
        } else {
            s.append(String.format(Locale.ROOT, "%d windows%s:%n%n", r.differing().size(),
                    r.differing().size() > maxRows ? "; the first " + maxRows : ""));
            s.append("| furnace | window end (UTC) | A | B |\n|---|---|---|---|\n");
            for (Change c : r.differing().subList(0, Math.min(maxRows, r.differing().size()))) {
                s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", c.furnace(), time(c.windowEndMicros()),
                        c.a().content(), c.b().content()));
            }
            s.append('\n');
        }
        s.append("## Dead letters in one run only\n\n");
        if (r.deadLettersOnlyA().isEmpty() && r.deadLettersOnlyB().isEmpty()) {
            s.append("None.\n\n");
        } else {
            for (String d : r.deadLettersOnlyA().subList(0, Math.min(maxRows, r.deadLettersOnlyA().size()))) {
                s.append("- only in A: ").append(d).append('\n');
            }
            for (String d : r.deadLettersOnlyB().subList(0, Math.min(maxRows, r.deadLettersOnlyB().size()))) {
                s.append("- only in B: ").append(d).append('\n');
            }
            s.append('\n');
        }
        s.append("## Episodes\n\n");
        if (r.episodes().isEmpty()) {
            s.append("None.\n");
        } else {
            s.append("| furnace | first window end (UTC) | last window end (UTC) | windows | ANOMALY in A | ANOMALY in B"
                    + " | agreed |\n|---|---|---|---|---|---|---|\n");
            for (Episode e : r.episodes()) {
                s.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %s |%n", e.furnace(),
                        time(e.startMicros()), time(e.endMicros()), e.windows(), e.anomalousA(), e.anomalousB(),
                        e.agreed() ? "yes" : "no"));
            }
        }
        return s.toString();
    }

    private static String rules(Run r) {
        return r.rules().isEmpty() ? "n/a" : String.join("; ", r.rules());
    }

    private static String percent(long n, long of) {
        return of == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f %%", 100.0 * n / of);
    }

    private static String time(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
                .toString();
    }
}
