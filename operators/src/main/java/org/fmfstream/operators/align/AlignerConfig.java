package org.fmfstream.operators.align;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * Immutable, validated settings of {@link ClipAligner}. Build with {@link #builder()} (every
 * setting has a default, listed below) or derive with {@link #toBuilder()}.
 *
 * <p>All durations are held in microseconds (the unit of the inputs' event times) except the allowed
 * lateness, which is compared with Flink watermarks and therefore held in milliseconds.
 *
 * <table>
 * <caption>Settings and defaults</caption>
 * <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 * <tr><td>hop</td><td>1 s</td><td>one window per furnace per hop of event time; hops are the
 *     multiples of the hop since the epoch (whole ms)</td></tr>
 * <tr><td>frameInterval</td><td>40 ms</td><td>nominal camera frame period (25 fps)</td></tr>
 * <tr><td>samplingRate</td><td>1</td><td>s: clip slot k (k = 9..0) expects the frame k*s frame
 *     intervals before the scored frame</td></tr>
 * <tr><td>frameTolerance</td><td>50 ms</td><td>a clip slot takes the stored frame nearest its
 *     expected time if within this distance (inclusive); 1.25 intervals, so a single dropped frame is
 *     replaced by its neighbour even with some clock jitter, while two frames away (80 ms) is not</td></tr>
 * <tr><td>clipFrames</td><td>10</td><td>frames per clip ({@code TokenizerSpec.FMFORMER.frames()})</td></tr>
 * <tr><td>currentSpan</td><td>120 s</td><td>readings with camera time in (scored - span, scored] are
 *     used</td></tr>
 * <tr><td>maxCurrentReadings</td><td>240</td><td>at most this many (the newest) readings
 *     ({@code TokenizerSpec.FMFORMER.currentSteps()}, 120 s at 2 Hz)</td></tr>
 * <tr><td>minCurrentReadings</td><td>1</td><td>fewer readings than this count as no current</td></tr>
 * <tr><td>clockOffsets</td><td>empty (0)</td><td>per furnace, microseconds added to PLC times to put
 *     them on the camera clock</td></tr>
 * <tr><td>emitDegraded</td><td>true</td><td>emit VIDEO_MISSING / CURRENT_MISSING windows with empty
 *     arrays; when false such windows are skipped and counted</td></tr>
 * <tr><td>allowedLateness</td><td>0 ms</td><td>extra wait: a hop T is complete once every stream
 *     of the furnace is out-of-orderness + lateness past T, and a record is late once its stream is
 *     more than that past it</td></tr>
 * <tr><td>outOfOrderness</td><td>2 s</td><td>how far a furnace's frames (or readings) may arrive
 *     out of order among themselves; the sources' watermarks use the same bound</td></tr>
 * <tr><td>incompleteWait</td><td>5 s</td><td>how far the joint watermark may pass hop T + lateness
 *     before the hop is closed with what the furnace has (a stalled camera or PLC): the backstop that
 *     keeps a dead stream from holding a furnace's windows back for ever</td></tr>
 * <tr><td>idleHops</td><td>2</td><td>after this many consecutive hops without any input the furnace is
 *     idle: its state is cleared and no more timers are registered until data arrives</td></tr>
 * </table>
 */
public final class AlignerConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** All defaults (see the class comment). */
    public static final AlignerConfig DEFAULTS = builder().build();

    private final long hopMicros;
    private final long frameIntervalMicros;
    private final int samplingRate;
    private final long frameToleranceMicros;
    private final int clipFrames;
    private final long currentSpanMicros;
    private final int maxCurrentReadings;
    private final int minCurrentReadings;
    private final HashMap<String, Long> clockOffsetsMicros;
    private final boolean emitDegraded;
    private final long allowedLatenessMillis;
    private final long outOfOrdernessMillis;
    private final long incompleteWaitMillis;
    private final int idleHops;

    private AlignerConfig(Builder b) {
        this.hopMicros = b.hopMicros;
        this.frameIntervalMicros = b.frameIntervalMicros;
        this.samplingRate = b.samplingRate;
        this.frameToleranceMicros = b.frameToleranceMicros;
        this.clipFrames = b.clipFrames;
        this.currentSpanMicros = b.currentSpanMicros;
        this.maxCurrentReadings = b.maxCurrentReadings;
        this.minCurrentReadings = b.minCurrentReadings;
        this.clockOffsetsMicros = new HashMap<>(b.clockOffsetsMicros);
        this.emitDegraded = b.emitDegraded;
        this.allowedLatenessMillis = b.allowedLatenessMillis;
        this.outOfOrdernessMillis = b.outOfOrdernessMillis;
        this.incompleteWaitMillis = b.incompleteWaitMillis;
        this.idleHops = b.idleHops;
        validate();
    }

    private void validate() {
        if (hopMicros <= 0 || hopMicros % 1000 != 0) {
            throw new IllegalArgumentException("hop must be a positive whole number of ms, got " + hopMicros + " us");
        }
        if (frameIntervalMicros <= 0) {
            throw new IllegalArgumentException("frameInterval must be > 0, got " + frameIntervalMicros + " us");
        }
        if (samplingRate < 1) {
            throw new IllegalArgumentException("samplingRate must be >= 1, got " + samplingRate);
        }
        if (frameToleranceMicros < 0) {
            throw new IllegalArgumentException("frameTolerance must be >= 0, got " + frameToleranceMicros + " us");
        }
        if (clipFrames < 1) {
            throw new IllegalArgumentException("clipFrames must be >= 1, got " + clipFrames);
        }
        if (currentSpanMicros <= 0) {
            throw new IllegalArgumentException("currentSpan must be > 0, got " + currentSpanMicros + " us");
        }
        if (maxCurrentReadings < 1) {
            throw new IllegalArgumentException("maxCurrentReadings must be >= 1, got " + maxCurrentReadings);
        }
        if (minCurrentReadings < 1 || minCurrentReadings > maxCurrentReadings) {
            throw new IllegalArgumentException("minCurrentReadings must be in [1, maxCurrentReadings = "
                    + maxCurrentReadings + "], got " + minCurrentReadings);
        }
        if (allowedLatenessMillis < 0) {
            throw new IllegalArgumentException("allowedLateness must be >= 0, got " + allowedLatenessMillis + " ms");
        }
        if (outOfOrdernessMillis < 0) {
            throw new IllegalArgumentException("outOfOrderness must be >= 0, got " + outOfOrdernessMillis + " ms");
        }
        if (incompleteWaitMillis < 0) {
            throw new IllegalArgumentException("incompleteWait must be >= 0, got " + incompleteWaitMillis + " ms");
        }
        if (idleHops < 1) {
            throw new IllegalArgumentException("idleHops must be >= 1, got " + idleHops);
        }
        for (Map.Entry<String, Long> e : clockOffsetsMicros.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("clock offsets must not contain null keys or values");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.hopMicros = hopMicros;
        b.frameIntervalMicros = frameIntervalMicros;
        b.samplingRate = samplingRate;
        b.frameToleranceMicros = frameToleranceMicros;
        b.clipFrames = clipFrames;
        b.currentSpanMicros = currentSpanMicros;
        b.maxCurrentReadings = maxCurrentReadings;
        b.minCurrentReadings = minCurrentReadings;
        b.clockOffsetsMicros.putAll(clockOffsetsMicros);
        b.emitDegraded = emitDegraded;
        b.allowedLatenessMillis = allowedLatenessMillis;
        b.outOfOrdernessMillis = outOfOrdernessMillis;
        b.incompleteWaitMillis = incompleteWaitMillis;
        b.idleHops = idleHops;
        return b;
    }

    public long hopMicros() {
        return hopMicros;
    }

    public long frameIntervalMicros() {
        return frameIntervalMicros;
    }

    public int samplingRate() {
        return samplingRate;
    }

    public long frameToleranceMicros() {
        return frameToleranceMicros;
    }

    public int clipFrames() {
        return clipFrames;
    }

    public long currentSpanMicros() {
        return currentSpanMicros;
    }

    public int maxCurrentReadings() {
        return maxCurrentReadings;
    }

    public int minCurrentReadings() {
        return minCurrentReadings;
    }

    public boolean emitDegraded() {
        return emitDegraded;
    }

    public long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }

    public long outOfOrdernessMillis() {
        return outOfOrdernessMillis;
    }

    public long incompleteWaitMillis() {
        return incompleteWaitMillis;
    }

    public int idleHops() {
        return idleHops;
    }

    /** Microseconds added to this furnace's PLC times to put them on its camera clock (0 if unset). */
    public long clockOffsetMicros(String furnaceId) {
        Long v = clockOffsetsMicros.get(furnaceId);
        return v == null ? 0L : v;
    }

    /** A copy of the per-furnace clock offsets (µs). */
    public Map<String, Long> clockOffsetsMicros() {
        return Map.copyOf(clockOffsetsMicros);
    }

    /** Distance between clip slots: samplingRate * frameInterval (µs). */
    public long slotSpacingMicros() {
        return samplingRate * frameIntervalMicros;
    }

    /**
     * How far before a hop time T the oldest frame of its clip can lie: the scored frame is newer than
     * T - interval - tolerance, and the oldest slot is (clipFrames - 1) * s intervals before it, plus
     * tolerance.
     */
    public long clipLookbackMicros() {
        return (clipFrames - 1) * slotSpacingMicros() + frameIntervalMicros + 2 * frameToleranceMicros;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlignerConfig c)) {
            return false;
        }
        return hopMicros == c.hopMicros && frameIntervalMicros == c.frameIntervalMicros
                && samplingRate == c.samplingRate && frameToleranceMicros == c.frameToleranceMicros
                && clipFrames == c.clipFrames && currentSpanMicros == c.currentSpanMicros
                && maxCurrentReadings == c.maxCurrentReadings && minCurrentReadings == c.minCurrentReadings
                && clockOffsetsMicros.equals(c.clockOffsetsMicros) && emitDegraded == c.emitDegraded
                && allowedLatenessMillis == c.allowedLatenessMillis && outOfOrdernessMillis == c.outOfOrdernessMillis
                && incompleteWaitMillis == c.incompleteWaitMillis && idleHops == c.idleHops;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hopMicros, frameIntervalMicros, samplingRate, frameToleranceMicros, clipFrames,
                currentSpanMicros, maxCurrentReadings, minCurrentReadings, clockOffsetsMicros, emitDegraded,
                allowedLatenessMillis, outOfOrdernessMillis, incompleteWaitMillis, idleHops);
    }

    @Override
    public String toString() {
        return "AlignerConfig{hop=" + hopMicros + "us, frameInterval=" + frameIntervalMicros + "us, s="
                + samplingRate + ", tolerance=" + frameToleranceMicros + "us, clipFrames=" + clipFrames
                + ", currentSpan=" + currentSpanMicros + "us, readings=[" + minCurrentReadings + ", "
                + maxCurrentReadings + "], offsets=" + clockOffsetsMicros + ", emitDegraded=" + emitDegraded
                + ", lateness=" + allowedLatenessMillis + "ms, outOfOrderness=" + outOfOrdernessMillis
                + "ms, incompleteWait=" + incompleteWaitMillis + "ms, idleHops=" + idleHops + "}";
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private long hopMicros = 1_000_000L;
        private long frameIntervalMicros = 40_000L;
        private int samplingRate = 1;
        private long frameToleranceMicros = 50_000L;
        private int clipFrames = TokenizerSpec.FMFORMER.frames();
        private long currentSpanMicros = 120_000_000L;
        private int maxCurrentReadings = TokenizerSpec.FMFORMER.currentSteps();
        private int minCurrentReadings = 1;
        private final HashMap<String, Long> clockOffsetsMicros = new HashMap<>();
        private boolean emitDegraded = true;
        private long allowedLatenessMillis = 0L;
        private long outOfOrdernessMillis = 2_000L;
        private long incompleteWaitMillis = 5_000L;
        private int idleHops = 2;

        private Builder() {
        }

        public Builder hop(Duration hop) {
            this.hopMicros = micros(hop);
            return this;
        }

        public Builder frameInterval(Duration interval) {
            this.frameIntervalMicros = micros(interval);
            return this;
        }

        public Builder samplingRate(int s) {
            this.samplingRate = s;
            return this;
        }

        public Builder frameTolerance(Duration tolerance) {
            this.frameToleranceMicros = micros(tolerance);
            return this;
        }

        public Builder clipFrames(int frames) {
            this.clipFrames = frames;
            return this;
        }

        public Builder currentSpan(Duration span) {
            this.currentSpanMicros = micros(span);
            return this;
        }

        public Builder maxCurrentReadings(int n) {
            this.maxCurrentReadings = n;
            return this;
        }

        public Builder minCurrentReadings(int n) {
            this.minCurrentReadings = n;
            return this;
        }

        /** Shape of the clip and current from a tokenizer spec: clip frames and the reading cap. */
        public Builder spec(TokenizerSpec spec) {
            this.clipFrames = spec.frames();
            this.maxCurrentReadings = spec.currentSteps();
            return this;
        }

        /** PLC time + offset = camera time for this furnace. */
        public Builder clockOffset(String furnaceId, Duration offset) {
            this.clockOffsetsMicros.put(Objects.requireNonNull(furnaceId, "furnaceId"), micros(offset));
            return this;
        }

        public Builder clockOffsetsMicros(Map<String, Long> offsets) {
            this.clockOffsetsMicros.clear();
            this.clockOffsetsMicros.putAll(offsets);
            return this;
        }

        public Builder emitDegraded(boolean emit) {
            this.emitDegraded = emit;
            return this;
        }

        public Builder allowedLateness(Duration lateness) {
            this.allowedLatenessMillis = wholeMillis(lateness, "allowedLateness");
            return this;
        }

        public Builder outOfOrderness(Duration bound) {
            this.outOfOrdernessMillis = wholeMillis(bound, "outOfOrderness");
            return this;
        }

        public Builder incompleteWait(Duration wait) {
            this.incompleteWaitMillis = wholeMillis(wait, "incompleteWait");
            return this;
        }

        public Builder idleHops(int hops) {
            this.idleHops = hops;
            return this;
        }

        public AlignerConfig build() {
            return new AlignerConfig(this);
        }

        private static long micros(Duration d) {
            Objects.requireNonNull(d, "duration");
            if (d.toNanos() % 1000 != 0) {
                throw new IllegalArgumentException("durations must be whole microseconds, got " + d);
            }
            return d.toNanos() / 1000;
        }

        private static long wholeMillis(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.toNanos() % 1_000_000L != 0) {
                throw new IllegalArgumentException(name + " must be a whole number of ms, got " + d);
            }
            return d.toMillis();
        }
    }
}
