package org.fmfstream.operators.input;

import java.nio.ByteBuffer;
import org.fmfstream.schemas.DeadLetter;

/**
 * An input record the job cannot use, as a Flink POJO (the source's envelope carries it; the split
 * turns it into the {@link DeadLetter} contract record).
 */
public class Rejected {
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** A {@link org.fmfstream.schemas.codec.DecodeError.Kind} name or one of {@link RejectKinds}. */
    public String errorKind;
    public String reason;
    public byte[] originalKey;
    public byte[] originalValue;
    public long failedAtMillis;

    public Rejected() {
    }

    public Rejected(String sourceTopic, int sourcePartition, long sourceOffset, String errorKind, String reason,
                    byte[] originalKey, byte[] originalValue, long failedAtMillis) {
        this.sourceTopic = sourceTopic;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
        this.errorKind = errorKind;
        this.reason = reason;
        this.originalKey = originalKey;
        this.originalValue = originalValue;
        this.failedAtMillis = failedAtMillis;
    }

    public DeadLetter toDeadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic(sourceTopic)
                .setSourcePartition(sourcePartition)
                .setSourceOffset(sourceOffset)
                .setErrorKind(errorKind)
                .setReason(reason)
                .setOriginalKey(originalKey == null ? null : ByteBuffer.wrap(originalKey))
                .setOriginalValue(originalValue == null ? null : ByteBuffer.wrap(originalValue))
                .setFailedAtMillis(failedAtMillis)
                .build();
    }

    @Override
    public String toString() {
        return "Rejected{" + sourceTopic + "-" + sourcePartition + "@" + sourceOffset + " " + errorKind + ": "
                + reason + "}";
    }
}
