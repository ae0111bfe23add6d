package org.fmfstream.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificDatumWriter;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;
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
                    .isNotEqualTo(SchemaHistory.fingerprint(VideoFrame.getClassSchema()))
                    .isNotEqualTo(SchemaHistory.fingerprint(AnomalyEvent.getClassSchema()));
        }
        assertThat(SchemaHistory.historicalSchemas()).extracting(Schema::getFullName)
                .contains("org.fmfstream.schemas.AnomalyEvent");
        assertThat(SchemaHistory.load()).isNotNull();
    }

    /** An event already on the topic, written before UNDECIDED, minMaskPixels and maskPixels existed. */
    @Test
    void anomalyEventWrittenWithTheSchemaBeforeUndecidedStillDecodes() throws IOException {
        Schema v0 = historical("AnomalyEvent-v0.avsc");
        assertThat(v0.getField("decision").schema().getEnumSymbols()).containsExactly("NORMAL", "ANOMALY");
        GenericRecord old = new GenericData.Record(v0);
        old.put("furnaceId", "F01");
        old.put("windowStartMicros", 1_000_000L);
        old.put("windowEndMicros", 1_360_000L);
        old.put("clipFrameSeqs", List.of());
        old.put("anomalyProbability", 0.65);
        old.put("decision", new GenericData.EnumSymbol(v0.getField("decision").schema(), "ANOMALY"));
        old.put("threshold", 0.5);
        old.put("videoLogits", List.of());
        old.put("currentLogits", List.of(0.1f, 0.7f));
        Schema degradation = v0.getField("degradations").schema().getElementType();
        old.put("degradations", List.of(new GenericData.EnumSymbol(degradation, "VIDEO_MISSING")));
        GenericRecord model = new GenericData.Record(v0.getField("model").schema());
        model.put("name", "fmformer-xs");
        model.put("version", "1");
        model.put("sha256", "ab".repeat(32));
        old.put("model", model);
        old.put("ingestTimeMillis", 5L);
        old.put("emitTimeMillis", 6L);
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(old);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        AnomalyEvent e = RecordCodec.anomalyEvents().decode(bytes).orElseThrow();
        // Decided as it was then (the old job decided video-missing windows on the current alone).
        assertThat(e.getDecision()).isEqualTo(Decision.ANOMALY);
        assertThat(e.getAnomalyProbability()).isEqualTo(0.65);
        assertThat(e.getThreshold()).isEqualTo(0.5);
        assertThat(e.getDegradations()).containsExactly(Degradation.VIDEO_MISSING);
        // Fields added since take their defaults: the old rule had no mask evidence, the count is unknown.
        assertThat(e.getMinMaskPixels()).isZero();
        assertThat(e.getMaskPixels()).isNull();
    }

    @Test
    void undecidedEventRoundTripsThroughTheCodec() {
        AnomalyEvent e = AnomalyEvent.newBuilder(Samples.event())
                .setDecision(Decision.UNDECIDED).setClipFrameSeqs(List.of()).setVideoLogits(List.of())
                .setDegradations(List.of(Degradation.VIDEO_MISSING)).setAnomalyProbability(0.65)
                .setThreshold(0.8).setMinMaskPixels(12).setMaskPixels(null).build();
        RecordCodec<AnomalyEvent> codec = RecordCodec.anomalyEvents();
        AnomalyEvent back = codec.decode(codec.encode(e)).orElseThrow();
        assertThat(back).isEqualTo(e);
        assertThat(back.getDecision()).isEqualTo(Decision.UNDECIDED);
        assertThat(back.getAnomalyProbability()).isEqualTo(0.65);
        AnomalyEvent decided = AnomalyEvent.newBuilder(Samples.event()).setMinMaskPixels(12).setMaskPixels(40).build();
        assertThat(codec.decode(codec.encode(decided)).orElseThrow()).isEqualTo(decided);
    }

    /**
     * A reader still on the old schema: given the new writer schema, Avro resolves UNDECIDED to the
     * enum's default, NORMAL; without it (a codec whose history lacks the new schema) the record is
     * an unknown fingerprint.
     */
    @Test
    void anOldReaderSeesUndecidedAsTheEnumDefaultOrCannotResolveTheWriter() throws IOException {
        Schema v0 = historical("AnomalyEvent-v0.avsc");
        AnomalyEvent undecided = AnomalyEvent.newBuilder(Samples.event()).setDecision(Decision.UNDECIDED)
                .setDegradations(List.of(Degradation.VIDEO_MISSING)).build();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
        new SpecificDatumWriter<>(AnomalyEvent.class).write(undecided, encoder);
        encoder.flush();
        GenericRecord seen = new GenericDatumReader<GenericRecord>(AnomalyEvent.getClassSchema(), v0)
                .read(null, DecoderFactory.get().binaryDecoder(body.toByteArray(), null));
        assertThat(seen.get("decision").toString()).isEqualTo("NORMAL");
        assertThat(seen.get("anomalyProbability")).isEqualTo(0.93);

        // A codec of the old release knows v0 only: the new writer's fingerprint resolves to nothing.
        byte[] bytes = RecordCodec.anomalyEvents().encode(undecided);
        long writer = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        SchemaStore.Cache oldRelease = new SchemaStore.Cache();
        oldRelease.addSchema(v0);
        assertThat(writer).isNotEqualTo(SchemaHistory.fingerprint(v0));
        assertThat(oldRelease.findByFingerprint(writer)).isNull();
    }

    private static Schema historical(String file) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/fmf/schema-history/" + file)) {
            return new Schema.Parser().parse(in);
        }
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
