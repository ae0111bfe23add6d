package org.fmfstream.jobs.ingest;

import java.util.ArrayList;
import java.util.List;
import org.fmfstream.schemas.CurrentSample;

/**
 * Gathers consecutive readings into one CurrentSample. The contract places reading k at
 * {@code first + k/rate}, so a reading only joins the block when it arrives within half a period of
 * that slot; a gap or a clock step starts a new block instead of bending the times.
 */
final class CurrentSampleAssembler {
    private final String furnaceId;
    private final double rateHz;
    private final int capacity;
    private final List<Float> a = new ArrayList<>();
    private final List<Float> b = new ArrayList<>();
    private final List<Float> c = new ArrayList<>();
    private long firstMicros;
    private long startedNanos;

    CurrentSampleAssembler(String furnaceId, double rateHz, int capacity) {
        this.furnaceId = furnaceId;
        this.rateHz = rateHz;
        this.capacity = capacity;
    }

    boolean isEmpty() {
        return a.isEmpty();
    }

    boolean isFull() {
        return a.size() >= capacity;
    }

    /** Whether a reading at {@code micros} is the next slot of this block. */
    boolean continuesWith(long micros) {
        if (isEmpty()) {
            return true;
        }
        double slot = firstMicros + a.size() * 1e6 / rateHz;
        return Math.abs(micros - slot) <= 0.5e6 / rateHz;
    }

    void add(long micros, float phaseA, float phaseB, float phaseC) {
        if (isEmpty()) {
            firstMicros = micros;
            startedNanos = System.nanoTime();
        }
        a.add(phaseA);
        b.add(phaseB);
        c.add(phaseC);
    }

    /** Wall time since the first reading of the block was read. */
    long waitingNanos() {
        return isEmpty() ? 0 : System.nanoTime() - startedNanos;
    }

    int size() {
        return a.size();
    }

    /** The block as a record; the block is then empty. */
    CurrentSample take() {
        CurrentSample sample = CurrentSample.newBuilder()
                .setFurnaceId(furnaceId)
                .setEventTimeMicros(firstMicros)
                .setSampleRateHz(rateHz)
                .setPhaseA(new ArrayList<>(a))
                .setPhaseB(new ArrayList<>(b))
                .setPhaseC(new ArrayList<>(c))
                .build();
        a.clear();
        b.clear();
        c.clear();
        return sample;
    }
}
