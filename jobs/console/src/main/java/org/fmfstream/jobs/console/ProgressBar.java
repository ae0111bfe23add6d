package org.fmfstream.jobs.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long-running tool on stderr: done / total, rate and time left. On a terminal it
 * redraws one line in place with {@code \r} (at most ten times a second); when stderr is a file or a
 * pipe, where {@code \r} would pile up as garbage, it prints a plain line every few seconds instead.
 * A total of 0 or less means unknown (a live stream): then only the count and rate are shown.
 * Messages printed through {@link #println} do not get mixed into the bar. Thread-safe.
 */
public final class ProgressBar {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long PLAIN_LINE_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final String label;
    private final String unit;
    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long interval;
    private final long startNanos;
    private long total;
    private long done;
    private long lastDrawNanos;
    private int lastLength;
    private boolean drawn;
    private boolean finished;
    private String detail = "";

    public ProgressBar(String label, String unit, long total, PrintWriter out, boolean terminal, LongSupplier nanoClock) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.interval = terminal ? REDRAW_NANOS : PLAIN_LINE_NANOS;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos;
    }

    /** A bar on stderr, redrawn in place when stderr is a terminal. */
    public static ProgressBar onStderr(String label, String unit, long total) {
        return new ProgressBar(label, unit, total, new PrintWriter(System.err, true), stderrIsTerminal(), System::nanoTime);
    }

    /**
     * Whether stderr is a terminal. Java only tells for stdin/stdout together ({@code System.console()}),
     * so on Linux we look at what file descriptor 2 points to.
     */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    public synchronized void setTotal(long total) {
        this.total = total;
    }

    /** Sets the count done (for progress read from elsewhere, e.g. committed offsets). */
    public synchronized void set(long n) {
        advance(n - done);
    }

    /** Extra text shown after the figures (e.g. a second rate); empty for none. */
    public synchronized void setDetail(String detail) {
        this.detail = detail == null ? "" : detail;
    }

    /** Counts {@code n} more items done. */
    public synchronized void advance(long n) {
        done += n;
        long now = nanoClock.getAsLong();
        if (now - lastDrawNanos >= interval) {
            draw(now);
        }
    }

    public synchronized long done() {
        return done;
    }

    /** Prints a message on its own line; the bar is redrawn below it. */
    public synchronized void println(String message) {
        if (terminal && drawn) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            drawn = false;
        }
        out.println(message);
        if (terminal && !finished) {
            draw(nanoClock.getAsLong());
        }
        out.flush();
    }

    /** Draws the final state and ends the line; later calls do nothing. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        draw(nanoClock.getAsLong());
        finished = true;
        if (terminal) {
            out.println();
        }
        out.flush();
    }

    private void draw(long now) {
        lastDrawNanos = now;
        String line = render(now);
        if (terminal) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
            drawn = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The progress line as of {@code nowNanos}. */
    synchronized String render(long nowNanos) {
        double seconds = Math.max(1e-9, (nowNanos - startNanos) / 1e9);
        double rate = done / seconds;
        StringBuilder s = new StringBuilder(label).append(' ');
        if (total > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            s.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ");
            s.append(String.format(Locale.ROOT, "%,d/%,d %s %3.0f%% %,.1f/s ETA %s", done, total, unit,
                    fraction * 100, rate, eta(rate)));
        } else {
            s.append(String.format(Locale.ROOT, "%,d %s %,.1f/s", done, unit, rate));
        }
        if (!detail.isEmpty()) {
            s.append(' ').append(detail);
        }
        return s.toString();
    }

    private String eta(double rate) {
        long left = Math.max(0, total - done);
        if (left == 0) {
            return "0:00";
        }
        if (rate <= 0) {
            return "--:--";
        }
        long secs = (long) Math.ceil(left / rate);
        return secs >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60)
                : String.format(Locale.ROOT, "%d:%02d", secs / 60, secs % 60);
    }
}
