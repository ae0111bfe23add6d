package org.fmfstream.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.junit.jupiter.api.Test;

/** A topic written under an older schema stays readable once that schema is in the history. */
class SchemaEvolutionTest {

    @Test
    void oldWriterSchemaIsReadByTheCurrentReader() throws IOException {
        Schema old = oldVideoFrameSchema();
        byte[] oldBytes = encodeWithOldSchema(old);

        SchemaStore.Cache history = new SchemaStore.Cache();
        history.addSchema(old);
        RecordCodec<VideoFrame> codec = new RecordCodec<>(VideoFrame.class, VideoFrame.getClassSchema(),
                history, Validators.videoFrame(64, 64));

        VideoFrame frame = codec.decode(oldBytes).orElseThrow();
        assertThat(frame.getFurnaceId()).isEqualTo("F07");
        assertThat(frame.getFrameSeq()).isEqualTo(12L);
        assertThat(frame.getPayload().remaining()).isEqualTo(64 * 64 * 3);
        // Fields added since take their declared defaults.
        assertThat(frame.getEncoding()).isEqualTo(PixelEncoding.RGB8);
        assertThat(frame.getGroundTruthMask()).isNull();
    }

    @Test
    void oldWriterSchemaMissingFromTheHistoryIsUnknownFingerprint() throws IOException {
        byte[] oldBytes = encodeWithOldSchema(oldVideoFrameSchema());
        Decoded<VideoFrame> decoded = RecordCodec.videoFrames().decode(oldBytes);
        assertThat(decoded.errorOrNull().kind()).isEqualTo(DecodeError.Kind.UNKNOWN_FINGERPRINT);
    }

    @Test
    void shippedHistoryIndexParses() {
        // Every schema the index names must parse and have a distinct fingerprint from today's.
        for (Schema schema : SchemaHistory.historicalSchemas()) {
            assertThat(SchemaHistory.fingerprint(schema))
                    .isNotEqualTo(SchemaHistory.fingerprint(VideoFrame.getClassSchema()));
        }
        assertThat(SchemaHistory.load()).isNotNull();
    }

    private static Schema oldVideoFrameSchema() throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/evolution/VideoFrame-v0.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] encodeWithOldSchema(Schema old) throws IOException {
        GenericRecord record = new GenericData.Record(old);
        record.put("furnaceId", "F07");
        record.put("cameraId", "cam0");
        record.put("frameSeq", 12L);
        record.put("eventTimeMicros", 1_600_000_000_000_000L);
        record.put("width", 64);
        record.put("height", 64);
        record.put("payload", ByteBuffer.wrap(new byte[64 * 64 * 3]));
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
