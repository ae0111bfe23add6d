package org.fmfstream.operators.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.fmfstream.operators.input.CurrentBlock;
import org.fmfstream.operators.input.FurnaceFrame;
import org.fmfstream.operators.window.AlignedWindow;

/**
 * Aligns a furnace's camera frames and current readings in event time and emits one
 * {@link AlignedWindow} per hop (default: one per second of event time). Use it on two streams keyed
 * by furnace id: {@code frames.connect(current).keyBy(f -> f.furnaceId, c -> c.furnaceId)
 * .process(new ClipAligner(config))}.
 *
 * <h2>Why not an interval join</h2>
 * An interval join emits one record per matching (frame, reading) pair: 25 frames a second against
 * 240 readings would produce thousands of pairs a second per furnace, to be regrouped downstream.
 * A window needs one clip of 10 frames and the last 120 s of current, once per hop. So this function
 * buffers exactly what the next windows need in keyed state and builds each hop's window once.
 *
 * <h2>When a hop is decided: the furnace's own progress, the watermark as backstop</h2>
 * Each furnace's frames arrive in one order (one Kafka partition, one channel) and so do its current
 * blocks; how the two streams interleave, and where the joint watermark stands, depends on timing.
 * So everything that changes a window is decided from each stream's own order only:
 * <ul>
 * <li>The furnace's <b>progress</b> per stream is the newest event time seen on it (ms, floored); a
 *     stream is <em>through</em> time X once progress - outOfOrderness &gt;= X. This is one
 *     millisecond ahead of the sources' watermarks (Flink's bound keeps a record at exactly the bound
 *     on time): here the records at a hop's end complete it, so a window does not wait for the next
 *     record (half a second at 2 Hz current) and a record at exactly the bound is late.</li>
 * <li>Hop T is <b>complete</b> once both streams are through T + allowedLateness. It is then decided
 *     at once, in the element that completed it, without waiting for the joint watermark (which waits
 *     for the slowest furnace and partition, and moves only every watermark interval).</li>
 * <li>A record is <b>late</b> when its own stream is already through its time + allowedLateness, or
 *     when its hop has been decided. Progress only grows, so a record that completed hop T's streams
 *     makes every later record &lt;= T late: a window's input is the same in every run over the same
 *     records, live, replayed or restored from a checkpoint.</li>
 * <li>The <b>backstop</b>: one event-time timer per furnace at T + allowedLateness + incompleteWait
 *     decides hop T when the furnace never completes it (a dead camera or PLC), degraded as the rule
 *     below says, and so do idle furnaces' last hops and the end of a bounded input (final
 *     watermark). Only such hops depend on timing.</li>
 * </ul>
 *
 * <h2>Alignment rule</h2>
 * All times are microseconds on the camera clock; PLC reading times get the furnace's configured
 * offset added first. Hops are the multiples of {@code hop} since the epoch. For hop time T:
 * <ol>
 * <li><b>Input check.</b> If the furnace has no frame and no reading with time in (T - hop, T], the
 *     hop is skipped ({@code windowsSkippedNoInput}). After {@code idleHops} consecutive such hops the
 *     furnace is idle: state up to T is dropped and no timer is registered until new data arrives.</li>
 * <li><b>Scored frame.</b> The latest stored frame with time in (T - interval - tolerance, T]
 *     (ties on time: the higher sequence number). If its time is &lt;= T - interval the frame that
 *     should end the clip is missing and this one substitutes for it ({@code substitutedFrames++}).
 *     Call its time S.</li>
 * <li><b>Clip.</b> Slot k (k = clipFrames-1 .. 1) expects time S - k * s * interval and takes the
 *     frame strictly older than S that is nearest to it, if within {@code frameTolerance} (inclusive;
 *     ties: the older frame). A slot filled from more than half an interval away counts as
 *     substituted. If a slot finds no frame, the window is skipped ({@code windowsSkippedFrameGap}).
 *     If there is no scored frame: a frame with time in (T - clipLookback, T] means a gap (skip);
 *     none means the video is missing and S = T.</li>
 * <li><b>Current.</b> Readings with time in (S - currentSpan, S], oldest first (equal times: first
 *     block wins), the newest {@code maxCurrentReadings} of them. Fewer than
 *     {@code minCurrentReadings} means current missing (empty arrays); fewer than the tokenizer's 240
 *     means it will be stretched.</li>
 * <li><b>Degraded.</b> Video or current missing (not both): emitted with empty arrays when
 *     {@code emitDegraded}, else skipped ({@code windowsSkippedDegraded}). Both missing: skipped
 *     ({@code windowsSkippedNoInput}).</li>
 * </ol>
 * Every record a window for T uses has time &lt;= T, so completeness asks for nothing newer than T
 * (plus the bounds): no grace is added on top.
 *
 * <h2>Late data and duplicates</h2>
 * A late frame goes to {@link #LATE_FRAMES}. A current block's late readings (a prefix, since times
 * increase within a block) go to {@link #LATE_CURRENT} as a block of their own; the rest is kept.
 * Each late record counts once in {@code lateRecords}. A record that is not late can never belong to
 * a window already decided, so windows are the same for every arrival order within the
 * out-of-orderness bound. A frame whose sequence number is
 * still stored is dropped ({@code duplicateFrames}); a re-delivery of a frame already pruned is
 * older than every pending hop and therefore late (pruning never passes the last emitted hop), so it
 * cannot reach a window either. No "highest sequence number seen" is kept on purpose: a camera that
 * restarts its sequence numbers would otherwise lose all its frames. Of two current blocks whose
 * first kept reading has the same time, the first to arrive is kept. Malformed current blocks
 * (phase arrays of different lengths, a sample rate that is not finite and positive) are dropped
 * ({@code invalidRecords}).
 *
 * <h2>State</h2>
 * Per furnace: frames by sequence number (only those newer than next hop - max(clipLookback, hop)),
 * current readings by block (only blocks with a reading newer than next hop - max(interval +
 * tolerance + currentSpan, hop)), the next hop, the last hop that had input, the last hop decided
 * and the two streams' progress. At most one event-time timer per furnace exists at any time, and
 * none while the furnace is idle.
 */
public class ClipAligner extends KeyedCoProcessFunction<String, FurnaceFrame, CurrentBlock, AlignedWindow> {

    private static final long serialVersionUID = 1L;

    /** Frames that arrived after the watermark passed them (beyond the allowed lateness). */
    public static final OutputTag<FurnaceFrame> LATE_FRAMES =
            new OutputTag<>("late-frames", TypeInformation.of(FurnaceFrame.class));
    /** Current readings that arrived after the watermark passed them (the late prefix of a block). */
    public static final OutputTag<CurrentBlock> LATE_CURRENT =
            new OutputTag<>("late-current", TypeInformation.of(CurrentBlock.class));

    public static final String METRIC_WINDOWS_EMITTED = "windowsEmitted";
    public static final String METRIC_WINDOWS_DEGRADED = "windowsDegraded";
    public static final String METRIC_WINDOWS_SKIPPED_FRAME_GAP = "windowsSkippedFrameGap";
    public static final String METRIC_WINDOWS_SKIPPED_NO_INPUT = "windowsSkippedNoInput";
    public static final String METRIC_WINDOWS_SKIPPED_DEGRADED = "windowsSkippedDegraded";
    public static final String METRIC_FRAMES_SUBSTITUTED = "framesSubstituted";
    public static final String METRIC_LATE_RECORDS = "lateRecords";
    public static final String METRIC_DUPLICATE_FRAMES = "duplicateFrames";
    public static final String METRIC_INVALID_RECORDS = "invalidRecords";

    private static final Comparator<FurnaceFrame> BY_TIME_THEN_SEQ =
            Comparator.<FurnaceFrame>comparingLong(f -> f.eventTimeMicros).thenComparingLong(f -> f.frameSeq);

    private final AlignerConfig config;

    private transient MapState<Long, FurnaceFrame> frames;
    private transient MapState<Long, StoredReadings> readings;
    private transient ValueState<Long> nextHop;
    private transient ValueState<Long> lastActiveHop;
    private transient ValueState<Long> lastDecidedHop;
    private transient ValueState<Long> frameProgress;
    private transient ValueState<Long> currentProgress;

    transient Counter windowsEmitted;
    transient Counter windowsDegraded;
    transient Counter windowsSkippedFrameGap;
    transient Counter windowsSkippedNoInput;
    transient Counter windowsSkippedDegraded;
    transient Counter framesSubstituted;
    transient Counter lateRecords;
    transient Counter duplicateFrames;
    transient Counter invalidRecords;

    /** A furnace's buffered frames by sequence number (a new descriptor each call: Flink initialises its serializers in place). */
    static MapStateDescriptor<Long, FurnaceFrame> framesState() {
        return new MapStateDescriptor<>("frames", Types.LONG, TypeInformation.of(FurnaceFrame.class));
    }

    /** A furnace's buffered current blocks by first reading time. */
    static MapStateDescriptor<Long, StoredReadings> readingsState() {
        return new MapStateDescriptor<>("readings", Types.LONG, TypeInformation.of(StoredReadings.class));
    }

    public ClipAligner(AlignerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public AlignerConfig config() {
        return config;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        frames = getRuntimeContext().getMapState(framesState());
        readings = getRuntimeContext().getMapState(readingsState());
        nextHop = getRuntimeContext().getState(new ValueStateDescriptor<>("nextHop", Types.LONG));
        lastActiveHop = getRuntimeContext().getState(new ValueStateDescriptor<>("lastActiveHop", Types.LONG));
        lastDecidedHop = getRuntimeContext().getState(new ValueStateDescriptor<>("lastDecidedHop", Types.LONG));
        frameProgress = getRuntimeContext().getState(new ValueStateDescriptor<>("frameProgress", Types.LONG));
        currentProgress = getRuntimeContext().getState(new ValueStateDescriptor<>("currentProgress", Types.LONG));

        MetricGroup g = getRuntimeContext().getMetricGroup();
        windowsEmitted = g.counter(METRIC_WINDOWS_EMITTED);
        windowsDegraded = g.counter(METRIC_WINDOWS_DEGRADED);
        windowsSkippedFrameGap = g.counter(METRIC_WINDOWS_SKIPPED_FRAME_GAP);
        windowsSkippedNoInput = g.counter(METRIC_WINDOWS_SKIPPED_NO_INPUT);
        windowsSkippedDegraded = g.counter(METRIC_WINDOWS_SKIPPED_DEGRADED);
        framesSubstituted = g.counter(METRIC_FRAMES_SUBSTITUTED);
        lateRecords = g.counter(METRIC_LATE_RECORDS);
        duplicateFrames = g.counter(METRIC_DUPLICATE_FRAMES);
        invalidRecords = g.counter(METRIC_INVALID_RECORDS);
    }

    // ---------------------------------------------------------------- input

    @Override
    public void processElement1(FurnaceFrame frame, Context ctx, Collector<AlignedWindow> out) throws Exception {
        TimerService timers = ctx.timerService();
        if (frames.contains(frame.frameSeq)) {
            duplicateFrames.inc();
            return;
        }
        Long progress = frameProgress.value();
        if (progress == null || frame.eventTimeMicros > progress) {
            frameProgress.update(frame.eventTimeMicros);
        }
        if (isLate(frame.eventTimeMicros, progress)) {
            ctx.output(LATE_FRAMES, frame);
            lateRecords.inc();
            return;
        }
        // Half of a 25 fps stream falls between clips at the default 1 s hop (a clip spans its hop's
        // last 0.5 s): keep only such a frame's time, which the hop's input check needs, so that state
        // holds half the pixels.
        frames.put(frame.frameSeq, inAClip(frame.eventTimeMicros) ? frame : frame.withoutPixels());
        scheduleFor(frame.eventTimeMicros, timers);
        decideReadyHops(ctx.getCurrentKey(), timers, out);
    }

    @Override
    public void processElement2(CurrentBlock block, Context ctx, Collector<AlignedWindow> out) throws Exception {
        int n = block.phaseA == null ? 0 : block.readings();
        if (n == 0 || block.phaseB == null || block.phaseB.length != n || block.phaseC == null
                || block.phaseC.length != n || !(block.sampleRateHz > 0) || Double.isInfinite(block.sampleRateHz)) {
            invalidRecords.inc();
            return;
        }
        long offset = config.clockOffsetMicros(ctx.getCurrentKey());
        long[] times = new long[n];
        for (int k = 0; k < n; k++) {
            times[k] = block.readingTimeMicros(k) + offset;
        }
        Long progress = currentProgress.value();
        if (progress == null || times[n - 1] > progress) {
            currentProgress.update(times[n - 1]);   // times increase within a block
        }
        int firstKept = 0;
        while (firstKept < n && isLate(times[firstKept], progress)) {
            firstKept++;
        }
        if (firstKept > 0) {
            ctx.output(LATE_CURRENT, firstKept == n ? block : new CurrentBlock(block.furnaceId, block.eventTimeMicros,
                    block.sampleRateHz, Arrays.copyOf(block.phaseA, firstKept), Arrays.copyOf(block.phaseB, firstKept),
                    Arrays.copyOf(block.phaseC, firstKept), block.ingestMillis)
                    .from(block.sourcePartition, block.sourceOffset));
            lateRecords.inc();
            if (firstKept == n) {
                return;
            }
        }
        StoredReadings kept = new StoredReadings(Arrays.copyOfRange(times, firstKept, n),
                Arrays.copyOfRange(block.phaseA, firstKept, n), Arrays.copyOfRange(block.phaseB, firstKept, n),
                Arrays.copyOfRange(block.phaseC, firstKept, n), block.ingestMillis);
        if (readings.contains(kept.firstMicros())) {
            return;
        }
        readings.put(kept.firstMicros(), kept);
        scheduleFor(kept.firstMicros(), ctx.timerService());
        decideReadyHops(ctx.getCurrentKey(), ctx.timerService(), out);
    }

    /**
     * Late: in a hop already decided, or older than its stream's progress before it (µs, null when
     * the stream has had nothing yet) by more than out-of-orderness + lateness.
     */
    private boolean isLate(long eventTimeMicros, Long streamProgressMicros) throws Exception {
        Long decided = lastDecidedHop.value();
        if (decided != null && eventTimeMicros <= decided) {
            return true;
        }
        return streamProgressMicros != null
                && Math.floorDiv(eventTimeMicros, 1000L) + config.allowedLatenessMillis() <= throughMillis(streamProgressMicros);
    }

    /**
     * Whether a frame at this time can be part of some clip: only of its own hop's (later hops'
     * clips start later still), and only within that hop's clip lookback.
     */
    private boolean inAClip(long eventTimeMicros) {
        return eventTimeMicros > hopAtOrAfter(eventTimeMicros) - config.clipLookbackMicros();
    }

    /** The time (ms) up to which a stream whose newest record is at {@code progressMicros} has all its records. */
    private long throughMillis(long progressMicros) {
        return Math.floorDiv(progressMicros, 1000L) - config.outOfOrdernessMillis();
    }

    /** Both streams of the furnace are through hop T + lateness: nothing more can change its window. */
    private boolean complete(long hopMicros) throws Exception {
        Long f = frameProgress.value();
        Long c = currentProgress.value();
        return f != null && c != null && Math.min(throughMillis(f), throughMillis(c)) >= completeMillis(hopMicros);
    }

    /** Make sure the hop a newly stored record falls into has (the furnace's single) timer. */
    private void scheduleFor(long eventTimeMicros, TimerService timers) throws Exception {
        long hop = hopAtOrAfter(eventTimeMicros);
        Long current = nextHop.value();
        if (current == null || hop < current) {
            if (current != null) {
                timers.deleteEventTimeTimer(backstopMillis(current));
            }
            timers.registerEventTimeTimer(backstopMillis(hop));
            nextHop.update(hop);
        }
    }

    /**
     * Decides every pending hop that is complete or whose backstop the watermark has passed, then
     * moves the furnace's single timer to the next pending hop's backstop.
     */
    private void decideReadyHops(String furnaceId, TimerService timers, Collector<AlignedWindow> out) throws Exception {
        Long scheduled = nextHop.value();
        Long hop = scheduled;
        long watermark = timers.currentWatermark();
        while (hop != null && (complete(hop) || backstopMillis(hop) <= watermark)) {
            hop = decide(furnaceId, hop, out);
        }
        if (hop == null) {
            nextHop.clear();
        } else {
            nextHop.update(hop);
        }
        if (!Objects.equals(hop, scheduled)) {
            if (scheduled != null) {
                timers.deleteEventTimeTimer(backstopMillis(scheduled));
            }
            if (hop != null) {
                timers.registerEventTimeTimer(backstopMillis(hop));
            }
        }
    }

    private long hopAtOrAfter(long micros) {
        long hop = config.hopMicros();
        return -Math.floorDiv(-micros, hop) * hop;
    }

    private long completeMillis(long hopMicros) {
        return hopMicros / 1000L + config.allowedLatenessMillis();
    }

    private long backstopMillis(long hopMicros) {
        return completeMillis(hopMicros) + config.incompleteWaitMillis();
    }

    // ---------------------------------------------------------------- hops

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlignedWindow> out) throws Exception {
        Long hopTime = nextHop.value();
        if (hopTime == null) {
            return;
        }
        if (backstopMillis(hopTime) != timestamp) {
            // A timer for another time: only after a restore with changed settings (moved timers are
            // deleted). Make sure the pending hop has its timer (Flink de-duplicates equal timers; one
            // in the past fires at the next watermark) and decide nothing here.
            ctx.timerService().registerEventTimeTimer(backstopMillis(hopTime));
            return;
        }
        // The fired timer is gone: decide from here as if nothing were scheduled.
        nextHop.clear();
        Long next = decide(ctx.getCurrentKey(), hopTime, out);
        if (next != null) {
            nextHop.update(next);
            ctx.timerService().registerEventTimeTimer(backstopMillis(next));
            decideReadyHops(ctx.getCurrentKey(), ctx.timerService(), out);
        }
    }

    /** Decides hop t: emits its window (or counts why not), prunes, and returns the next hop (null: idle). */
    private Long decide(String furnaceId, long t, Collector<AlignedWindow> out) throws Exception {
        long hop = config.hopMicros();
        List<FurnaceFrame> fs = sortedFrames();
        List<StoredReadings> rs = sortedReadings();

        lastDecidedHop.update(t);
        Long next;
        if (hasInput(fs, rs, t - hop, t)) {
            lastActiveHop.update(t);
            alignAndEmit(furnaceId, t, fs, rs, out);
            next = t + hop;
            prune(next, fs, rs);
        } else {
            windowsSkippedNoInput.inc();
            Long lastActive = lastActiveHop.value();
            if (lastActive != null && t - lastActive < (long) config.idleHops() * hop) {
                next = t + hop;
                prune(next, fs, rs);
            } else {
                next = goIdle(t, fs, rs);
            }
        }
        return next;
    }

    private static boolean hasInput(List<FurnaceFrame> fs, List<StoredReadings> rs, long fromExcl, long toIncl) {
        for (FurnaceFrame f : fs) {
            if (f.eventTimeMicros > fromExcl && f.eventTimeMicros <= toIncl) {
                return true;
            }
        }
        for (StoredReadings r : rs) {
            for (long time : r.timesMicros) {
                if (time > fromExcl && time <= toIncl) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The furnace has been silent for idleHops hops: forget everything up to t (windows after the
     * silence never use data from before it) and return the hop of the oldest record left, or null.
     */
    private Long goIdle(long t, List<FurnaceFrame> fs, List<StoredReadings> rs) throws Exception {
        long oldestLeft = Long.MAX_VALUE;
        for (FurnaceFrame f : fs) {
            if (f.eventTimeMicros <= t) {
                frames.remove(f.frameSeq);
            } else {
                oldestLeft = Math.min(oldestLeft, f.eventTimeMicros);
            }
        }
        for (StoredReadings r : rs) {
            if (r.lastMicros() <= t) {
                readings.remove(r.firstMicros());
            } else {
                if (r.firstMicros() <= t) {
                    int from = 0;
                    while (r.timesMicros[from] <= t) {
                        from++;
                    }
                    readings.remove(r.firstMicros());
                    StoredReadings rest = new StoredReadings(
                            Arrays.copyOfRange(r.timesMicros, from, r.size()), Arrays.copyOfRange(r.phaseA, from, r.size()),
                            Arrays.copyOfRange(r.phaseB, from, r.size()), Arrays.copyOfRange(r.phaseC, from, r.size()),
                            r.ingestMillis);
                    if (!readings.contains(rest.firstMicros())) {
                        readings.put(rest.firstMicros(), rest);
                    }
                    oldestLeft = Math.min(oldestLeft, rest.firstMicros());
                } else {
                    oldestLeft = Math.min(oldestLeft, r.firstMicros());
                }
            }
        }
        lastActiveHop.clear();
        if (oldestLeft == Long.MAX_VALUE) {
            frames.clear();
            readings.clear();
        }
        return oldestLeft == Long.MAX_VALUE ? null : hopAtOrAfter(oldestLeft);
    }

    /** Drop what no window from hop {@code next} on can use (see the class comment for the bounds). */
    private void prune(long next, List<FurnaceFrame> fs, List<StoredReadings> rs) throws Exception {
        long hop = config.hopMicros();
        long frameBound = next - Math.max(config.clipLookbackMicros(), hop);
        for (FurnaceFrame f : fs) {
            if (f.eventTimeMicros <= frameBound) {
                frames.remove(f.frameSeq);
            }
        }
        long readingBound = next - Math.max(
                config.frameIntervalMicros() + config.frameToleranceMicros() + config.currentSpanMicros(), hop);
        for (StoredReadings r : rs) {
            if (r.lastMicros() <= readingBound) {
                readings.remove(r.firstMicros());
            }
        }
    }

    // ---------------------------------------------------------------- the window

    /** A clip cut for hop T: its frames oldest first, how many of them stand in for a missing one. */
    private record Clip(FurnaceFrame[] frames, int substituted) {
        FurnaceFrame scored() {
            return frames[frames.length - 1];
        }
    }

    /** A reading picked for the window: its time, and where it is (block index, position in the block). */
    private record Pick(long timeMicros, int block, int index) {}

    /** Steps 2 to 5 of the alignment rule (class comment) for hop t: emits the window or counts why not. */
    private void alignAndEmit(String furnaceId, long t, List<FurnaceFrame> fs, List<StoredReadings> rs,
                              Collector<AlignedWindow> out) {
        int scoredIdx = scoredFrameIndex(fs, t);
        Clip clip = null;
        if (scoredIdx >= 0) {
            clip = cutClip(fs, scoredIdx, t);
            if (clip == null) {
                windowsSkippedFrameGap.inc();
                return;
            }
        } else if (hasFrameWithinLookback(fs, t)) {
            windowsSkippedFrameGap.inc();
            return;
        }
        long scoredTime = clip == null ? t : clip.scored().eventTimeMicros;
        List<Pick> current = pickCurrent(rs, scoredTime);

        boolean videoMissing = clip == null;
        boolean currentMissing = current.size() < config.minCurrentReadings();
        if (videoMissing && currentMissing) {
            windowsSkippedNoInput.inc();
            return;
        }
        boolean degraded = videoMissing || currentMissing;
        if (degraded && !config.emitDegraded()) {
            windowsSkippedDegraded.inc();
            return;
        }
        if (degraded) {
            windowsDegraded.inc();
        }
        framesSubstituted.inc(clip == null ? 0 : clip.substituted());
        windowsEmitted.inc();
        out.collect(window(furnaceId, t, clip, currentMissing ? List.of() : current, rs));
    }

    /**
     * Step 2: the index in {@code fs} (sorted by time, then seq) of the latest frame in
     * (t - interval - tolerance, t], or -1.
     */
    private int scoredFrameIndex(List<FurnaceFrame> fs, long t) {
        for (int i = fs.size() - 1; i >= 0; i--) {
            long time = fs.get(i).eventTimeMicros;
            if (time <= t) {
                return time > t - config.frameIntervalMicros() - config.frameToleranceMicros() ? i : -1;
            }
        }
        return -1;
    }

    /** Step 3: the clip ending at the scored frame, or null when a slot finds no frame (a gap). */
    private Clip cutClip(List<FurnaceFrame> fs, int scoredIdx, long t) {
        long interval = config.frameIntervalMicros();
        long tolerance = config.frameToleranceMicros();
        int n = config.clipFrames();
        FurnaceFrame scored = fs.get(scoredIdx);
        long scoredTime = scored.eventTimeMicros;
        FurnaceFrame[] clip = new FurnaceFrame[n];
        clip[n - 1] = scored;
        int substituted = scoredTime <= t - interval ? 1 : 0;
        for (int k = 1; k < n; k++) {
            long expected = scoredTime - k * config.slotSpacingMicros();
            FurnaceFrame best = null;
            long bestDistance = Long.MAX_VALUE;
            for (int j = 0; j < scoredIdx; j++) {
                FurnaceFrame f = fs.get(j);
                if (f.eventTimeMicros >= scoredTime) {
                    break;
                }
                long d = Math.abs(f.eventTimeMicros - expected);
                if (d <= tolerance && d < bestDistance) {   // strictly nearer: ties keep the older frame
                    best = f;
                    bestDistance = d;
                }
            }
            if (best == null) {
                return null;
            }
            clip[n - 1 - k] = best;
            if (2 * bestDistance > interval) {
                substituted++;
            }
        }
        return new Clip(clip, substituted);
    }

    /** Step 3 without a scored frame: a frame in (t - clipLookback, t] means a gap, none means video missing. */
    private boolean hasFrameWithinLookback(List<FurnaceFrame> fs, long t) {
        long from = t - config.clipLookbackMicros();
        for (FurnaceFrame f : fs) {
            if (f.eventTimeMicros > from && f.eventTimeMicros <= t) {
                return true;
            }
        }
        return false;
    }

    /**
     * Step 4: readings in (S - span, S], oldest first (equal times: the earlier block's, once), the
     * newest {@code maxCurrentReadings} of them.
     */
    private List<Pick> pickCurrent(List<StoredReadings> rs, long scoredTime) {
        long from = scoredTime - config.currentSpanMicros();
        List<Pick> picked = new ArrayList<>();
        for (int b = 0; b < rs.size(); b++) {
            StoredReadings r = rs.get(b);
            if (r.lastMicros() <= from || r.firstMicros() > scoredTime) {
                continue;
            }
            for (int k = 0; k < r.size(); k++) {
                long time = r.timesMicros[k];
                if (time > from && time <= scoredTime) {
                    picked.add(new Pick(time, b, k));
                }
            }
        }
        picked.sort(Comparator.comparingLong(Pick::timeMicros).thenComparingInt(Pick::block).thenComparingInt(Pick::index));
        List<Pick> distinct = new ArrayList<>(picked.size());
        for (Pick e : picked) {
            if (distinct.isEmpty() || distinct.get(distinct.size() - 1).timeMicros() != e.timeMicros()) {
                distinct.add(e);
            }
        }
        return distinct.subList(Math.max(0, distinct.size() - config.maxCurrentReadings()), distinct.size());
    }

    /** Step 5's output: the window of hop t from its clip (null: video missing) and readings (empty: current missing). */
    private AlignedWindow window(String furnaceId, long t, Clip clip, List<Pick> current, List<StoredReadings> rs) {
        AlignedWindow w = new AlignedWindow();
        w.furnaceId = furnaceId;
        long lastIngest = Long.MIN_VALUE;
        if (clip == null) {
            w.windowStartMicros = t;
            w.windowEndMicros = t;
        } else {
            int n = clip.frames().length;
            w.frames = new byte[n][];
            w.frameSeqs = new long[n];
            w.frameTimesMicros = new long[n];
            for (int i = 0; i < n; i++) {
                FurnaceFrame f = clip.frames()[i];
                if (f.rgb == null) {
                    throw new IllegalStateException("frame " + f + " was stored without pixels but is in the clip of"
                            + " hop " + t + ": the clip lookback and the frames kept disagree");
                }
                w.frames[i] = f.rgb;
                w.frameSeqs[i] = f.frameSeq;
                w.frameTimesMicros[i] = f.eventTimeMicros;
                lastIngest = Math.max(lastIngest, f.ingestMillis);
            }
            w.windowStartMicros = w.frameTimesMicros[0];
            w.windowEndMicros = clip.scored().eventTimeMicros;
            w.groundTruthMask = clip.scored().groundTruthMask;
            w.substitutedFrames = clip.substituted();
        }
        if (!current.isEmpty()) {
            int m = current.size();
            w.phaseA = new float[m];
            w.phaseB = new float[m];
            w.phaseC = new float[m];
            for (int i = 0; i < m; i++) {
                Pick e = current.get(i);
                StoredReadings r = rs.get(e.block());
                w.phaseA[i] = r.phaseA[e.index()];
                w.phaseB[i] = r.phaseB[e.index()];
                w.phaseC[i] = r.phaseC[e.index()];
                lastIngest = Math.max(lastIngest, r.ingestMillis);
            }
        }
        w.lastIngestMillis = lastIngest;
        w.decidedMillis = System.currentTimeMillis();
        return w;
    }

    // ---------------------------------------------------------------- state helpers

    private List<FurnaceFrame> sortedFrames() throws Exception {
        List<FurnaceFrame> list = new ArrayList<>();
        for (FurnaceFrame f : frames.values()) {
            list.add(f);
        }
        list.sort(BY_TIME_THEN_SEQ);
        return list;
    }

    private List<StoredReadings> sortedReadings() throws Exception {
        List<StoredReadings> list = new ArrayList<>();
        for (Map.Entry<Long, StoredReadings> e : readings.entries()) {
            list.add(e.getValue());
        }
        list.sort(Comparator.comparingLong(StoredReadings::firstMicros));
        return list;
    }
}
