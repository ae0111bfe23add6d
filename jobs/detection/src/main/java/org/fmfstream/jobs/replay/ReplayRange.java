package org.fmfstream.jobs.replay;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.fmfstream.operators.align.AlignerConfig;

/**
 * The event-time range of a replay, {@code [from, to)} in ms since the epoch; {@code from} null =
 * the earliest record kept, {@code to} null = each partition's end when the replay starts.
 *
 * <p>The sources start {@link #warmUpMillis} before {@code from}: a window needs the last
 * {@code currentSpan} (120 s) of current and a clip reaching {@code clipLookback} back, plus one hop
 * of alignment and the largest PLC clock offset. Starting exactly at {@code from} would give the
 * first two minutes of windows a stretched, partial current history that the live job never saw;
 * reading the warm-up span makes them complete, and its own windows are then dropped (only windows
 * whose {@code windowEndMicros} lies in the range become events and masks).
 */
public record ReplayRange(Long fromMillis, Long toMillis) {

    public ReplayRange {
        if (fromMillis != null && toMillis != null && fromMillis >= toMillis) {
            throw new IllegalArgumentException("--from " + Instant.ofEpochMilli(fromMillis) + " is not before --to "
                    + Instant.ofEpochMilli(toMillis));
        }
    }

    /**
     * Parses {@code --from} / {@code --to}: an ISO-8601 instant ({@code 2026-11-26T08:00:00Z}), epoch
     * milliseconds, or {@code earliest} / {@code latest} (null = open end).
     */
    public static ReplayRange parse(String from, String to) {
        return new ReplayRange(time("--from", from, "earliest"), time("--to", to, "latest"));
    }

    private static Long time(String flag, String text, String open) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase(open)) {
            return null;
        }
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Long.parseLong(t);
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + ": '" + text + "' is not an ISO instant (2026-11-26T08:00:00Z),"
                    + " epoch milliseconds or " + open);
        }
    }

    /** How far before {@code from} the sources start (see the class comment), whole ms rounded up. */
    public static long warmUpMillis(AlignerConfig aligner, Map<String, Long> clockOffsetsMicros) {
        long maxOffset = clockOffsetsMicros.values().stream().mapToLong(Math::abs).max().orElse(0);
        long micros = aligner.currentSpanMicros() + aligner.clipLookbackMicros() + aligner.hopMicros()
                + aligner.frameIntervalMicros() + aligner.frameToleranceMicros() + maxOffset;
        return (micros + 999) / 1000;
    }

    /** {@code start.from} for the job: {@code earliest}, or {@code timestamp:} from minus the warm-up. */
    public String startFrom(long warmUpMillis) {
        return fromMillis == null ? "earliest" : "timestamp:" + Math.max(0, fromMillis - warmUpMillis);
    }

    /** {@code stop.at} for the job: {@code latest} or {@code timestamp:<to>}. */
    public String stopAt() {
        return toMillis == null ? "latest" : "timestamp:" + toMillis;
    }

    /** Whether a window ending at {@code windowEndMicros} is in the range. */
    public boolean contains(long windowEndMicros) {
        return (fromMillis == null || windowEndMicros >= fromMillis * 1000)
                && (toMillis == null || windowEndMicros < toMillis * 1000);
    }

    @Override
    public String toString() {
        return "[" + (fromMillis == null ? "earliest" : Instant.ofEpochMilli(fromMillis)) + ", "
                + (toMillis == null ? "latest" : Instant.ofEpochMilli(toMillis)) + ")";
    }
}
