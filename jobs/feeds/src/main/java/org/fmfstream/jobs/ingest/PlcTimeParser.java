package org.fmfstream.jobs.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Reads the time column of PLC current exports, which differ by plant and tool: an ISO-8601 instant
 * ({@code 2023-05-10T21:33:27.5Z}, {@code ...+08:00}), an ISO local date-time
 * ({@code 2023-05-10T21:33:27.5}) or {@code yyyy-MM-dd HH:mm:ss[.SSS]} read in the plant's zone, or
 * epoch milliseconds.
 */
public final class PlcTimeParser {
    /** {@code yyyy-MM-dd HH:mm:ss} with an optional fraction of 1 to 9 digits. */
    private static final DateTimeFormatter SPACED = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();
    /** Epoch milliseconds before this (2001-09-09) are almost surely epoch seconds by mistake. */
    private static final long PLAUSIBLE_EPOCH_MILLIS = 1_000_000_000_000L;

    private final ZoneId zone;

    public PlcTimeParser(ZoneId zone) {
        this.zone = zone;
    }

    /** Microseconds since the epoch; throws {@link IllegalArgumentException} with a readable reason. */
    public long parseMicros(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("the time is empty");
        }
        if (t.chars().allMatch(Character::isDigit)) {
            long millis;
            try {
                millis = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("epoch milliseconds '" + t + "' are out of range");
            }
            if (millis < PLAUSIBLE_EPOCH_MILLIS) {
                throw new IllegalArgumentException("'" + t + "' is too small for epoch milliseconds "
                        + "(epoch seconds are not accepted)");
            }
            return Math.multiplyExact(millis, 1000L);
        }
        Instant instant;
        try {
            if (t.indexOf('T') > 0 || t.indexOf('t') > 0) {
                instant = isoWithZone(t) ? OffsetDateTime.parse(t.toUpperCase(java.util.Locale.ROOT)).toInstant()
                        : LocalDateTime.parse(t.toUpperCase(java.util.Locale.ROOT)).atZone(zone).toInstant();
            } else {
                instant = LocalDateTime.parse(t, SPACED).atZone(zone).toInstant();
            }
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + t + "' is not a time (ISO-8601 instant or local date-time, "
                    + "yyyy-MM-dd HH:mm:ss[.SSS] or epoch milliseconds)");
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000L);
    }

    /** Whether an ISO date-time ends in Z or an offset, rather than being local. */
    private static boolean isoWithZone(String t) {
        int timeStart = Math.max(t.indexOf('T'), t.indexOf('t'));
        String time = t.substring(timeStart);
        return time.endsWith("Z") || time.endsWith("z") || time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }
}
