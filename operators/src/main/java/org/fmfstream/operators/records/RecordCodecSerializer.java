package org.fmfstream.operators.records;

import java.io.IOException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * Writes a contract record as an int length and its single-object bytes; reads it back through the
 * schema history, so state written before a compatible schema change still restores.
 */
public final class RecordCodecSerializer<T extends SpecificRecordBase> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient RecordCodec<T> codec;

    public RecordCodecSerializer(Class<T> type) {
        this.type = type;
    }

    private RecordCodec<T> codec() {
        if (codec == null) {
            codec = RecordCodecTypeInfo.codecFor(type);
        }
        return codec;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return new RecordCodecSerializer<>(type); // the codec is thread-safe, but keep instances apart
    }

    @Override
    public T createInstance() {
        return InstantiationUtil.instantiate(type);
    }

    @Override
    public T copy(T from) {
        return from == null ? null : read(codec().encode(from));
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        byte[] bytes = codec().encode(record);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return read(bytes);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int n = source.readInt();
        target.writeInt(n);
        target.write(source, n);
    }

    private T read(byte[] bytes) {
        Decoded<T> d = codec().decode(bytes);
        if (d instanceof Decoded.Ok<T> ok) {
            return ok.value();
        }
        // Validation is the sources' business; inside the job a record only has to round-trip.
        throw new IllegalStateException("cannot read back a " + type.getSimpleName() + ": " + d.errorOrNull());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordCodecSerializer<?> other && other.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(type);
    }

    /** Remembers the record class; the schema history makes every codec version compatible. */
    public static final class Snapshot<T extends SpecificRecordBase> implements TypeSerializerSnapshot<T> {
        private Class<T> type;

        public Snapshot() {
        }

        Snapshot(Class<T> type) {
            this.type = type;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(type.getName());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int version, DataInputView in, ClassLoader loader) throws IOException {
            String name = in.readUTF();
            try {
                type = (Class<T>) Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IOException("record class " + name + " of a RecordCodecSerializer snapshot is gone", e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return new RecordCodecSerializer<>(type);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            return old instanceof Snapshot<T> s && s.type == type
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
