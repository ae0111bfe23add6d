package org.fmfstream.jobs.importer;

/**
 * Paces publishing by the records' original event times: in real time (or {@code speed} times as
 * fast) the gaps between records are waited out, as if the recording were happening now; fast
 * publishing waits for nothing. Each recording starts its own clock, since the batches were recorded
 * on different days.
 */
public final class EventTimePacer {
    private final double speed;
    private long anchorNanos;
    private long anchorEventMicros;
    private boolean started;

    private EventTimePacer(double speed) {
        this.speed = speed;
    }

    /** No waiting: records go out as fast as the sink takes them. */
    public static EventTimePacer fast() {
        return new EventTimePacer(0);
    }

    /** Real time divided by {@code speed} (2 = twice as fast). */
    public static EventTimePacer realtime(double speed) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("--speed must be a positive number, not " + speed);
        }
        return new EventTimePacer(speed);
    }

    public boolean isRealtime() {
        return speed > 0;
    }

    /** Starts a new recording: its first record goes out at once. */
    public void restart() {
        started = false;
    }

    /** Waits until the record at {@code eventTimeMicros} is due. */
    public void await(long eventTimeMicros) throws InterruptedException {
        if (speed <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (!started) {
            started = true;
            anchorNanos = now;
            anchorEventMicros = eventTimeMicros;
            return;
        }
        long dueNanos = anchorNanos + (long) ((eventTimeMicros - anchorEventMicros) * 1000.0 / speed);
        long waitNanos = dueNanos - now;
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
        }
    }
}
