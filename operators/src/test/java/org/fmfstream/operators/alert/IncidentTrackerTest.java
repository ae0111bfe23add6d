package org.fmfstream.operators.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.fmfstream.operators.records.RecordCodecTypeInfo;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.IncidentKind;
import org.fmfstream.schemas.ModelInfo;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {
    /** 2025-01-01T00:00:00Z in microseconds. */
    static final long T0 = 1_735_689_600_000_000L;
    static final long S = 1_000_000L;
    static final long EMIT = 42L;

    // ------------------------------------------------------------------ behaviour

    @Test
    void isolatedPairsBelowKOfNNeverOpen() throws Exception {
        // A A N N N A A N N N ...: never more than 2 anomalous in any 5 consecutive windows.
        Run r = new Run(AlertConfig.DEFAULTS, null);
        for (int i = 0; i < 40; i++) {
            boolean a = i % 5 < 2;
            r.addAndAdvance(event("F01", i, a ? 0.9 : 0.1));
        }
        r.end();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void alternatingAnomaliesOpenOnceAndDoNotFlap() throws Exception {
        // A N A N ...: 3 of 5 from window 4 on; the gaps (1 s) are far below the quiet period, so
        // one incident stays open instead of opening and clearing with every flicker.
        Run r = new Run(AlertConfig.DEFAULTS, null);
        for (int i = 0; i < 20; i++) {
            r.addAndAdvance(event("F01", i, i % 2 == 0 ? 0.8 : 0.2));
        }
        r.end();
        assertThat(r.lines()).containsExactly(
                "F01 INCIDENT_OPENED @4 open@4 first@0 last@4 3/5 p=0.8@0",
                "F01 INCIDENT_CLEARED @48 open@4 first@0 last@18 10/20 p=0.8@0 cleared@48");
    }

    @Test
    void exactOpenUpdateClearSequence() throws Exception {
        Run r = new Run(AlertConfig.DEFAULTS, null);
        double[] p = {0.1, 0.6, 0.7, 0.2, 0.65, 0.9, 0.85};
        for (int i = 0; i < p.length; i++) {
            r.addAndAdvance(event("F01", i, p[i]));
        }
        for (int i = p.length; i <= 40; i++) {
            r.addAndAdvance(event("F01", i, 0.1));
        }
        for (int i = 41; i <= 43; i++) {
            r.addAndAdvance(event("F01", i, 0.7));
        }
        r.end();
        assertThat(r.lines()).containsExactly(
                "F01 INCIDENT_OPENED @4 open@4 first@1 last@4 3/4 p=0.7@2",
                "F01 INCIDENT_UPDATED @5 open@4 first@1 last@5 4/5 p=0.9@5",
                // Window 6 (0.85) is anomalous but below the peak: no update. Clear at 6 + 30 s,
                // counting windows 1..36.
                "F01 INCIDENT_CLEARED @36 open@4 first@1 last@6 5/36 p=0.9@5 cleared@36",
                // A new incident needs k fresh windows; the cleared one's are spent.
                "F01 INCIDENT_OPENED @43 open@43 first@41 last@43 3/3 p=0.7@41",
                "F01 INCIDENT_CLEARED @73 open@43 first@41 last@43 3/3 p=0.7@41 cleared@73");
        Incident first = r.out().get(0);
        assertThat(first.getIncidentId()).isEqualTo("F01-" + (T0 + 4 * S));
        assertThat(r.out().get(2).getIncidentId()).isEqualTo(first.getIncidentId());
        assertThat(r.out().get(3).getIncidentId()).isEqualTo("F01-" + (T0 + 43 * S));
        assertThat(first.getEmitTimeMillis()).isEqualTo(EMIT);
        assertThat(first.getModel().getName()).isEqualTo("fmformer-xs");
        assertThat(first.getDegraded()).isFalse();
        assertThat(first.getDegradations()).isEmpty();
        assertThat(first.getClearedAtMicros()).isNull();
        assertThat(first.getPeakAreaFraction()).isNull();
    }

    @Test
    void degradedWindowsAreLabelled() throws Exception {
        // VIDEO_MISSING windows decided ANOMALY: events written before UNDECIDED existed. The tracker
        // honours the decision an event records.
        Run r = new Run(AlertConfig.DEFAULTS, null);
        r.addAndAdvance(event("F01", 0, 0.8, Degradation.VIDEO_MISSING));
        r.addAndAdvance(event("F01", 1, 0.8));
        r.addAndAdvance(event("F01", 2, 0.8, Degradation.CURRENT_STRETCHED, Degradation.VIDEO_MISSING));
        r.addAndAdvance(event("F01", 3, 0.95, Degradation.FRAMES_SUBSTITUTED));
        // A degraded normal window is not part of the label: only anomalous windows raise alerts.
        r.addAndAdvance(event("F01", 4, 0.1, Degradation.CURRENT_MISSING));
        r.end();
        List<Incident> out = r.out();
        assertThat(out).extracting(Incident::getKind).containsExactly(IncidentKind.INCIDENT_OPENED,
                IncidentKind.INCIDENT_UPDATED, IncidentKind.INCIDENT_CLEARED);
        assertThat(out.get(0).getDegraded()).isTrue();
        assertThat(out.get(0).getDegradedWindows()).isEqualTo(2);
        assertThat(out.get(0).getDegradations())
                .containsExactly(Degradation.VIDEO_MISSING, Degradation.CURRENT_STRETCHED);
        assertThat(out.get(2).getDegradedWindows()).isEqualTo(3);
        assertThat(out.get(2).getAnomalousWindows()).isEqualTo(4);
        assertThat(out.get(2).getDegradations()).containsExactly(Degradation.VIDEO_MISSING,
                Degradation.CURRENT_STRETCHED, Degradation.FRAMES_SUBSTITUTED);
    }

    @Test
    void undecidedWindowsNeitherOpenNorTakeAPlaceAmongTheLastN() throws Exception {
        Run r = new Run(AlertConfig.DEFAULTS, null);
        // A camera outage: every window undecided, however high its probability.
        for (int i = 0; i < 20; i++) {
            r.addAndAdvance(undecided("F01", i, 0.95));
        }
        assertThat(r.out()).isEmpty();
        // Decided windows between undecided ones: A U N U U A U A. The last 5 decided windows hold
        // 3 anomalous ones at 27 (had the undecided ones taken places, 25..27 would hold only 2).
        r.addAndAdvance(event("F01", 20, 0.8));
        r.addAndAdvance(undecided("F01", 21, 0.99));
        r.addAndAdvance(event("F01", 22, 0.2));
        r.addAndAdvance(undecided("F01", 23, 0.99));
        r.addAndAdvance(undecided("F01", 24, 0.99));
        r.addAndAdvance(event("F01", 25, 0.7));
        r.addAndAdvance(undecided("F01", 26, 0.99));
        r.addAndAdvance(event("F01", 27, 0.9));
        // While open: undecided windows neither raise the peak nor extend nor count.
        r.addAndAdvance(undecided("F01", 28, 0.99));
        r.addAndAdvance(event("F01", 29, 0.1));
        for (int i = 30; i < 70; i++) {
            r.addAndAdvance(undecided("F01", i, 0.99));
        }
        r.end();
        assertThat(r.lines()).containsExactly(
                "F01 INCIDENT_OPENED @27 open@27 first@20 last@27 3/4 p=0.9@27",
                "F01 INCIDENT_CLEARED @57 open@27 first@20 last@27 3/5 p=0.9@27 cleared@57");
        assertThat(r.out().get(0).getDegraded()).isFalse();
    }

    @Test
    void anUndecidedDuplicateIsDroppedLikeAnyOther() throws Exception {
        Run r = new Run(new AlertConfig(2, 2, Duration.ofSeconds(5)), null);
        r.addAndAdvance(event("F01", 0, 0.9));
        r.addAndAdvance(undecided("F01", 1, 0.9));
        r.add(event("F01", 1, 0.9)); // the same window again, now decided: at or before the last one
        r.addAndAdvance(event("F01", 2, 0.9));
        r.end();
        assertThat(r.lines()).containsExactly(
                "F01 INCIDENT_OPENED @2 open@2 first@0 last@2 2/2 p=0.9@0",
                "F01 INCIDENT_CLEARED @7 open@2 first@0 last@2 2/2 p=0.9@0 cleared@7");
    }

    @Test
    void quietPeriodClearsWhenTheWatermarkPassesIt() throws Exception {
        Run r = new Run(new AlertConfig(2, 3, Duration.ofSeconds(10)), null);
        r.add(event("F01", 0, 0.9));
        r.add(event("F01", 1, 0.9));
        assertThat(r.out()).as("nothing before the watermark passes the windows").isEmpty();
        r.watermark(T0 + S);
        assertThat(r.lines()).containsExactly("F01 INCIDENT_OPENED @1 open@1 first@0 last@1 2/2 p=0.9@0");
        r.watermark(T0 + 11 * S - 1000); // 1 ms before the end of the quiet period
        assertThat(r.out()).hasSize(1);
        r.watermark(T0 + 11 * S);
        assertThat(r.lines()).element(1).isEqualTo(
                "F01 INCIDENT_CLEARED @11 open@1 first@0 last@1 2/2 p=0.9@0 cleared@11");
        r.watermark(T0 + 100 * S);
        assertThat(r.out()).hasSize(2);
    }

    @Test
    void furnacesAreTrackedApart() throws Exception {
        Run r = new Run(new AlertConfig(2, 2, Duration.ofSeconds(5)), null);
        for (int i = 0; i < 4; i++) {
            r.add(event("F01", i, i % 2 == 0 ? 0.9 : 0.1));
            r.add(event("F02", i, 0.9));
            r.watermark(T0 + i * S);
        }
        r.end();
        assertThat(r.lines()).containsExactly(
                "F02 INCIDENT_OPENED @1 open@1 first@0 last@1 2/2 p=0.9@0",
                "F02 INCIDENT_CLEARED @8 open@1 first@0 last@3 4/4 p=0.9@0 cleared@8");
    }

    @Test
    void arrivalOrderWithinTheWatermarkAndDuplicatesDoNotChangeTheIncidents() throws Exception {
        List<AnomalyEvent> script = script();
        Run ordered = new Run(AlertConfig.DEFAULTS, null);
        for (AnomalyEvent e : script) {
            ordered.addAndAdvance(e);
        }
        ordered.end();

        // Shuffle within blocks of 4 windows, watermark after each block, and deliver some twice.
        Run shuffled = new Run(AlertConfig.DEFAULTS, null);
        Random random = new Random(7);
        for (int from = 0; from < script.size(); from += 4) {
            List<AnomalyEvent> block = new ArrayList<>(script.subList(from, Math.min(from + 4, script.size())));
            Collections.shuffle(block, random);
            for (AnomalyEvent e : block) {
                shuffled.add(e);
                if (random.nextInt(3) == 0) {
                    shuffled.add(e);
                }
            }
            shuffled.watermark(block.stream().mapToLong(AnomalyEvent::getWindowEndMicros).max().orElseThrow());
            // A duplicate after its window was processed is dropped, not re-counted.
            shuffled.add(block.get(0));
        }
        shuffled.end();
        assertThat(ordered.lines()).hasSize(6);
        assertThat(shuffled.out()).isEqualTo(ordered.out());
    }

    @Test
    void snapshotAndRestoreMidIncidentGivesTheUninterruptedOutput() throws Exception {
        List<AnomalyEvent> script = script();
        Run whole = new Run(AlertConfig.DEFAULTS, null);
        for (AnomalyEvent e : script) {
            whole.add(e);
            whole.watermark(e.getWindowEndMicros() - 2 * S); // two windows wait in the buffer
        }
        whole.end();
        assertThat(whole.lines()).hasSize(6);
        assertThat(whole.out().get(4).getDegraded()).isTrue();

        for (int cut : new int[] {5, 8, 20, 50}) {
            Run first = new Run(AlertConfig.DEFAULTS, null);
            for (AnomalyEvent e : script.subList(0, cut)) {
                first.add(e);
                first.watermark(e.getWindowEndMicros() - 2 * S);
            }
            OperatorSubtaskState snapshot = first.h.snapshot(1L, 1L);
            List<Incident> before = first.out();
            first.h.close();

            Run second = new Run(AlertConfig.DEFAULTS, snapshot);
            for (AnomalyEvent e : script.subList(cut, script.size())) {
                second.add(e);
                second.watermark(e.getWindowEndMicros() - 2 * S);
            }
            second.end();
            List<Incident> all = new ArrayList<>(before);
            all.addAll(second.out());
            assertThat(all).as("cut after %d windows", cut).isEqualTo(whole.out());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Two incidents: one with an update, a quiet clear, then a degraded one. */
    static List<AnomalyEvent> script() {
        List<AnomalyEvent> s = new ArrayList<>();
        double[] p = {0.1, 0.6, 0.7, 0.2, 0.65, 0.9, 0.85, 0.95};
        for (int i = 0; i < p.length; i++) {
            s.add(event("F01", i, p[i]));
        }
        for (int i = p.length; i < 50; i++) {
            s.add(event("F01", i, 0.1));
        }
        for (int i = 50; i < 56; i++) {
            s.add(i % 2 == 0 ? event("F01", i, 0.8, Degradation.VIDEO_MISSING) : event("F01", i, 0.3));
        }
        for (int i = 56; i < 60; i++) {
            s.add(event("F01", i, 0.1));
        }
        return s;
    }

    static AnomalyEvent event(String furnace, int second, double p, Degradation... degradations) {
        long end = T0 + second * S;
        return AnomalyEvent.newBuilder()
                .setFurnaceId(furnace).setWindowStartMicros(end - 360_000L).setWindowEndMicros(end)
                .setClipFrameSeqs(List.of()).setAnomalyProbability(p)
                .setDecision(p >= 0.5 ? Decision.ANOMALY : Decision.NORMAL).setThreshold(0.5)
                .setVideoLogits(List.of()).setCurrentLogits(List.of()).setDegradations(List.of(degradations))
                .setModel(ModelInfo.newBuilder().setName("fmformer-xs").setVersion("1").setSha256("ab".repeat(32))
                        .build())
                .setIngestTimeMillis(1L).setEmitTimeMillis(2L).build();
    }

    /** A window the detection job could not decide (its video was missing). */
    static AnomalyEvent undecided(String furnace, int second, double p) {
        return AnomalyEvent.newBuilder(event(furnace, second, p, Degradation.VIDEO_MISSING))
                .setDecision(Decision.UNDECIDED).build();
    }

    /** An incident as one line, times in seconds after T0. */
    static String line(Incident i) {
        StringBuilder b = new StringBuilder();
        b.append(i.getFurnaceId()).append(' ').append(i.getKind())
                .append(" @").append(sec(i.getEventTimeMicros()))
                .append(" open@").append(sec(i.getOpenedAtMicros()))
                .append(" first@").append(sec(i.getFirstAnomalyMicros()))
                .append(" last@").append(sec(i.getLastAnomalyMicros()))
                .append(' ').append(i.getAnomalousWindows()).append('/').append(i.getTotalWindows())
                .append(" p=").append(i.getPeakProbability()).append('@').append(sec(i.getPeakWindowEndMicros()));
        if (i.getClearedAtMicros() != null) {
            b.append(" cleared@").append(sec(i.getClearedAtMicros()));
        }
        return b.toString();
    }

    private static String sec(long micros) {
        long d = micros - T0;
        return d % S == 0 ? String.valueOf(d / S) : (d / 1e6) + "";
    }

    static final class Run {
        final KeyedOneInputStreamOperatorTestHarness<String, AnomalyEvent, Incident> h;

        Run(AlertConfig config, OperatorSubtaskState restore) throws Exception {
            h = new KeyedOneInputStreamOperatorTestHarness<>(
                    new KeyedProcessOperator<>(new IncidentTracker(config, () -> EMIT)),
                    e -> e.getFurnaceId(), Types.STRING);
            // The output serializer, or the harness would ask Flink's type extractor (flink-avro).
            h.setup(RecordCodecTypeInfo.incidents().createSerializer(new ExecutionConfig().getSerializerConfig()));
            if (restore != null) {
                h.initializeState(restore);
            }
            h.open();
        }

        void add(AnomalyEvent e) throws Exception {
            h.processElement(new StreamRecord<>(e, Math.floorDiv(e.getWindowEndMicros(), 1000L)));
        }

        void watermark(long micros) throws Exception {
            h.processWatermark(Math.floorDiv(micros, 1000L));
        }

        void addAndAdvance(AnomalyEvent e) throws Exception {
            add(e);
            watermark(e.getWindowEndMicros());
        }

        void end() throws Exception {
            h.processWatermark(Long.MAX_VALUE);
        }

        List<Incident> out() {
            return h.extractOutputValues();
        }

        List<String> lines() {
            return out().stream().map(IncidentTrackerTest::line).toList();
        }
    }
}
