package org.fmfstream.operators.records;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * Flink type information for an fmf Avro contract record ({@link DeadLetter}, {@link AnomalyEvent},
 * {@link AnomalyMask}...), serialised with its {@link RecordCodec} (single-object bytes, length
 * prefixed). Without it Flink would fall back to Kryo, which cannot copy the records' ByteBuffer
 * fields on Java 17; there is no flink-avro on the class path.
 *
 * <pre>{@code
 * OutputTag<DeadLetter> tag = new OutputTag<>("dead-letters", RecordCodecTypeInfo.deadLetters());
 * stream.map(...).returns(RecordCodecTypeInfo.anomalyEvents());
 * }</pre>
 */
public final class RecordCodecTypeInfo<T extends SpecificRecordBase> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    public RecordCodecTypeInfo(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        codecFor(type); // fail early on a class without a codec
    }

    public static RecordCodecTypeInfo<DeadLetter> deadLetters() {
        return new RecordCodecTypeInfo<>(DeadLetter.class);
    }

    public static RecordCodecTypeInfo<AnomalyEvent> anomalyEvents() {
        return new RecordCodecTypeInfo<>(AnomalyEvent.class);
    }

    public static RecordCodecTypeInfo<AnomalyMask> anomalyMasks() {
        return new RecordCodecTypeInfo<>(AnomalyMask.class);
    }

    public static RecordCodecTypeInfo<Incident> incidents() {
        return new RecordCodecTypeInfo<>(Incident.class);
    }

    /**
     * The codec of a contract class. Frames use the any-size codec here: inside the job a record is
     * only copied, never judged, so a size check would turn a copy into a failure.
     */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecordBase> RecordCodec<T> codecFor(Class<T> type) {
        if (type == DeadLetter.class) {
            return (RecordCodec<T>) RecordCodec.deadLetters();
        }
        if (type == AnomalyEvent.class) {
            return (RecordCodec<T>) RecordCodec.anomalyEvents();
        }
        if (type == AnomalyMask.class) {
            return (RecordCodec<T>) RecordCodec.anomalyMasks();
        }
        if (type == Incident.class) {
            return (RecordCodec<T>) RecordCodec.incidents();
        }
        if (type == VideoFrame.class) {
            return (RecordCodec<T>) RecordCodec.videoFrames(0, 0);
        }
        if (type == CurrentSample.class) {
            return (RecordCodec<T>) RecordCodec.currentSamples();
        }
        throw new IllegalArgumentException("no RecordCodec for " + type.getName());
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new RecordCodecSerializer<>(type);
    }

    @Override
    public String toString() {
        return "RecordCodecTypeInfo<" + type.getSimpleName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordCodecTypeInfo<?> other && other.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RecordCodecTypeInfo;
    }
}
