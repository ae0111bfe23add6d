package org.fmfstream.operators.input;

import java.util.Locale;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where a source starts when the job has no checkpoint to restore from: {@code earliest},
 * {@code latest}, {@code timestamp:<ms>} (first record with a timestamp at or after it), or
 * {@code committed} (the group's committed offsets, earliest for partitions without one).
 */
public record StartingOffsets(Kind kind, long timestampMillis) {

    public enum Kind { EARLIEST, LATEST, TIMESTAMP, COMMITTED }

    public static final StartingOffsets COMMITTED = new StartingOffsets(Kind.COMMITTED, -1);
    public static final StartingOffsets EARLIEST = new StartingOffsets(Kind.EARLIEST, -1);
    public static final StartingOffsets LATEST = new StartingOffsets(Kind.LATEST, -1);

    public static StartingOffsets timestamp(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0 ms since the epoch, got " + millis);
        }
        return new StartingOffsets(Kind.TIMESTAMP, millis);
    }

    /** Parses {@code earliest | latest | committed | timestamp:<ms>}; anything else is a clear error. */
    public static StartingOffsets parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "earliest":
                return EARLIEST;
            case "latest":
                return LATEST;
            case "committed":
                return COMMITTED;
            default:
                if (t.startsWith("timestamp:")) {
                    try {
                        return timestamp(Long.parseLong(t.substring("timestamp:".length()).trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + text + "' needs milliseconds since the epoch,"
                                + " e.g. timestamp:1767225600000");
                    }
                }
                throw new IllegalArgumentException("'" + text
                        + "' is not a start position; use earliest, latest, committed or timestamp:<ms>");
        }
    }

    public OffsetsInitializer initializer() {
        return switch (kind) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case TIMESTAMP -> OffsetsInitializer.timestamp(timestampMillis);
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.TIMESTAMP ? "timestamp:" + timestampMillis : kind.name().toLowerCase(Locale.ROOT);
    }
}
