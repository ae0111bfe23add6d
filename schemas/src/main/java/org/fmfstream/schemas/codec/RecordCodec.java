package org.fmfstream.schemas.codec;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.VideoFrame;

/**
 * Kafka value codec of one contract: Avro single-object encoding (marker C3 01, the writer
 * schema's 8-byte CRC-64-AVRO fingerprint little-endian, then the binary record), decoded through
 * the {@link SchemaHistory} store so records written under an older schema still read. {@link #decode} never throws: garbage,
 * truncated or impossible records come back as a typed {@link DecodeError}.
 *
 * <p>Instances are thread-safe (Avro's message encoder keeps its buffers per thread; datum readers
 * are shared read-only), so one codec may serve every subtask of a JVM.
 */
public final class RecordCodec<T extends SpecificRecordBase> {
    /** The single-object marker, then an 8-byte little-endian fingerprint. */
    static final int HEADER_LENGTH = 10;

    /** Frame size the released model reads; the default for {@link #videoFrames()}. */
    public static final int MODEL_FRAME_SIZE = 64;

    private final Class<T> type;
    private final Schema schema;
    private final SpecificData model;
    private final BinaryMessageEncoder<T> encoder;
    private final SchemaStore history;
    private final Map<Long, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    private final RecordValidator<T> validator;

    public RecordCodec(Class<T> type, Schema schema, SchemaStore history, RecordValidator<T> validator) {
        this.type = type;
        this.schema = schema;
        this.model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.history = history;
        this.readers.put(SchemaHistory.fingerprint(schema), new SpecificDatumReader<>(schema, schema, model));
        this.validator = validator;
    }

    /** Frames of the model's size, 64x64. */
    public static RecordCodec<VideoFrame> videoFrames() {
        return videoFrames(MODEL_FRAME_SIZE, MODEL_FRAME_SIZE);
    }

    /** Frames of the given size; 0x0 accepts any (consistent) size. */
    public static RecordCodec<VideoFrame> videoFrames(int width, int height) {
        return new RecordCodec<>(VideoFrame.class, VideoFrame.getClassSchema(), SchemaHistory.load(),
                Validators.videoFrame(width, height));
    }

    public static RecordCodec<CurrentSample> currentSamples() {
        return new RecordCodec<>(CurrentSample.class, CurrentSample.getClassSchema(), SchemaHistory.load(),
                Validators.currentSample());
    }

    public static RecordCodec<AnomalyEvent> anomalyEvents() {
        return new RecordCodec<>(AnomalyEvent.class, AnomalyEvent.getClassSchema(), SchemaHistory.load(),
                Validators.anomalyEvent());
    }

    public static RecordCodec<AnomalyMask> anomalyMasks() {
        return new RecordCodec<>(AnomalyMask.class, AnomalyMask.getClassSchema(), SchemaHistory.load(),
                Validators.anomalyMask());
    }

    /** Alert incidents (topic fmf.alerts). */
    public static RecordCodec<Incident> incidents() {
        return new RecordCodec<>(Incident.class, Incident.getClassSchema(), SchemaHistory.load(),
                Validators.incident());
    }

    public static RecordCodec<DeadLetter> deadLetters() {
        return new RecordCodec<>(DeadLetter.class, DeadLetter.getClassSchema(), SchemaHistory.load(),
                Validators.deadLetter());
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    /**
     * Single-object bytes of a record. Encoding does not validate content (tools deliberately write
     * bad records in tests); it fails with {@link IllegalArgumentException} only when the record
     * cannot be written at all, e.g. a required field is null.
     */
    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot encode " + type.getSimpleName() + ": " + e, e);
        }
    }

    /** Decodes and validates one Kafka value. Never throws. */
    public Decoded<T> decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Decoded.failed(DecodeError.Kind.EMPTY, "empty value, expected a " + type.getSimpleName());
        }
        if ((bytes[0] & 0xFF) != 0xC3 || (bytes.length > 1 && (bytes[1] & 0xFF) != 0x01)) {
            return Decoded.failed(DecodeError.Kind.NOT_SINGLE_OBJECT,
                    "value does not start with the Avro single-object marker C3 01 (" + bytes.length + " bytes)");
        }
        if (bytes.length < HEADER_LENGTH) {
            return Decoded.failed(DecodeError.Kind.TRUNCATED,
                    "value of " + bytes.length + " bytes is shorter than the single-object header");
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SpecificDatumReader<T> reader = readerFor(fingerprint);
        if (reader == null) {
            return Decoded.failed(DecodeError.Kind.UNKNOWN_FINGERPRINT, "schema fingerprint "
                    + String.format("%016x", fingerprint) + " is neither the current " + type.getSimpleName()
                    + " schema nor in the schema history");
        }
        // First walk the body without allocating: Avro allocates a bytes/string field as large as its
        // length prefix claims before noticing the data is not there, so a few corrupt bytes could
        // ask for gigabytes. The walk proves every length fits inside this value.
        try {
            BinaryDecoder walk = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH,
                    bytes.length - HEADER_LENGTH, null);
            GenericDatumReader.skip(reader.getSchema(), walk);
            if (!walk.isEnd()) {
                return Decoded.failed(DecodeError.Kind.MALFORMED,
                        type.getSimpleName() + " record is followed by unexpected trailing bytes");
            }
        } catch (EOFException e) {
            return Decoded.failed(DecodeError.Kind.TRUNCATED,
                    type.getSimpleName() + " record ends early (" + bytes.length + " bytes)");
        } catch (IOException | RuntimeException e) {
            // Garbage surfaces as many exception types (AvroRuntimeException, index errors, Avro's
            // length limits as UnsupportedOperationException...); all mean the same to a caller.
            return Decoded.failed(DecodeError.Kind.MALFORMED,
                    "not a valid " + type.getSimpleName() + " record: " + e);
        }
        T record;
        try {
            record = reader.read(null, DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH,
                    bytes.length - HEADER_LENGTH, null));
        } catch (IOException | RuntimeException e) {
            return Decoded.failed(DecodeError.Kind.MALFORMED,
                    "not a valid " + type.getSimpleName() + " record: " + e);
        }
        String problem;
        try {
            problem = validator.problem(record);
        } catch (RuntimeException e) {
            problem = "validation failed: " + e;
        }
        return problem == null ? Decoded.ok(record) : Decoded.failed(DecodeError.Kind.INVALID, problem);
    }

    /** A reader from the writer schema with this fingerprint to the current schema, or null. */
    private SpecificDatumReader<T> readerFor(long fingerprint) {
        SpecificDatumReader<T> reader = readers.get(fingerprint);
        if (reader != null) {
            return reader;
        }
        Schema writer = history.findByFingerprint(fingerprint);
        if (writer == null) {
            return null;
        }
        return readers.computeIfAbsent(fingerprint, fp -> new SpecificDatumReader<>(writer, schema, model));
    }
}
