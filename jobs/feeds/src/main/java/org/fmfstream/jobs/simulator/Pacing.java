package org.fmfstream.jobs.simulator;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** When a run may hand over the record due at a given simulated time. */
interface Pacing {

    /**
     * Returns once the record due at {@code simulatedMicros} may go out, or early (false) when
     * {@code stopped} turns true.
     */
    boolean await(long simulatedMicros, BooleanSupplier stopped);

    /** As fast as the sink takes them. */
    static Pacing fast() {
        return (t, stopped) -> !stopped.getAsBoolean();
    }

    /**
     * Simulated time runs with the wall clock: {@code simulatedStartMicros} is mapped to the moment of
     * the first call. A run that falls behind (slow sink) catches up without waiting.
     */
    static Pacing wallClock(long simulatedStartMicros) {
        return new Pacing() {
            private long anchorNanos = Long.MIN_VALUE;

            @Override
            public boolean await(long simulatedMicros, BooleanSupplier stopped) {
                if (anchorNanos == Long.MIN_VALUE) {
                    anchorNanos = System.nanoTime();
                }
                long due = anchorNanos + (simulatedMicros - simulatedStartMicros) * 1000;
                while (true) {
                    if (stopped.getAsBoolean()) {
                        return false;
                    }
                    long wait = due - System.nanoTime();
                    if (wait <= 0) {
                        return true;
                    }
                    // Short naps so that a stop request is honoured promptly.
                    try {
                        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 100_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        };
    }
}
