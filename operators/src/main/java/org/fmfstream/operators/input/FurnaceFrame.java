package org.fmfstream.operators.input;

import java.util.Objects;

/**
 * One decoded, validated camera frame inside the job: the {@code VideoFrame} contract reduced to
 * what alignment and scoring need, as a Flink POJO (so keyed state and network transfer use
 * Flink's own serializers, not Avro or Kryo).
 *
 * <p>Fields are public for Flink's POJO serializer; treat instances as immutable once emitted.
 */
public class FurnaceFrame {

    /** Plant-wide furnace id, the key of every per-furnace operator. */
    public String furnaceId;
    /** Camera sequence number, strictly increasing per camera; duplicates are recognised by it. */
    public long frameSeq;
    /** Capture time, microseconds since the epoch, camera clock. */
    public long eventTimeMicros;
    /**
     * 64x64 RGB8, row-major (y, x), channels interleaved R, G, B: 12,288 bytes; null only in the
     * aligner's state, for a frame no clip can use ({@link #withoutPixels}).
     */
    public byte[] rgb;
    /** 64x64 0/1 ground truth (simulator, replayed benchmark), or null for live frames. */
    public byte[] groundTruthMask;
    /** Wall-clock time (ms) at which the record entered the job, for end-to-end latency. */
    public long ingestMillis;
    /**
     * Where the record came from (Kafka partition and offset of the frames topic), so that a frame
     * that arrives too late can be named in its dead letter; null when unknown (other sources,
     * state restored from before these fields existed).
     */
    public Integer sourcePartition;
    public Long sourceOffset;

    public FurnaceFrame() {
    }

    public FurnaceFrame(String furnaceId, long frameSeq, long eventTimeMicros, byte[] rgb,
                        byte[] groundTruthMask, long ingestMillis) {
        this.furnaceId = Objects.requireNonNull(furnaceId, "furnaceId");
        this.frameSeq = frameSeq;
        this.eventTimeMicros = eventTimeMicros;
        this.rgb = Objects.requireNonNull(rgb, "rgb");
        this.groundTruthMask = groundTruthMask;
        this.ingestMillis = ingestMillis;
    }

    /** This frame with its Kafka coordinates. */
    public FurnaceFrame from(int partition, long offset) {
        this.sourcePartition = partition;
        this.sourceOffset = offset;
        return this;
    }

    /**
     * This frame's identity, times and origin without its pixels and mask: what the aligner keeps of
     * a frame that no clip can use (it still tells that the camera sent something in that hop).
     */
    public FurnaceFrame withoutPixels() {
        FurnaceFrame f = new FurnaceFrame();
        f.furnaceId = furnaceId;
        f.frameSeq = frameSeq;
        f.eventTimeMicros = eventTimeMicros;
        f.ingestMillis = ingestMillis;
        f.sourcePartition = sourcePartition;
        f.sourceOffset = sourceOffset;
        return f;
    }

    @Override
    public String toString() {
        return "FurnaceFrame{" + furnaceId + " #" + frameSeq + " @" + eventTimeMicros + "us}";
    }
}
