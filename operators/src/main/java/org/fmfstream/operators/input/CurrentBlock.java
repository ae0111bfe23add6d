package org.fmfstream.operators.input;

import java.util.Objects;

/**
 * One decoded, validated block of three-phase current readings inside the job (the
 * {@code CurrentSample} contract as a Flink POJO). Reading k was taken at
 * {@code eventTimeMicros + k * 1e6 / sampleRateHz} on the PLC clock.
 *
 * <p>Fields are public for Flink's POJO serializer; treat instances as immutable once emitted.
 */
public class CurrentBlock {

    public String furnaceId;
    /** Time of the first reading, microseconds since the epoch, PLC clock. */
    public long eventTimeMicros;
    /** Readings per second within the block, finite and positive. */
    public double sampleRateHz;
    /** Amperes per reading; the three arrays have the same length (at least 1). */
    public float[] phaseA;
    public float[] phaseB;
    public float[] phaseC;
    /** Wall-clock time (ms) at which the record entered the job. */
    public long ingestMillis;
    /** Kafka partition and offset of the current topic this block came from; null when unknown. */
    public Integer sourcePartition;
    public Long sourceOffset;

    public CurrentBlock() {
    }

    public CurrentBlock(String furnaceId, long eventTimeMicros, double sampleRateHz,
                        float[] phaseA, float[] phaseB, float[] phaseC, long ingestMillis) {
        this.furnaceId = Objects.requireNonNull(furnaceId, "furnaceId");
        this.eventTimeMicros = eventTimeMicros;
        this.sampleRateHz = sampleRateHz;
        this.phaseA = Objects.requireNonNull(phaseA, "phaseA");
        this.phaseB = Objects.requireNonNull(phaseB, "phaseB");
        this.phaseC = Objects.requireNonNull(phaseC, "phaseC");
        this.ingestMillis = ingestMillis;
    }

    /** This block with its Kafka coordinates. */
    public CurrentBlock from(Integer partition, Long offset) {
        this.sourcePartition = partition;
        this.sourceOffset = offset;
        return this;
    }

    public int readings() {
        return phaseA.length;
    }

    /** Event time of reading {@code k}, microseconds, PLC clock. */
    public long readingTimeMicros(int k) {
        return eventTimeMicros + Math.round(k * 1_000_000.0 / sampleRateHz);
    }

    @Override
    public String toString() {
        return "CurrentBlock{" + furnaceId + " @" + eventTimeMicros + "us x" + readings() + "}";
    }
}
