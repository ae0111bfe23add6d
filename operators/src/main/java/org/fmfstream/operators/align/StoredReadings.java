package org.fmfstream.operators.align;

/**
 * Current readings of one input block as {@link ClipAligner} keeps them in keyed state: the times
 * already on the camera clock (PLC time + the furnace's offset), three float arrays, and the block's
 * ingest time. A Flink POJO, so state uses Flink's own serializer; about 20 bytes a reading.
 */
public class StoredReadings {

    /** Camera-clock time of each reading (µs), strictly increasing. */
    public long[] timesMicros;
    public float[] phaseA;
    public float[] phaseB;
    public float[] phaseC;
    /** Ingest time (ms) of the block the readings came from. */
    public long ingestMillis;

    public StoredReadings() {
    }

    public StoredReadings(long[] timesMicros, float[] phaseA, float[] phaseB, float[] phaseC, long ingestMillis) {
        this.timesMicros = timesMicros;
        this.phaseA = phaseA;
        this.phaseB = phaseB;
        this.phaseC = phaseC;
        this.ingestMillis = ingestMillis;
    }

    public int size() {
        return timesMicros.length;
    }

    public long firstMicros() {
        return timesMicros[0];
    }

    public long lastMicros() {
        return timesMicros[timesMicros.length - 1];
    }
}
