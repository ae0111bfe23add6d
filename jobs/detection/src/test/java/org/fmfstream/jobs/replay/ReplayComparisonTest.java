package org.fmfstream.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fmfstream.schemas.Decision.ANOMALY;
import static org.fmfstream.schemas.Decision.NORMAL;
import static org.fmfstream.schemas.Decision.UNDECIDED;

import java.util.List;
import org.fmfstream.jobs.replay.ReplayComparison.Change;
import org.fmfstream.jobs.replay.ReplayComparison.Episode;
import org.fmfstream.jobs.replay.ReplayComparison.Run;
import org.fmfstream.jobs.replay.ReplayComparison.Window;
import org.fmfstream.schemas.Decision;
import org.junit.jupiter.api.Test;

class ReplayComparisonTest {
    private static final long T0 = 1_795_680_000_000_000L; // 2026-11-26T08:00:00Z in µs

    private static Window w(String furnace, int second, Decision d, double p) {
        return new Window(furnace, T0 + second * 1_000_000L, d, p);
    }

    /*
     * F01 s1..s7 in both runs: A = N A A N N A N, B = N N A A N N N; F02 s1 in both (N), s2 in B only (A).
     * |Δp| over the 8 common windows sums to 1.0.
     */
    private static final Run A = new Run("a", List.of("fmformer-xs 1 (sha256 aaaa)"), List.of(
            w("F01", 1, NORMAL, 0.1), w("F01", 2, ANOMALY, 0.6), w("F01", 3, ANOMALY, 0.9), w("F01", 4, NORMAL, 0.4),
            w("F01", 5, NORMAL, 0.1), w("F01", 6, ANOMALY, 0.55), w("F01", 7, NORMAL, 0.2), w("F02", 1, NORMAL, 0.3)));
    private static final Run B = new Run("b", List.of("fmformer-xs 2 (sha256 bbbb)"), List.of(
            w("F02", 2, ANOMALY, 0.9), w("F02", 1, NORMAL, 0.1),
            w("F01", 7, NORMAL, 0.2), w("F01", 6, NORMAL, 0.45), w("F01", 5, NORMAL, 0.1), w("F01", 4, ANOMALY, 0.7),
            w("F01", 3, ANOMALY, 0.8), w("F01", 2, NORMAL, 0.4), w("F01", 1, NORMAL, 0.2)));

    @Test
    void countsAgreementChangesAndMeanDelta() {
        ReplayComparison.Result r = ReplayComparison.compare(A, B);
        assertThat(r.windowsA()).isEqualTo(8);
        assertThat(r.windowsB()).isEqualTo(9);
        assertThat(r.common()).isEqualTo(8);
        assertThat(r.onlyA()).isZero();
        assertThat(r.onlyB()).isEqualTo(1);
        assertThat(r.agreeing()).isEqualTo(5);
        assertThat(r.anomalousA()).isEqualTo(3);
        assertThat(r.anomalousB()).isEqualTo(3);
        assertThat(r.meanAbsDeltaP()).isCloseTo(0.125, within(1e-12));
        assertThat(r.changes()).extracting(c -> (c.windowEndMicros() - T0) / 1_000_000L).containsExactly(2L, 4L, 6L);
    }

    @Test
    void episodesAreMaximalRunsAnomalousInEitherRun() {
        List<Episode> episodes = ReplayComparison.compare(A, B).episodes();
        assertThat(episodes).containsExactly(
                new Episode("F01", T0 + 2_000_000L, T0 + 4_000_000L, 3, 2, 2),
                new Episode("F01", T0 + 6_000_000L, T0 + 6_000_000L, 1, 1, 0),
                new Episode("F02", T0 + 2_000_000L, T0 + 2_000_000L, 1, 0, 1));
        assertThat(episodes).extracting(Episode::agreed).containsExactly(true, false, false);
    }

    @Test
    void reportNamesModelsAndCutsTheChangedTable() {
        String md = ReplayComparison.report(A, B, 2);
        assertThat(md).contains("# Replay comparison: a vs b")
                .contains("| model | fmformer-xs 1 (sha256 aaaa) | fmformer-xs 2 (sha256 bbbb) |")
                .contains("| windows | 8 | 9 |")
                .contains("Decision agreement: 5 of 8 (62.50 %)")
                .contains("Mean |Δp| over windows in both runs: 0.125;")
                .contains("raised by both: 1")
                .contains("3 windows; the first 2 by furnace and time")
                .contains("| F01 | 2026-11-26T08:00:02Z | ANOMALY | NORMAL | 0.6000 | 0.4000 |")
                .contains("| F01 | 2026-11-26T08:00:04Z | NORMAL | ANOMALY | 0.4000 | 0.7000 |")
                .doesNotContain("08:00:06Z | ANOMALY | NORMAL")
                .contains("| F01 | 2026-11-26T08:00:02Z | 2026-11-26T08:00:04Z | 3 | 2 | 2 | yes |")
                .contains("| F02 | 2026-11-26T08:00:02Z | 2026-11-26T08:00:02Z | 1 | 0 | 1 | no |");
    }

    @Test
    void undecidedWindowsAreCountedChangedWhenDecidedElsewhereAndDoNotSplitEpisodes() {
        // F03: A = A U U A N, B = A U A A N: s2 undecided in both runs, s3 undecided in A only.
        Run a = new Run("a", List.of("m"), List.of(w("F03", 1, ANOMALY, 0.9), w("F03", 2, UNDECIDED, 0.7),
                w("F03", 3, UNDECIDED, 0.8), w("F03", 4, ANOMALY, 0.9), w("F03", 5, NORMAL, 0.1)),
                List.of(ReplayComparison.rule(0.5, 0)));
        Run b = new Run("b", List.of("m"), List.of(w("F03", 1, ANOMALY, 0.9), w("F03", 2, UNDECIDED, 0.7),
                w("F03", 3, ANOMALY, 0.8), w("F03", 4, ANOMALY, 0.9), w("F03", 5, NORMAL, 0.1)),
                List.of(ReplayComparison.rule(0.875, 12)));
        ReplayComparison.Result r = ReplayComparison.compare(a, b);
        assertThat(r.undecidedA()).isEqualTo(2);
        assertThat(r.undecidedB()).isEqualTo(1);
        assertThat(r.anomalousA()).isEqualTo(2);
        assertThat(r.agreeing()).isEqualTo(4);
        assertThat(r.changes()).extracting(c -> c.a().decision()).containsExactly(UNDECIDED);
        // s2 (undecided in both) neither ends nor joins the episode; s3 is anomalous in B.
        assertThat(r.episodes()).containsExactly(new Episode("F03", T0 + 1_000_000L, T0 + 4_000_000L, 3, 2, 3));
        String md = ReplayComparison.report(a, b, 50);
        assertThat(md).contains("| decision rule | P >= 0.5, mask pixels >= 0 | P >= 0.875, mask pixels >= 12 |")
                .contains("| UNDECIDED windows (video missing) | 2 | 1 |")
                .contains("| F03 | 2026-11-26T08:00:03Z | UNDECIDED | ANOMALY | 0.8000 | 0.8000 |");
        assertThat(ReplayComparison.report(A, B, 50)).contains("| decision rule | n/a | n/a |");
    }

    @Test
    void identicalRunsAgreeFully() {
        String md = ReplayComparison.report(A, new Run("a2", A.models(), A.windows()), 50);
        assertThat(md).contains("Decision agreement: 8 of 8 (100.00 %)").contains("Mean |Δp| over windows in both runs: 0.00")
                .contains("## Windows whose decision changed\n\nNone.")
                .contains("identical in every field (decision, probability, mask pixels, degradations, clip, logits, model): 8 of 8")
                .contains("**The two runs said exactly the same.**");
    }

    @Test
    void everyDifferenceIsReportedNotOnlyChangedDecisions() {
        // Same decisions everywhere, but one probability differs in the 7th digit, one window's
        // degradations differ, and one run has a dead letter the other has not.
        Run a = new Run("a", List.of("m"), List.of(
                new Window("F01", T0, NORMAL, 0.9070001, "NORMAL p=0.9070001 degradations=[]"),
                new Window("F01", T0 + 1_000_000, NORMAL, 0.018, "NORMAL p=0.018 degradations=[]"),
                new Window("F01", T0 + 2_000_000, NORMAL, 0.2, "NORMAL p=0.2 degradations=[]")),
                List.of(), List.of());
        Run b = new Run("b", List.of("m"), List.of(
                new Window("F01", T0, NORMAL, 0.907, "NORMAL p=0.907 degradations=[]"),
                new Window("F01", T0 + 1_000_000, NORMAL, 0.018, "NORMAL p=0.018 degradations=[FRAMES_SUBSTITUTED]"),
                new Window("F01", T0 + 2_000_000, NORMAL, 0.2, "NORMAL p=0.2 degradations=[]")),
                List.of(), List.of("LATE fmf.video.frames/0@812: frame 812 of F01 arrived after the watermark"));
        ReplayComparison.Result r = ReplayComparison.compare(a, b);
        assertThat(r.agreeing()).isEqualTo(3);
        assertThat(r.differing()).extracting(Change::windowEndMicros).containsExactly(T0, T0 + 1_000_000);
        assertThat(r.deadLettersOnlyB()).hasSize(1);
        assertThat(r.identical()).isFalse();
        assertThat(r.maxAbsDeltaP()).isCloseTo(1e-7, org.assertj.core.data.Offset.offset(1e-9));
        String md = ReplayComparison.report(a, b, 50);
        assertThat(md).contains("**The runs differ**")
                .contains("identical in every field (decision, probability, mask pixels, degradations, clip, logits, model): 1 of 3")
                .contains("largest |Δp|: 1.00e-07")
                .contains("| F01 | 2026-11-26T08:00:01Z | NORMAL p=0.018 degradations=[] | NORMAL p=0.018 degradations=[FRAMES_SUBSTITUTED] |")
                .contains("- only in B: LATE fmf.video.frames/0@812");
    }
}
