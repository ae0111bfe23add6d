package org.fmfstream.operators.source;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks beyond the codec's, shared by both input topics: how far ahead of the wall clock an event
 * time may be, and which furnaces the job serves (empty = any well-formed id).
 */
public final class InputRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default horizon: Kafka's own limit on future timestamps ({@code message.timestamp.after.max.ms}). */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofHours(1);

    private final long maxFutureMillis;
    private final TreeSet<String> furnaces;

    public InputRules(Duration maxFuture, Collection<String> furnaces) {
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
