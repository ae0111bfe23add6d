package org.fmfstream.operators.input;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks beyond the codec's, shared by both input topics: how far ahead of the wall clock an event
 * time may be, which furnaces the job serves (empty = any well-formed id), and the range a current
 * reading must lie in to be physically possible. The codec refuses non-finite currents; a finite
 * but absurd reading (1e30 A from a broken PLC register) would otherwise reach the model, and its
 * LayerNorm over the phases can turn it into a NaN probability.
 */
public final class InputRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default horizon: Kafka's own limit on future timestamps ({@code message.timestamp.after.max.ms}). */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofHours(1);

    /** Default plausible current range in amperes: a sensor offset below zero up to 60 kA per phase. */
    public static final float DEFAULT_CURRENT_MIN = -1_000f;
    public static final float DEFAULT_CURRENT_MAX = 60_000f;

    private final long maxFutureMillis;
    private final TreeSet<String> furnaces;
    private final float currentMin;
    private final float currentMax;

    public InputRules(Duration maxFuture, Collection<String> furnaces) {
        this(maxFuture, furnaces, DEFAULT_CURRENT_MIN, DEFAULT_CURRENT_MAX);
    }

    /**
     * @param currentMin lowest plausible current reading, amperes
     * @param currentMax highest plausible current reading, amperes
     */
    public InputRules(Duration maxFuture, Collection<String> furnaces, float currentMin, float currentMax) {
        if (!(Float.isFinite(currentMin) && Float.isFinite(currentMax) && currentMin < currentMax)) {
            throw new IllegalArgumentException("current range must be finite with min < max, got "
                    + currentMin + ".." + currentMax);
        }
        this.currentMin = currentMin;
        this.currentMax = currentMax;
        if (maxFuture == null || maxFuture.isNegative()) {
            throw new IllegalArgumentException("max-future horizon must be >= 0, got " + maxFuture);
        }
        this.maxFutureMillis = maxFuture.toMillis();
        this.furnaces = new TreeSet<>();
        if (furnaces != null) {
            for (String f : furnaces) {
                if (f == null || f.isBlank()) {
                    throw new IllegalArgumentException("furnace allow-list holds a blank id");
                }
                this.furnaces.add(f.trim());
            }
        }
    }

    public static InputRules defaults() {
        return new InputRules(DEFAULT_MAX_FUTURE, Set.of());
    }

    public Duration maxFuture() {
        return Duration.ofMillis(maxFutureMillis);
    }

    public Set<String> furnaces() {
        return Set.copyOf(furnaces);
    }

    public float currentMin() {
        return currentMin;
    }

    public float currentMax() {
        return currentMax;
    }

    /** Null when every reading lies in the plausible range, else {kind, reason} naming the first that does not. */
    String[] currentProblem(String phase, List<Float> readings) {
        for (int i = 0; i < readings.size(); i++) {
            float v = readings.get(i);
            if (v < currentMin || v > currentMax) {
                return new String[] {RejectKinds.IMPLAUSIBLE_VALUE, phase + "[" + i + "] = " + v
                        + " A is outside the plausible range " + currentMin + " .. " + currentMax
                        + " A (input.current-range); check the PLC export"};
            }
        }
        return null;
    }

    /** Null when the record passes, else {kind, reason}. */
    String[] problem(String furnaceId, long eventTimeMicros, long nowMillis) {
        if (!furnaces.isEmpty() && !furnaces.contains(furnaceId)) {
            return new String[] {RejectKinds.UNKNOWN_FURNACE,
                    "furnace '" + furnaceId + "' is not in the allow-list " + furnaces};
        }
        long eventMillis = Math.floorDiv(eventTimeMicros, 1000L);
        if (eventMillis - nowMillis > maxFutureMillis) {
            return new String[] {RejectKinds.FAR_FUTURE_TIMESTAMP,
                    "event time " + eventMillis + " ms is " + (eventMillis - nowMillis)
                            + " ms ahead of the wall clock " + nowMillis + " ms; at most " + maxFutureMillis
                            + " ms allowed (fix the camera/PLC clock)"};
        }
        return null;
    }
}
