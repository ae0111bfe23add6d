package org.fmfstream.operators.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.fmfstream.operators.input.CurrentBlock;
import org.fmfstream.operators.input.FurnaceFrame;
import org.fmfstream.operators.window.AlignedWindow;
import org.fmfstream.schemas.Degradation;
import org.junit.jupiter.api.Test;

/**
 * {@link ClipAligner} in Flink's keyed two-input operator harness. Standard data: frame seq i at
 * i * 40 ms (so whole seconds fall exactly on frames), ingest 1000 + i; current reading j at
 * 250 ms + j * 500 ms (2 Hz), one reading a block, phase values (j, j + 0.25, j + 0.5), ingest j.
 */
class ClipAlignerTest {

    private static final String F1 = "F1";
    private static final String F2 = "F2";
    private static final long MS = 1000L;
    private static final long S = 1_000_000L;
    private static final byte[] SHARED_RGB = new byte[TokenizerSpec.FMFORMER.frameBytes()];
    /**
     * The alignment rules decided by the watermark alone (no furnace is ever "through" a day of
     * out-of-orderness, and the backstop waits for nothing): the tests of what a window holds feed
     * their input, then move the watermark.
     */
    private static final AlignerConfig BY_WATERMARK =
            AlignerConfig.builder().outOfOrderness(Duration.ofDays(1)).incompleteWait(Duration.ZERO).build();

    private record Event(long timeMicros, Object record) {
    }

    // ------------------------------------------------------------------ data

    private static FurnaceFrame frame(String furnace, long seq, long timeMicros) {
        byte[] rgb = new byte[TokenizerSpec.FMFORMER.frameBytes()];
        rgb[0] = (byte) seq;
        return new FurnaceFrame(furnace, seq, timeMicros, rgb, new byte[] {(byte) seq}, 1000 + seq);
    }

    private static CurrentBlock reading(String furnace, long j, long plcTimeMicros) {
        return new CurrentBlock(furnace, plcTimeMicros, 2.0, new float[] {j}, new float[] {j + 0.25f},
                new float[] {j + 0.5f}, j);
    }

    /** Frames seq from..to (inclusive) at seq * 40 ms, skipping {@code drop}. */
    private static List<Event> frames(String furnace, long from, long to, long... drop) {
        List<Event> out = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            long s = seq;
            if (LongStream.of(drop).anyMatch(d -> d == s)) {
                continue;
            }
            out.add(new Event(seq * 40 * MS, frame(furnace, seq, seq * 40 * MS)));
        }
        return out;
    }

    /** Readings j = from..to at 250 ms + j * 500 ms (PLC clock). */
    private static List<Event> readings(String furnace, long from, long to) {
        List<Event> out = new ArrayList<>();
        for (long j = from; j <= to; j++) {
            long t = 250 * MS + j * 500 * MS;
            out.add(new Event(t, reading(furnace, j, t)));
        }
        return out;
    }

    @SafeVarargs
    private static List<Event> merged(List<Event>... parts) {
        List<Event> all = new ArrayList<>();
        for (List<Event> p : parts) {
            all.addAll(p);
        }
        all.sort(Comparator.comparingLong(Event::timeMicros)); // stable: frames before readings on ties
        return all;
    }

    // ------------------------------------------------------------------ harness

    private static final class Run {
        final ClipAligner aligner;
        final KeyedTwoInputStreamOperatorTestHarness<String, FurnaceFrame, CurrentBlock, AlignedWindow> h;
        long maxSeenMillis = Long.MIN_VALUE;
        long lastWatermark = Long.MIN_VALUE;

        Run(AlignerConfig config) throws Exception {
            this(config, null);
        }

        Run(AlignerConfig config, OperatorSubtaskState restore) throws Exception {
            aligner = new ClipAligner(config);
            h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(aligner),
                    f -> f.furnaceId, c -> c.furnaceId, Types.STRING);
            if (restore != null) {
                h.initializeState(restore);
            }
            h.open();
        }

        /** Entries of one of the aligner's map states for {@code furnace}, read from the harness's state backend. */
        int stored(String furnace, MapStateDescriptor<Long, ?> state) throws Exception {
            KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
            backend.setCurrentKey(furnace);
            int n = 0;
            for (Long ignored : backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    state).keys()) {
                n++;
            }
            return n;
        }

        void add(Event e) throws Exception {
            long ms = Math.floorDiv(e.timeMicros(), MS);
            if (e.record() instanceof FurnaceFrame f) {
                h.processElement1(new StreamRecord<>(f, ms));
            } else {
                h.processElement2(new StreamRecord<>((CurrentBlock) e.record(), ms));
            }
            maxSeenMillis = Math.max(maxSeenMillis, ms);
        }

        /** All events, no watermark in between. */
        void addAll(List<Event> events) throws Exception {
            for (Event e : events) {
                add(e);
            }
        }

        /** Events with a bounded-out-of-orderness watermark (max seen - bound) after each. */
        void addAllBounded(List<Event> events, long boundMillis) throws Exception {
            for (Event e : events) {
                add(e);
                watermark(maxSeenMillis - boundMillis);
            }
        }

        void watermark(long ms) throws Exception {
            if (ms > lastWatermark) {
                h.processBothWatermarks(new Watermark(ms));
                lastWatermark = ms;
            }
        }

        List<AlignedWindow> windows() {
            return h.extractOutputValues();
        }
    }

    private static String describe(AlignedWindow w) {
        return w.furnaceId + " [" + w.windowStartMicros + ", " + w.windowEndMicros + "] seqs="
                + Arrays.toString(w.frameSeqs) + " times=" + Arrays.toString(w.frameTimesMicros)
                + " rgb0=" + Arrays.stream(w.frames).map(f -> Byte.toString(f[0])).collect(Collectors.joining(","))
                + " A=" + Arrays.toString(w.phaseA) + " B=" + Arrays.toString(w.phaseB) + " C=" + Arrays.toString(w.phaseC)
                + " sub=" + w.substitutedFrames + " ingest=" + w.lastIngestMillis + " mask=" + Arrays.toString(w.groundTruthMask);
    }

    private static List<String> describeAll(List<AlignedWindow> ws) {
        return ws.stream().map(ClipAlignerTest::describe).toList();
    }

    private static long[] seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).toArray();
    }

    private static float[] phaseA(long from, long to) {
        float[] out = new float[(int) (to - from + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static List<Degradation> degradations(AlignedWindow w) {
        return w.degradations(TokenizerSpec.FMFORMER);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void configDefaultsAndValidation() {
        AlignerConfig c = AlignerConfig.DEFAULTS;
        assertThat(c.hopMicros()).isEqualTo(S);
        assertThat(c.frameIntervalMicros()).isEqualTo(40 * MS);
        assertThat(c.samplingRate()).isEqualTo(1);
        assertThat(c.frameToleranceMicros()).isEqualTo(50 * MS);
        assertThat(c.clipFrames()).isEqualTo(10);
        assertThat(c.currentSpanMicros()).isEqualTo(120 * S);
        assertThat(c.maxCurrentReadings()).isEqualTo(240);
        assertThat(c.minCurrentReadings()).isEqualTo(1);
        assertThat(c.clockOffsetMicros("any")).isZero();
        assertThat(c.emitDegraded()).isTrue();
        assertThat(c.allowedLatenessMillis()).isZero();
        assertThat(c.idleHops()).isEqualTo(2);
        assertThat(c.outOfOrdernessMillis()).isEqualTo(2000);
        assertThat(c.incompleteWaitMillis()).isEqualTo(5000);
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(BY_WATERMARK).isNotEqualTo(c);
        // State and records use Flink's POJO serializer, not Kryo.
        assertThat(TypeInformation.of(FurnaceFrame.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(StoredReadings.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(CurrentBlock.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(AlignedWindow.class)).isInstanceOf(PojoTypeInfo.class);
        assertThatThrownBy(() -> AlignerConfig.builder().hop(Duration.ofNanos(1500_000)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlignerConfig.builder().samplingRate(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlignerConfig.builder().minCurrentReadings(241).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlignerConfig.builder().frameTolerance(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlignerConfig.builder().outOfOrderness(Duration.ofMillis(-1)).build())
                .hasMessageContaining("outOfOrderness");
        assertThatThrownBy(() -> AlignerConfig.builder().incompleteWait(Duration.ofNanos(1)).build())
                .hasMessageContaining("incompleteWait must be a whole number of ms");
    }

    @Test
    void inOrderInputGivesOneWindowPerHopAndAWatermarkOverSeveralHopsEmitsThemInOrder() throws Exception {
        long testStartMillis = System.currentTimeMillis();
        Run r = new Run(BY_WATERMARK);
        r.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 6)));
        assertThat(r.windows()).isEmpty();
        r.watermark(3000);

        List<AlignedWindow> ws = r.windows();
        assertThat(ws).hasSize(3);
        long[][] expectedSeqs = {seqs(16, 25), seqs(41, 50), seqs(66, 75)};
        for (int i = 0; i < 3; i++) {
            AlignedWindow w = ws.get(i);
            long hop = (i + 1) * S;
            assertThat(w.furnaceId).isEqualTo(F1);
            assertThat(w.frameSeqs).containsExactly(expectedSeqs[i]);
            assertThat(w.frameTimesMicros).containsExactly(LongStream.of(expectedSeqs[i]).map(q -> q * 40 * MS).toArray());
            assertThat(w.frames.length).isEqualTo(10);
            assertThat(w.windowEndMicros).isEqualTo(hop);
            assertThat(w.windowStartMicros).isEqualTo(hop - 360 * MS);
            assertThat(w.currentReadings()).isEqualTo(2 * (i + 1));
            assertThat(w.phaseA).containsExactly(phaseA(0, 2L * i + 1));
            assertThat(w.phaseC[0]).isEqualTo(0.5f);
            assertThat(w.substitutedFrames).isZero();
            assertThat(w.groundTruthMask).containsExactly((byte) expectedSeqs[i][9]);
            assertThat(w.lastIngestMillis).isEqualTo(1000 + expectedSeqs[i][9]);
            assertThat(w.decidedMillis).isBetween(testStartMillis, System.currentTimeMillis());
            assertThat(degradations(w)).containsExactly(Degradation.CURRENT_STRETCHED);
            assertThat(w.clip(TokenizerSpec.FMFORMER).frameCount()).isEqualTo(10);
        }
        assertThat(r.h.numEventTimeTimers()).isEqualTo(1);
        assertThat(r.aligner.windowsEmitted.getCount()).isEqualTo(3);
        assertThat(r.aligner.windowsDegraded.getCount()).isZero();
        assertThat(r.aligner.lateRecords.getCount()).isZero();
    }

    @Test
    void outOfOrderInputWithinTheBoundGivesIdenticalWindows() throws Exception {
        List<Event> inOrder = merged(frames(F1, 5, 260), readings(F1, 0, 19));
        Run a = new Run(BY_WATERMARK);
        a.addAllBounded(inOrder, 300);
        a.watermark(10_000);

        Random rnd = new Random(42);
        List<long[]> keys = new ArrayList<>();
        for (int i = 0; i < inOrder.size(); i++) {
            keys.add(new long[] {inOrder.get(i).timeMicros() + rnd.nextInt(300_000), i});
        }
        keys.sort(Comparator.comparingLong(k -> k[0]));
        List<Event> shuffled = keys.stream().map(k -> inOrder.get((int) k[1])).toList();
        assertThat(shuffled).isNotEqualTo(inOrder);
        Run b = new Run(BY_WATERMARK);
        b.addAllBounded(shuffled, 300);
        b.watermark(10_000);

        assertThat(a.windows()).hasSize(10);
        assertThat(a.windows().get(9).currentReadings()).isEqualTo(20);
        assertThat(describeAll(b.windows())).isEqualTo(describeAll(a.windows()));
        assertThat(b.aligner.lateRecords.getCount()).isZero();
    }

    @Test
    void lateRecordsGoToTheSideOutputsAndAreCounted() throws Exception {
        Run r = new Run(BY_WATERMARK);
        r.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 6)));
        r.watermark(3000);
        r.add(new Event(0, frame(F1, 1000, 2400 * MS)));          // in a decided hop
        r.add(new Event(0, frame(F1, 1001, 3000 * MS)));          // the last decided hop's own time: late
        r.add(new Event(0, frame(F1, 1002, 3000 * MS + 1)));      // in hop 4 s, still open: not late
        r.add(new Event(0, reading(F1, 99, 2750 * MS)));
        CurrentBlock straddling = new CurrentBlock(F1, 2500 * MS, 2.0, new float[] {1, 2, 3, 4},
                new float[] {1, 2, 3, 4}, new float[] {1, 2, 3, 4}, 7);   // 2.5, 3.0 late; 3.5, 4.0 kept
        r.add(new Event(0, straddling));

        assertThat(r.h.getSideOutput(ClipAligner.LATE_FRAMES)).extracting(sr -> sr.getValue().frameSeq)
                .containsExactly(1000L, 1001L);
        List<CurrentBlock> lateCurrent = r.h.getSideOutput(ClipAligner.LATE_CURRENT).stream()
                .map(StreamRecord::getValue).toList();
        assertThat(lateCurrent).hasSize(2);
        assertThat(lateCurrent.get(0).phaseA).containsExactly(99f);
        assertThat(lateCurrent.get(1).phaseA).containsExactly(1f, 2f);
        assertThat(lateCurrent.get(1).eventTimeMicros).isEqualTo(2500 * MS);
        assertThat(r.aligner.lateRecords.getCount()).isEqualTo(4);

        // The kept half of the straddling block is used by the next window.
        r.addAll(frames(F1, 81, 101));
        r.watermark(4000);
        AlignedWindow w4 = r.windows().get(3);
        assertThat(w4.windowEndMicros).isEqualTo(4 * S);
        assertThat(w4.phaseA).containsExactly(0f, 1f, 2f, 3f, 4f, 5f, 6f, 3f, 4f);
        assertThat(r.windows()).hasSize(4);
    }

    @Test
    void allowedLatenessDelaysTheHopTimersAndAcceptsRecordsWithinIt() throws Exception {
        AlignerConfig c = BY_WATERMARK.toBuilder().allowedLateness(Duration.ofMillis(500)).build();
        Run r = new Run(c);
        r.addAll(merged(frames(F1, 5, 80, 70), readings(F1, 0, 6)));
        r.watermark(3000);
        assertThat(r.windows()).hasSize(2);          // timers at 1500 and 2500 ms fired; 3500 not yet
        r.add(new Event(0, frame(F1, 70, 2800 * MS)));  // 2800 + 500 > 3000: accepted
        assertThat(r.aligner.lateRecords.getCount()).isZero();
        r.watermark(3500);
        assertThat(r.windows()).hasSize(3);
        assertThat(r.windows().get(2).frameSeqs).containsExactly(seqs(66, 75));
    }

    @Test
    void aMissingFrameIsSubstitutedWithinToleranceAndAWiderGapSkipsTheWindow() throws Exception {
        Run r = new Run(BY_WATERMARK);
        r.addAll(merged(frames(F1, 5, 80, 45, 75), readings(F1, 0, 6)));
        r.watermark(3000);
        List<AlignedWindow> ws = r.windows();
        assertThat(ws).hasSize(3);
        // Slot of seq 45 (1.80 s): 44 and 46 are both 40 ms away; the older one wins.
        assertThat(ws.get(1).frameSeqs).containsExactly(41, 42, 43, 44, 44, 46, 47, 48, 49, 50);
        assertThat(ws.get(1).substitutedFrames).isEqualTo(1);
        assertThat(degradations(ws.get(1))).contains(Degradation.FRAMES_SUBSTITUTED);
        // Scored frame 75 (3.00 s) missing: 74 (2.96 s) ends the clip, the clip moves with it.
        assertThat(ws.get(2).frameSeqs).containsExactly(seqs(65, 74));
        assertThat(ws.get(2).windowEndMicros).isEqualTo(2960 * MS);
        assertThat(ws.get(2).substitutedFrames).isEqualTo(1);
        assertThat(ws.get(2).currentReadings()).isEqualTo(6);
        assertThat(r.aligner.framesSubstituted.getCount()).isEqualTo(2);

        Run gap = new Run(BY_WATERMARK);
        gap.addAll(merged(frames(F1, 5, 80, 44, 45, 46), readings(F1, 0, 6)));
        gap.watermark(3000);
        assertThat(gap.windows()).extracting(w -> w.windowEndMicros).containsExactly(1 * S, 3 * S);
        assertThat(gap.aligner.windowsSkippedFrameGap.getCount()).isEqualTo(1);

        // A tighter tolerance (20 ms) does not reach the neighbours: the single drop is a gap.
        Run tight = new Run(BY_WATERMARK.toBuilder().frameTolerance(Duration.ofMillis(20)).build());
        tight.addAll(merged(frames(F1, 5, 80, 45), readings(F1, 0, 6)));
        tight.watermark(3000);
        assertThat(tight.windows()).extracting(w -> w.windowEndMicros).containsExactly(1 * S, 3 * S);
    }

    @Test
    void samplingRateSpacesTheClipSlots() throws Exception {
        Run r = new Run(BY_WATERMARK.toBuilder().samplingRate(2).build());
        r.addAll(merged(frames(F1, 0, 55), readings(F1, 0, 3)));
        r.watermark(2000);
        assertThat(r.windows()).hasSize(2);   // hop 0 s: frame 0 alone, the clip cannot fill -> gap
        assertThat(r.windows().get(0).frameSeqs).containsExactly(7, 9, 11, 13, 15, 17, 19, 21, 23, 25);
        assertThat(r.windows().get(1).frameSeqs).containsExactly(32, 34, 36, 38, 40, 42, 44, 46, 48, 50);
        assertThat(r.aligner.windowsSkippedFrameGap.getCount()).isEqualTo(1);
    }

    @Test
    void theReferenceSamplingRateKeepsNineTimesEighteenFramesOfHistory() throws Exception {
        // The reference's released weights see frames i-9*18 .. i: a clip spans 6.5 s at 25 fps.
        Run r = new Run(BY_WATERMARK.toBuilder().samplingRate(18).build());
        r.addAll(merged(frames(F1, 0, 250), readings(F1, 0, 11)));
        r.watermark(10_000);
        // Frames 0..250 (to 10 s): the 10 s window scores frame 250.
        assertThat(r.windows()).extracting(w -> w.windowEndMicros).containsExactly(7 * S, 8 * S, 9 * S, 10 * S);
        long[] expected = new long[10];
        for (int k = 0; k < 10; k++) {
            expected[k] = 175 - 18L * (9 - k);
        }
        assertThat(r.windows().get(0).frameSeqs).containsExactly(expected);   // 13, 31, ..., 175
        assertThat(r.windows().get(2).frameSeqs[9]).isEqualTo(225);
        assertThat(r.windows().get(3).frameSeqs).startsWith(250 - 9 * 18).endsWith(250);
        assertThat(r.aligner.windowsSkippedFrameGap.getCount()).isEqualTo(7); // 0 .. 6 s cannot fill a clip
    }

    @Test
    void aCurrentGapStretchesAndNoCurrentGivesCurrentMissingWindows() throws Exception {
        Run gap = new Run(BY_WATERMARK);
        gap.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 1)));
        gap.watermark(3000);
        assertThat(gap.windows()).extracting(AlignedWindow::currentReadings).containsExactly(2, 2, 2);
        assertThat(degradations(gap.windows().get(2))).containsExactly(Degradation.CURRENT_STRETCHED);

        Run none = new Run(BY_WATERMARK);
        none.addAll(frames(F1, 5, 80));
        none.watermark(3000);
        assertThat(none.windows()).hasSize(3).allSatisfy(w -> {
            assertThat(w.currentMissing()).isTrue();
            assertThat(w.frameSeqs).hasSize(10);
            assertThat(degradations(w)).containsExactly(Degradation.CURRENT_MISSING);
        });
        assertThat(none.aligner.windowsDegraded.getCount()).isEqualTo(3);

        // minCurrentReadings = 3: two readings count as none.
        Run min = new Run(BY_WATERMARK.toBuilder().minCurrentReadings(3).build());
        min.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 1)));
        min.watermark(3000);
        assertThat(min.windows()).hasSize(3).allSatisfy(w -> assertThat(w.currentMissing()).isTrue());

        Run off = new Run(BY_WATERMARK.toBuilder().emitDegraded(false).build());
        off.addAll(frames(F1, 5, 80));
        off.watermark(3000);
        assertThat(off.windows()).isEmpty();
        assertThat(off.aligner.windowsSkippedDegraded.getCount()).isEqualTo(3);
    }

    @Test
    void noFramesGivesVideoMissingWindowsUnlessDegradedWindowsAreOff() throws Exception {
        Run r = new Run(BY_WATERMARK);
        r.addAll(readings(F1, 0, 6));
        r.watermark(3000);
        assertThat(r.windows()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            AlignedWindow w = r.windows().get(i);
            assertThat(w.videoMissing()).isTrue();
            assertThat(w.windowStartMicros).isEqualTo((i + 1) * S);
            assertThat(w.windowEndMicros).isEqualTo((i + 1) * S);
            assertThat(w.currentReadings()).isEqualTo(2 * (i + 1));
            assertThat(w.groundTruthMask).isNull();
            assertThat(w.lastIngestMillis).isEqualTo(2L * i + 1);
            assertThat(degradations(w)).containsExactly(Degradation.VIDEO_MISSING, Degradation.CURRENT_STRETCHED);
        }
        Run off = new Run(BY_WATERMARK.toBuilder().emitDegraded(false).build());
        off.addAll(readings(F1, 0, 6));
        off.watermark(3000);
        assertThat(off.windows()).isEmpty();
        assertThat(off.aligner.windowsSkippedDegraded.getCount()).isEqualTo(3);
    }

    @Test
    void currentIsTheNewestReadingsOfTheSpanCappedAt240() throws Exception {
        // Readings for 130 s, frames for the last 2 s: window at 130 s sees readings (10 s, 130 s].
        Run r = new Run(BY_WATERMARK);
        r.addAll(merged(frames(F1, 3200, 3255), readings(F1, 0, 259)));
        r.watermark(130_000);
        AlignedWindow last = r.windows().get(r.windows().size() - 1);
        assertThat(last.windowEndMicros).isEqualTo(130 * S);
        assertThat(last.frameSeqs).containsExactly(seqs(3241, 3250));
        assertThat(last.phaseA).containsExactly(phaseA(20, 259));
        assertThat(degradations(last)).isEmpty();

        // A 200 s span holds 260 readings; the newest 240 are kept.
        Run wide = new Run(BY_WATERMARK.toBuilder().currentSpan(Duration.ofSeconds(200)).build());
        wide.addAll(merged(frames(F1, 3200, 3255), readings(F1, 0, 259)));
        wide.watermark(130_000);
        AlignedWindow lastWide = wide.windows().get(wide.windows().size() - 1);
        assertThat(lastWide.phaseA).containsExactly(phaseA(20, 259));
        assertThat(wide.windows().get(wide.windows().size() - 2).phaseA).containsExactly(phaseA(18, 257));
    }

    @Test
    void twoInterleavedFurnacesStaySeparate() throws Exception {
        Run single = new Run(BY_WATERMARK);
        single.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 6)));
        single.watermark(3000);

        List<Event> f2 = new ArrayList<>();
        for (long i = 5; i <= 80; i++) {
            long t = i * 40 * MS + 20 * MS;
            f2.add(new Event(t, frame(F2, 10_000 + i, t)));
        }
        for (long j = 0; j < 3; j++) {   // F2: readings at 1 Hz only
            long t = 100 * MS + j * S;
            f2.add(new Event(t, reading(F2, 1000 + j, t)));
        }
        Run both = new Run(BY_WATERMARK);
        both.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 6), f2));
        both.watermark(3000);

        Predicate<AlignedWindow> isF1 = w -> w.furnaceId.equals(F1);
        List<AlignedWindow> w1 = both.windows().stream().filter(isF1).toList();
        List<AlignedWindow> w2 = both.windows().stream().filter(isF1.negate()).toList();
        assertThat(describeAll(w1)).isEqualTo(describeAll(single.windows()));
        assertThat(w2).hasSize(3);
        assertThat(w2.get(0).frameSeqs).containsExactly(seqs(10_015, 10_024));   // 0.98 s is the latest <= 1 s
        assertThat(w2.get(0).windowEndMicros).isEqualTo(980 * MS);
        assertThat(w2.get(2).phaseA).containsExactly(1000f, 1001f, 1002f);
        assertThat(both.h.numEventTimeTimers()).isEqualTo(2);
    }

    @Test
    void duplicateFramesAreDroppedIdempotently() throws Exception {
        Run single = new Run(BY_WATERMARK);
        single.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 6)));
        single.watermark(3000);

        List<Event> doubled = new ArrayList<>();
        for (Event e : merged(frames(F1, 5, 80), readings(F1, 0, 6))) {
            doubled.add(e);
            if (e.record() instanceof FurnaceFrame f) {
                // A re-delivery: same seq, other payload object (must not replace the first).
                FurnaceFrame copy = frame(F1, f.frameSeq, f.eventTimeMicros);
                copy.ingestMillis = 999_999;
                doubled.add(new Event(e.timeMicros(), copy));
            } else {
                doubled.add(e);
            }
        }
        Run r = new Run(BY_WATERMARK);
        r.addAll(doubled);
        r.watermark(3000);
        assertThat(describeAll(r.windows())).isEqualTo(describeAll(single.windows()));
        assertThat(r.aligner.duplicateFrames.getCount()).isEqualTo(76);
    }

    @Test
    void aCameraThatRestartsItsSequenceNumbersKeepsProducingWindows() throws Exception {
        List<Event> restarted = new ArrayList<>();
        for (long i = 0; i <= 50; i++) {   // seq 0.. again from 3.24 s on
            long t = 3240 * MS + i * 40 * MS;
            restarted.add(new Event(t, frame(F1, i, t)));
        }
        Run r = new Run(BY_WATERMARK);
        r.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 6)));
        r.watermark(3000);
        r.addAll(restarted);
        r.watermark(5000);
        assertThat(r.windows()).hasSize(5);
        assertThat(r.windows().get(3).frameSeqs).containsExactly(seqs(10, 19));
        assertThat(r.windows().get(4).frameSeqs).containsExactly(seqs(35, 44));
        assertThat(r.aligner.duplicateFrames.getCount()).isZero();
    }

    @Test
    void malformedCurrentBlocksAreDroppedAndCounted() throws Exception {
        Run r = new Run(BY_WATERMARK);
        r.add(new Event(0, new CurrentBlock(F1, 0, 2.0, new float[] {1, 2}, new float[] {1}, new float[] {1, 2}, 0)));
        r.add(new Event(0, new CurrentBlock(F1, 0, 0.0, new float[] {1}, new float[] {1}, new float[] {1}, 0)));
        r.add(new Event(0, new CurrentBlock(F1, 0, Double.NaN, new float[] {1}, new float[] {1}, new float[] {1}, 0)));
        assertThat(r.aligner.invalidRecords.getCount()).isEqualTo(3);
        assertThat(r.h.numEventTimeTimers()).isZero();
        assertThat(r.h.numKeyedStateEntries()).isZero();
    }

    @Test
    void clockOffsetShiftsWhichReadingsAreUsed() throws Exception {
        Run later = new Run(BY_WATERMARK.toBuilder().clockOffset(F1, Duration.ofMillis(300)).build());
        later.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 6)));
        later.watermark(3000);
        // Camera times 0.55, 1.05, 1.55, ...: 1, 3, 5 readings at 1, 2, 3 s.
        assertThat(later.windows()).extracting(AlignedWindow::currentReadings).containsExactly(1, 3, 5);

        Run earlier = new Run(BY_WATERMARK.toBuilder().clockOffset(F1, Duration.ofMillis(-300)).build());
        earlier.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 6)));
        earlier.watermark(3000);
        // Camera times -0.05, 0.45, 0.95, ...: hop 0 has current but no video.
        assertThat(earlier.windows()).extracting(AlignedWindow::currentReadings).containsExactly(1, 3, 5, 7);
        assertThat(earlier.windows().get(0).videoMissing()).isTrue();
        assertThat(earlier.windows().get(0).windowEndMicros).isZero();

        Run otherFurnace = new Run(BY_WATERMARK.toBuilder().clockOffset(F2, Duration.ofMillis(300)).build());
        otherFurnace.addAll(merged(frames(F1, 5, 80), readings(F1, 0, 6)));
        otherFurnace.watermark(3000);
        assertThat(otherFurnace.windows()).extracting(AlignedWindow::currentReadings).containsExactly(2, 4, 6);
    }

    @Test
    void stateStaysBoundedOverTwoHoursAndIsClearedWhenTheFurnaceGoesIdle() throws Exception {
        Run r = new Run(BY_WATERMARK);
        long seq = 0;
        int maxFrames = 0;
        int maxBlocks = 0;
        for (long second = 0; second < 2 * 3600; second++) {
            for (int i = 0; i < 25; i++, seq++) {
                long t = seq * 40 * MS;
                r.h.processElement1(new StreamRecord<>(
                        new FurnaceFrame(F1, seq, t, SHARED_RGB, null, second), t / MS));
            }
            long t0 = second * S + 250 * MS;
            r.h.processElement2(new StreamRecord<>(new CurrentBlock(F1, t0, 2.0, new float[] {1, 2},
                    new float[] {1, 2}, new float[] {1, 2}, second), t0 / MS));
            r.h.processBothWatermarks(new Watermark(second * 1000 + 900));
            if (second > 0) {
                maxFrames = Math.max(maxFrames, r.stored(F1, ClipAligner.framesState()));
                maxBlocks = Math.max(maxBlocks, r.stored(F1, ClipAligner.readingsState()));
                assertThat(r.h.numEventTimeTimers()).isLessThanOrEqualTo(2);
                assertThat(r.h.numKeyedStateEntries()).isLessThanOrEqualTo(7);
            }
            if (second % 600 == 0) {
                r.h.getOutput().clear();   // keep the harness's output queue small
            }
        }
        assertThat(maxFrames).isBetween(1, 40);
        assertThat(maxBlocks).isBetween(1, 125);
        assertThat(r.aligner.windowsEmitted.getCount()).isEqualTo(2 * 3600 - 1);

        r.h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
        assertThat(r.h.numEventTimeTimers()).isZero();
        // Idle: no record and no timer is kept, only where each stream and the decided hops stood
        // (so that a straggler of a decided hop stays late).
        assertThat(r.h.numKeyedStateEntries()).isEqualTo(3);
        assertThat(r.aligner.windowsSkippedNoInput.getCount()).isEqualTo(2);
    }

    @Test
    void snapshotAndRestoreMidStreamGivesTheSameWindows() throws Exception {
        List<Event> events = merged(frames(F1, 5, 260), readings(F1, 0, 19), frames(F2, 5, 200));
        Run whole = new Run(BY_WATERMARK);
        whole.addAllBounded(events, 300);
        whole.watermark(10_000);

        int split = events.size() / 2;
        Run first = new Run(BY_WATERMARK);
        first.addAllBounded(events.subList(0, split), 300);
        OperatorSubtaskState snapshot = first.h.snapshot(1L, 1L);
        List<AlignedWindow> before = new ArrayList<>(first.windows());
        first.h.close();

        Run second = new Run(BY_WATERMARK, snapshot);
        second.maxSeenMillis = first.maxSeenMillis;
        second.addAllBounded(events.subList(split, events.size()), 300);
        second.watermark(10_000);
        List<AlignedWindow> all = new ArrayList<>(before);
        all.addAll(second.windows());

        assertThat(before).isNotEmpty();
        assertThat(second.windows()).isNotEmpty();
        assertThat(whole.windows()).hasSize(18);
        // Timers of two furnaces at the same time may fire in either order: compare as sorted lists.
        assertThat(describeAll(all).stream().sorted().toList())
                .isEqualTo(describeAll(whole.windows()).stream().sorted().toList());
    }

    // ------------------------------------------------------- deciding from each furnace's own progress

    @Test
    void aHopIsDecidedAsSoonAsBothStreamsOfItsFurnaceAreThroughIt() throws Exception {
        Run byProgress = new Run(AlignerConfig.DEFAULTS);
        // Frames to 6.00 s (through 4000 ms with 2 s out-of-orderness), readings to 5.25 s (through
        // 3250 ms): hops 1, 2 and 3 s are complete without any watermark.
        byProgress.addAll(merged(frames(F1, 5, 150), readings(F1, 0, 10)));
        assertThat(byProgress.windows()).extracting(w -> w.windowEndMicros).containsExactly(1 * S, 2 * S, 3 * S);
        assertThat(byProgress.h.numEventTimeTimers()).isEqualTo(1);   // hop 4 s's backstop

        Run byWatermark = new Run(BY_WATERMARK);
        byWatermark.addAll(merged(frames(F1, 5, 150), readings(F1, 0, 10)));
        byWatermark.watermark(3000);
        assertThat(describeAll(byProgress.windows())).isEqualTo(describeAll(byWatermark.windows()));
    }

    /**
     * Without out-of-orderness a stream is through its newest record's time: the records at a hop's
     * end complete it, so its window goes out without waiting for the next reading (half a second at
     * 2 Hz). A second record at the same time comes after the hop was decided on that stream's own
     * order, so it is late in every run, not only in some interleavings.
     */
    @Test
    void withoutOutOfOrdernessTheRecordsAtAHopsEndCompleteIt() throws Exception {
        Run r = new Run(AlignerConfig.builder().outOfOrderness(Duration.ZERO).build());
        r.addAll(frames(F1, 0, 25));                          // frames to 1.00 s
        r.add(new Event(0, reading(F1, 0, 500 * MS)));
        assertThat(r.windows()).isEmpty();                    // the current is through 0.5 s only
        r.add(new Event(0, reading(F1, 1, 1000 * MS)));       // the reading at the hop's end
        assertThat(r.windows()).extracting(w -> w.windowEndMicros).containsExactly(1 * S);
        assertThat(r.windows().get(0).phaseA).containsExactly(0f, 1f);
        r.add(new Event(0, frame(F1, 99, 1000 * MS)));        // same time as the scored frame
        assertThat(r.h.getSideOutput(ClipAligner.LATE_FRAMES)).extracting(sr -> sr.getValue().frameSeq)
                .containsExactly(99L);
    }

    /**
     * A clip covers the last 0.5 s of its 1 s hop: of 6 s of frames waiting for the current, only
     * those within a clip keep their pixels in state (about half), and the windows they make are
     * complete clips.
     */
    @Test
    void framesNoClipCanUseAreKeptWithoutTheirPixels() throws Exception {
        Run r = new Run(AlignerConfig.DEFAULTS);
        r.addAll(frames(F1, 1, 150));                        // 40 ms .. 6.00 s, no current yet
        long pixels = TokenizerSpec.FMFORMER.frameBytes();
        long stateBytes = r.h.snapshot(1L, 1L).getManagedKeyedState().stream()
                .mapToLong(org.apache.flink.runtime.state.StateObject::getStateSize).sum();
        // Frames in (T - 500 ms, T] for T = 1..6 s: 12 per second, 72 in all (150 arrived).
        assertThat(stateBytes).isBetween(72 * pixels, 80 * pixels);
        r.addAll(readings(F1, 0, 10));                       // the current completes hops 1..3 s
        assertThat(r.windows()).hasSize(3).allSatisfy(w -> {
            assertThat(w.frames.length).isEqualTo(10);
            for (byte[] f : w.frames) {
                assertThat(f).hasSize((int) pixels);
            }
            assertThat(w.substitutedFrames).isZero();
        });
    }

    @Test
    void aRecordIsLateByItsOwnStreamsProgressNotByTheOthers() throws Exception {
        Run r = new Run(AlignerConfig.DEFAULTS);
        r.addAll(frames(F1, 5, 250));                       // frames to 10 s: through 8000 ms
        r.add(new Event(0, frame(F1, 1000, 8000 * MS)));    // late: at the bound itself
        r.add(new Event(0, frame(F1, 1001, 8001 * MS)));    // within the bound
        r.add(new Event(0, reading(F1, 0, 250 * MS)));      // first reading: its stream has had nothing
        r.add(new Event(0, reading(F1, 10, 5250 * MS)));    // readings through 3250 ms
        r.add(new Event(0, reading(F1, 5, 3250 * MS)));     // late
        r.add(new Event(0, reading(F1, 6, 3251 * MS)));     // within the bound
        assertThat(r.h.getSideOutput(ClipAligner.LATE_FRAMES)).extracting(sr -> sr.getValue().frameSeq)
                .containsExactly(1000L);
        assertThat(r.h.getSideOutput(ClipAligner.LATE_CURRENT)).extracting(sr -> sr.getValue().phaseA[0])
                .containsExactly(5f);
        assertThat(r.windows()).extracting(w -> w.windowEndMicros).containsExactly(1 * S, 2 * S, 3 * S);
        assertThat(r.windows().get(2).phaseA).containsExactly(0f);   // 3.25 s is not in hop 3 s
    }

    @Test
    void aStalledStreamIsClosedByTheWatermarkAfterTheWaitAndItsStragglersAreLate() throws Exception {
        Run r = new Run(AlignerConfig.DEFAULTS);
        r.addAll(readings(F1, 0, 30));      // current to 15.25 s, the camera sends nothing
        assertThat(r.windows()).isEmpty();  // it might yet
        r.watermark(5999);
        assertThat(r.windows()).isEmpty();
        r.watermark(8000);                  // hops 1, 2 and 3 s, each 5 s later
        assertThat(r.windows()).extracting(w -> w.windowEndMicros).containsExactly(1 * S, 2 * S, 3 * S);
        assertThat(r.windows()).allSatisfy(w -> assertThat(w.videoMissing()).isTrue());
        r.add(new Event(0, frame(F1, 1, 2500 * MS)));   // in a hop already decided: late
        r.add(new Event(0, frame(F1, 2, 3500 * MS)));   // hop 4 s is still open
        assertThat(r.h.getSideOutput(ClipAligner.LATE_FRAMES)).extracting(sr -> sr.getValue().frameSeq)
                .containsExactly(1L);
        assertThat(r.h.numEventTimeTimers()).isEqualTo(1);
    }

    /**
     * Three furnaces' messy input (dropped frames, frames and current blocks a few places out of
     * order, some delayed past the bound, duplicates), each stream in one fixed order as a Kafka
     * partition delivers it; the streams interleaved and the watermark moved differently in every
     * run, one run restored from a snapshot half-way. Windows, late records and counters are the same.
     */
    @Test
    void windowsAndLateRecordsDoNotDependOnHowTheStreamsInterleave() throws Exception {
        Random rnd = new Random(7);
        List<List<Event>> streams = new ArrayList<>();
        for (String furnace : List.of(F1, F2, "F3")) {
            List<long[]> frameArrivals = new ArrayList<>();   // {arrival key, seq, time}
            for (long seq = 0; seq < 1000; seq++) {
                if (rnd.nextDouble() < 0.03) {
                    continue;
                }
                long time = seq * 40 * MS + furnace.hashCode() % 7 * MS;
                long delay = rnd.nextDouble() < 0.1 ? rnd.nextInt(120) * MS
                        : rnd.nextDouble() < 0.02 ? (1500 + rnd.nextInt(2500)) * MS : 0;
                frameArrivals.add(new long[] {time + delay, seq, time});
                if (rnd.nextDouble() < 0.01) {
                    frameArrivals.add(new long[] {time + delay + 300 * MS, seq, time});
                }
            }
            frameArrivals.sort(Comparator.comparingLong(a -> a[0]));
            streams.add(frameArrivals.stream().map(a -> new Event(a[2], frame(furnace, a[1], a[2]))).toList());

            List<long[]> blockArrivals = new ArrayList<>();
            for (long j = 0; j < 80; j++) {
                long time = 250 * MS + j * 500 * MS;
                long delay = rnd.nextDouble() < 0.1 ? rnd.nextInt(1500) * MS
                        : rnd.nextDouble() < 0.05 ? (2000 + rnd.nextInt(3000)) * MS : 0;
                blockArrivals.add(new long[] {time + delay, j, time});
            }
            blockArrivals.sort(Comparator.comparingLong(a -> a[0]));
            streams.add(blockArrivals.stream().map(a -> new Event(a[2], reading(furnace, a[1], a[2]))).toList());
        }

        List<String> first = null;
        for (int run = 0; run < 6; run++) {
            List<String> outcome = interleaved(streams, new Random(100 + run), run == 5);
            if (first == null) {
                first = outcome;
                assertThat(outcome.stream().filter(o -> o.startsWith("window")).count()).isGreaterThan(100);
                assertThat(outcome.stream().filter(o -> o.startsWith("late")).count()).isGreaterThan(5);
                assertThat(outcome).anyMatch(o -> o.startsWith("counted duplicates") && !o.endsWith(" 0"));
            } else {
                assertThat(outcome).as("run " + run).isEqualTo(first);
            }
        }
    }

    /**
     * Feeds the streams in a random interleaving (each stream in its own order), with watermarks as
     * Flink would let them be: never past any stream's newest time - out-of-orderness - 1, often
     * lagging further; optionally restarts from a snapshot half-way. Returns windows, late records
     * and counters as sorted lines.
     */
    private static List<String> interleaved(List<List<Event>> streams, Random rnd, boolean restoreHalfWay)
            throws Exception {
        int[] next = new int[streams.size()];
        long[] newest = new long[streams.size()];
        java.util.Arrays.fill(newest, Long.MIN_VALUE);
        int total = streams.stream().mapToInt(List::size).sum();
        List<String> outcome = new ArrayList<>();
        Run r = new Run(AlignerConfig.DEFAULTS);
        for (int done = 0; done < total; done++) {
            int k;
            do {
                k = rnd.nextInt(streams.size());
            } while (next[k] == streams.get(k).size());
            Event e = streams.get(k).get(next[k]++);
            r.add(e);
            newest[k] = Math.max(newest[k], Math.floorDiv(e.timeMicros(), MS));
            if (rnd.nextDouble() < 0.05 && java.util.Arrays.stream(newest).allMatch(t -> t != Long.MIN_VALUE)) {
                long bound = java.util.Arrays.stream(newest).min().getAsLong() - 2000 - 1;
                r.watermark(bound - rnd.nextInt(3000));
            }
            if (restoreHalfWay && done == total / 2) {
                OperatorSubtaskState snapshot = r.h.snapshot(1L, 1L);
                collect(r, outcome);
                long watermark = r.lastWatermark;
                r.h.close();
                r = new Run(AlignerConfig.DEFAULTS, snapshot);
                r.watermark(watermark);
            }
        }
        r.watermark(Long.MAX_VALUE);
        collect(r, outcome);
        List<String> summed = summedCounts(outcome);
        summed.sort(null);
        return summed;
    }

    private static void collect(Run r, List<String> outcome) {
        describeAll(r.windows()).forEach(w -> outcome.add("window " + w));
        if (r.h.getSideOutput(ClipAligner.LATE_FRAMES) != null) {
            r.h.getSideOutput(ClipAligner.LATE_FRAMES).forEach(sr -> outcome.add(
                    "late frame " + sr.getValue().furnaceId + " " + sr.getValue().frameSeq));
        }
        if (r.h.getSideOutput(ClipAligner.LATE_CURRENT) != null) {
            r.h.getSideOutput(ClipAligner.LATE_CURRENT).forEach(sr -> outcome.add(
                    "late current " + sr.getValue().furnaceId + " " + Arrays.toString(sr.getValue().phaseA)));
        }
        // Metrics start from zero in a restored operator: counted per part, summed by the caller.
        outcome.add("counted late " + r.aligner.lateRecords.getCount());
        outcome.add("counted duplicates " + r.aligner.duplicateFrames.getCount());
        outcome.add("counted gaps " + r.aligner.windowsSkippedFrameGap.getCount());
    }

    /** The "counted" lines of a run's parts added up, one line per counter. */
    private static List<String> summedCounts(List<String> outcome) {
        java.util.Map<String, Long> sums = new java.util.TreeMap<>();
        List<String> out = new ArrayList<>();
        for (String line : outcome) {
            if (line.startsWith("counted ")) {
                int space = line.lastIndexOf(' ');
                sums.merge(line.substring(0, space), Long.parseLong(line.substring(space + 1)), Long::sum);
            } else {
                out.add(line);
            }
        }
        sums.forEach((k, v) -> out.add(k + " " + v));
        return out;
    }
}
