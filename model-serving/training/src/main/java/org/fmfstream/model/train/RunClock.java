package org.fmfstream.model.train;

import java.time.Duration;

/**
 * Estimates when a run ends from the pace of the steps taken in this process (a resumed run does
 * not count the steps of earlier processes, whose pace it never saw).
 */
final class RunClock {
    private final long totalSteps;
    private final long firstStep;
    private long stepsDone;
    private long startNanos = -1;
    private long lastNanos;

    RunClock(long stepsBefore, long totalSteps) {
        this.firstStep = stepsBefore;
        this.stepsDone = stepsBefore;
        this.totalSteps = totalSteps;
    }

    void stepDone(long nowNanos) {
        if (startNanos < 0) {
            // The first step pays for warm-up (native library, first allocations): time from its end.
            startNanos = nowNanos;
            stepsDone++;
            return;
        }
        stepsDone++;
        lastNanos = nowNanos;
    }

    /** Remaining time as h:mm:ss, or "?" before two steps have been timed. */
    String eta() {
        long timed = stepsDone - firstStep - 1;
        if (timed < 1) {
            return "?";
        }
        double perStep = (lastNanos - startNanos) / (double) timed;
        long seconds = Math.round(perStep * Math.max(0, totalSteps - stepsDone) / 1e9);
        Duration d = Duration.ofSeconds(seconds);
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
