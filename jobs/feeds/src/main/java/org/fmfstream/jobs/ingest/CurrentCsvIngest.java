package org.fmfstream.jobs.ingest;

import org.fmfstream.model.dataset.CurrentValue;
import java.io.IOException;
import java.util.function.Consumer;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.schemas.codec.Validators;

/**
 * Publishes the current readings of a PLC export ({@code time,A,B,C} lines, optional header) as
 * CurrentSample blocks of up to {@code block} readings. Lines that cannot be readings (wrong field
 * count, unreadable time, a current that is not a finite number) are reported with their line number
 * and skipped; they never stop the ingest.
 */
public final class CurrentCsvIngest {
    private final String furnaceId;
    private final PlcTimeParser times;
    private final int block;
    private final double rateHz;
    private final FurnaceRecordSink sink;
    private final Consumer<String> warnings;
    private final Runnable onReading;
    private volatile LineSource running;
    private volatile boolean stopRequested;

    /** What was read and published. */
    public record Summary(long readings, long samples, long skippedLines) {}

    /**
     * @param block     readings per CurrentSample, at most {@link Validators#MAX_READINGS_PER_BLOCK}
     * @param rateHz    the PLC's sampling rate; the sample rate of every block
     * @param onReading called once per reading published (progress)
     */
    public CurrentCsvIngest(String furnaceId, PlcTimeParser times, int block, double rateHz, FurnaceRecordSink sink,
                            Consumer<String> warnings, Runnable onReading) {
        if (furnaceId == null || furnaceId.isBlank()) {
            throw new IllegalArgumentException("--furnace-id must not be blank");
        }
        if (block < 1 || block > Validators.MAX_READINGS_PER_BLOCK) {
            throw new IllegalArgumentException("--block must be between 1 and " + Validators.MAX_READINGS_PER_BLOCK
                    + ", not " + block);
        }
        if (!(rateHz > 0) || Double.isInfinite(rateHz)) {
            throw new IllegalArgumentException("--rate must be a positive number of readings per second, not " + rateHz);
        }
        this.furnaceId = furnaceId;
        this.times = times;
        this.block = block;
        this.rateHz = rateHz;
        this.sink = sink;
        this.warnings = warnings;
        this.onReading = onReading;
    }

    /**
     * Reads {@code source} to its end, or until {@link #stop()} or an interrupt (Ctrl-C) while
     * following, which end the run normally; the last partial block is published and the sink
     * flushed before returning.
     */
    public Summary run(LineSource source) throws IOException {
        running = source;
        if (stopRequested) {
            source.stop();
        }
        CurrentSampleAssembler current = new CurrentSampleAssembler(furnaceId, rateHz, block);
        // A partial block is published once it has waited past the time its last slot is due.
        long patienceNanos = (long) ((block + 1) * 1e9 / rateHz);
        long readings = 0;
        long samples = 0;
        long skipped = 0;
        try {
            Line line;
            while ((line = source.next()) != null) {
                if (line.idle()) {
                    if (!current.isEmpty() && current.waitingNanos() > patienceNanos) {
                        sink.current(current.take());
                        samples++;
                    }
                    continue;
                }
                Reading r = parse(line);
                if (r == null) {
                    if (!line.text().isBlank() && !isHeader(line)) {
                        skipped++;
                    }
                    continue;
                }
                if (!current.continuesWith(r.micros())) {
                    sink.current(current.take());
                    samples++;
                }
                current.add(r.micros(), r.a(), r.b(), r.c());
                readings++;
                onReading.run();
                if (current.isFull()) {
                    sink.current(current.take());
                    samples++;
                }
            }
        } catch (InterruptedException e) {
            // The interrupt asked the followed run to end; it is handled by ending normally.
        } finally {
            // Also on interruption: what was read is published, not lost.
            if (!current.isEmpty()) {
                sink.current(current.take());
                samples++;
            }
            sink.flush();
            running = null;
        }
        return new Summary(readings, samples, skipped);
    }

    /** Ends a followed run: {@link #run} returns after publishing what it has. Safe from any thread. */
    public void stop() {
        stopRequested = true;
        LineSource source = running;
        if (source != null) {
            source.stop();
        }
    }

    private record Reading(long micros, float a, float b, float c) {}

    /** The reading of a line, or null after reporting why it is none (blank lines and headers silently). */
    private Reading parse(Line line) {
        String text = line.text().strip();
        if (text.isEmpty()) {
            return null;
        }
        String[] fields = text.split(separator(text), -1);
        if (isHeader(line)) {
            return null;
        }
        if (fields.length != 4) {
            warn(line, "expected 4 fields time,A,B,C but found " + fields.length);
            return null;
        }
        try {
            long micros = times.parseMicros(unquote(fields[0]));
            return new Reading(micros, CurrentValue.parse(unquote(fields[1])), CurrentValue.parse(unquote(fields[2])),
                    CurrentValue.parse(unquote(fields[3])));
        } catch (IllegalArgumentException | ArithmeticException e) {
            warn(line, e.getMessage());
            return null;
        }
    }

    /** The first line of a file is a header when its time field is not a time but words. */
    private boolean isHeader(Line line) {
        if (line.number() != 1) {
            return false;
        }
        String text = line.text().strip();
        String first = unquote(text.split(separator(text), -1)[0]);
        if (first.isEmpty() || !first.chars().anyMatch(Character::isLetter)) {
            return false;
        }
        try {
            times.parseMicros(first);
            return false;
        } catch (IllegalArgumentException | ArithmeticException e) {
            return true;
        }
    }

    /** Commas as in the benchmark; some PLC tools export with semicolons or tabs instead. */
    private static String separator(String text) {
        if (text.indexOf(',') >= 0) {
            return ",";
        }
        return text.indexOf(';') >= 0 ? ";" : "\t";
    }

    private void warn(Line line, String problem) {
        warnings.accept("line " + line.number() + ": " + problem + "; skipped");
    }

    private static String unquote(String field) {
        String t = field.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1).trim();
        }
        return t;
    }
}
