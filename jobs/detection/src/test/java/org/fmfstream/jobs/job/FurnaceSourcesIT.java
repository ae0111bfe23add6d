package org.fmfstream.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.operators.input.CurrentBlock;
import org.fmfstream.operators.input.FurnaceFrame;
import org.fmfstream.operators.output.FurnaceSinks;
import org.fmfstream.operators.output.SinkSettings;
import org.fmfstream.operators.input.FurnaceSources;
import org.fmfstream.operators.input.Ingested;
import org.fmfstream.operators.input.InputRules;
import org.fmfstream.operators.input.SourceSettings;
import org.fmfstream.operators.input.StartingOffsets;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sources, split and the exactly-once dead-letter sink in a real (local) Flink job against a real
 * broker: good records pass, every bad input becomes exactly one committed dead letter with its kind
 * and source offset, and the job does not fail.
 */
class FurnaceSourcesIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** 2025-01-01T00:00:00Z in microseconds: an old (replayed) event time is fine. */
    private static final long T0 = 1_735_689_600_000_000L;

    private record Sent(String topic, int partition, long offset, String expectedKind) {}

    @Test
    void badInputBecomesCommittedDeadLettersAndGoodInputPasses() throws Exception {
        String frames = kafka.createTopic("frames", 2, Map.of());
        String currents = kafka.createTopic("currents", 2, Map.of());
        String dead = kafka.createTopic("dead", 2, Map.of());
        String good = kafka.createTopic("good", 1, Map.of());

        List<Sent> bad = new ArrayList<>();
        long farFuture = (System.currentTimeMillis() + Duration.ofHours(3).toMillis()) * 1000;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.settings().clientProperties(Map.of(
                "key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class)))) {
            RecordCodec<VideoFrame> fc = RecordCodec.videoFrames(0, 0);
            RecordCodec<CurrentSample> cc = RecordCodec.currentSamples();
            for (int i = 0; i < 3; i++) {
                send(p, frames, "F01", fc.encode(frame("F01", i, T0 + i * 40_000L, 64)));
                send(p, frames, "F02", fc.encode(frame("F02", i, T0 + i * 40_000L, 64)));
            }
            for (int i = 0; i < 2; i++) {
                send(p, currents, "F01", cc.encode(current("F01", T0 + i * 500_000L, 100f + i)));
            }
            bad.add(send(p, frames, "F01", "garbage".getBytes(StandardCharsets.UTF_8), "NOT_SINGLE_OBJECT"));
            byte[] whole = fc.encode(frame("F01", 9, T0, 64));
            bad.add(send(p, frames, "F01", Arrays.copyOf(whole, whole.length / 2), "TRUNCATED"));
            bad.add(send(p, frames, "F02", fc.encode(frame("F02", 9, T0, 32)), "INVALID"));
            bad.add(send(p, frames, "F01", fc.encode(frame("F01", 10, farFuture, 64)), "FAR_FUTURE_TIMESTAMP"));
            bad.add(send(p, frames, "F99", fc.encode(frame("F99", 1, T0, 64)), "UNKNOWN_FURNACE"));
            bad.add(send(p, currents, "F02", cc.encode(current("F02", T0, Float.NaN)), "INVALID"));
            bad.add(send(p, currents, "F02", new byte[0], "EMPTY"));
            p.flush();
        }

        Configuration conf = new Configuration();
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("rest.bind-port", "0");
        conf.setString("jobmanager.bind-host", "127.0.0.1");
        conf.setString("taskmanager.bind-host", "127.0.0.1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        env.enableCheckpointing(500);

        InputRules rules = new InputRules(Duration.ofHours(1), Set.of("F01", "F02"));
        SourceSettings src = new SourceSettings(kafka.bootstrapServers(), new Properties(), frames, "it-group",
                StartingOffsets.COMMITTED, OffsetsInitializer.latest(), rules);
        DataStream<Ingested<FurnaceFrame>> rawFrames = env.fromSource(FurnaceSources.frames(src),
                FurnaceSources.watermarks(FurnaceSources.frameDeserializer(rules), Duration.ofSeconds(2),
                        Duration.ofSeconds(5)), "frames");
        DataStream<Ingested<CurrentBlock>> rawCurrents = env.fromSource(FurnaceSources.currents(src.withTopic(currents)),
                FurnaceSources.watermarks(FurnaceSources.currentDeserializer(rules), Duration.ofSeconds(2),
                        Duration.ofSeconds(5)), "currents");
        SingleOutputStreamOperator<FurnaceFrame> okFrames = FurnaceSources.split(rawFrames, FurnaceFrame.class,
                "split-frames");
        SingleOutputStreamOperator<CurrentBlock> okCurrents = FurnaceSources.split(rawCurrents, CurrentBlock.class,
                "split-currents");

        okFrames.map(f -> "frame " + f.furnaceId + " " + f.frameSeq + " " + f.rgb.length).returns(Types.STRING)
                .union(okCurrents.map(c -> "current " + c.furnaceId + " " + c.phaseA[0]).returns(Types.STRING))
                .sinkTo(KafkaSink.<String>builder().setBootstrapServers(kafka.bootstrapServers())
                        .setRecordSerializer(KafkaRecordSerializationSchema.builder().setTopic(good)
                                .setValueSerializationSchema(new SimpleStringSchema()).build())
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE).build());

        okFrames.getSideOutput(FurnaceSources.DEAD_LETTERS)
                .union(okCurrents.getSideOutput(FurnaceSources.DEAD_LETTERS))
                .sinkTo(FurnaceSinks.deadLetters(SinkSettings.exactlyOnce(kafka.bootstrapServers(), new Properties(),
                        dead, "it-" + dead)))
                .name("dead-letters");

        env.execute("furnace-sources-it");

        List<String> passed = kafka.consume(good, 8, TIMEOUT).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(passed).containsExactlyInAnyOrder(
                "frame F01 0 12288", "frame F01 1 12288", "frame F01 2 12288",
                "frame F02 0 12288", "frame F02 1 12288", "frame F02 2 12288",
                "current F01 100.0", "current F01 101.0");

        // read_committed, exact count: every bad record once, none twice.
        List<ConsumerRecord<byte[], byte[]>> letters = kafka.consume(dead, bad.size(), TIMEOUT);
        Map<String, DeadLetter> byCoordinates = new HashMap<>();
        RecordCodec<DeadLetter> dc = RecordCodec.deadLetters();
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            DeadLetter d = dc.decode(r.value()).orElseThrow();
            assertThat(r.key()).isEqualTo(bytes(d.getOriginalKey()));
            assertThat(r.timestamp()).isEqualTo(d.getFailedAtMillis());
            byCoordinates.put(d.getSourceTopic() + "/" + d.getSourcePartition() + "/" + d.getSourceOffset(), d);
        }
        assertThat(byCoordinates).hasSize(bad.size());
        for (Sent s : bad) {
            DeadLetter d = byCoordinates.get(s.topic() + "/" + s.partition() + "/" + s.offset());
            assertThat(d).as("dead letter of %s", s).isNotNull();
            assertThat(d.getErrorKind().toString()).as("kind of %s: %s", s, d.getReason()).isEqualTo(s.expectedKind());
            assertThat(d.getReason().toString()).isNotBlank();
        }
    }

    private static Sent send(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value, String kind)
            throws Exception {
        RecordMetadata m = p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        return new Sent(topic, m.partition(), m.offset(), kind);
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value)
            throws Exception {
        send(p, topic, key, value, null);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static VideoFrame frame(String furnace, long seq, long micros, int size) {
        return VideoFrame.newBuilder().setFurnaceId(furnace).setCameraId(furnace + "-cam").setFrameSeq(seq)
                .setEventTimeMicros(micros).setWidth(size).setHeight(size).setEncoding(PixelEncoding.RGB8)
                .setPayload(ByteBuffer.wrap(new byte[size * size * 3])).setGroundTruthMask(null).build();
    }

    private static CurrentSample current(String furnace, long micros, float value) {
        List<Float> l = List.of(value, value);
        return CurrentSample.newBuilder().setFurnaceId(furnace).setEventTimeMicros(micros).setSampleRateHz(2.0)
                .setPhaseA(l).setPhaseB(l).setPhaseC(l).build();
    }
}
