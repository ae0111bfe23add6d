package org.fmfstream.schemas.codec;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.VideoFrame;

/**
 * Kafka value codec of one contract: Avro single-object encoding (marker C3 01, the writer
 * schema's 8-byte fingerprint, then the binary record), decoded through the {@link SchemaHistory}
 * store so records written under an older schema still read. {@link #decode} never throws: garbage,
 * truncated or impossible records come back as a typed {@link DecodeError}.
 *
 * <p>Instances are immutable and thread-safe (Avro's message encoder and decoder keep their
 * buffers per thread), so one codec may serve every subtask of a JVM.
 */
public final class RecordCodec<T extends SpecificRecordBase> {
    /** The single-object marker, then an 8-byte little-endian fingerprint. */
    static final int HEADER_LENGTH = 10;

    /** Frame size the released model reads; the default for {@link #videoFrames()}. */
    public static final int MODEL_FRAME_SIZE = 64;

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final RecordValidator<T> validator;

    public RecordCodec(Class<T> type, Schema schema, SchemaStore history, RecordValidator<T> validator) {
        this.type = type;
        this.schema = schema;
        SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, history);
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
        if (bytes.length < 2 || (bytes[0] & 0xFF) != 0xC3 || (bytes[1] & 0xFF) != 0x01) {
            return Decoded.failed(DecodeError.Kind.NOT_SINGLE_OBJECT,
                    "value does not start with the Avro single-object marker C3 01 (" + bytes.length + " bytes)");
        }
        if (bytes.length < HEADER_LENGTH) {
            return Decoded.failed(DecodeError.Kind.TRUNCATED,
                    "value of " + bytes.length + " bytes is shorter than the single-object header");
        }
        T record;
        try {
            record = decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            return Decoded.failed(DecodeError.Kind.UNKNOWN_FINGERPRINT, "schema fingerprint "
                    + fingerprintHex(bytes) + " is neither the current " + type.getSimpleName()
                    + " schema nor in the schema history");
        } catch (BadHeaderException e) {
            return Decoded.failed(DecodeError.Kind.NOT_SINGLE_OBJECT, e.getMessage());
        } catch (EOFException e) {
            return Decoded.failed(DecodeError.Kind.TRUNCATED,
                    type.getSimpleName() + " record ends early (" + bytes.length + " bytes)");
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException
                 | NegativeArraySizeException | ClassCastException | IllegalArgumentException e) {
            return Decoded.failed(DecodeError.Kind.MALFORMED,
                    "not a valid " + type.getSimpleName() + " record: " + e);
        } catch (OutOfMemoryError e) {
            // A corrupt length prefix can ask for a huge array; refuse the record, keep the job.
            return Decoded.failed(DecodeError.Kind.MALFORMED,
                    "not a valid " + type.getSimpleName() + " record: a length field is absurdly large");
        }
        String problem;
        try {
            problem = validator.problem(record);
        } catch (RuntimeException e) {
            problem = "validation failed: " + e;
        }
        return problem == null ? Decoded.ok(record) : Decoded.failed(DecodeError.Kind.INVALID, problem);
    }

    private static String fingerprintHex(byte[] bytes) {
        long fp = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return String.format("%016x", fp);
    }
}
