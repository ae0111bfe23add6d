package org.fmfstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.fmfstream.jobs.kafka.RecordPublisher.PublishException;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.Topics;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every contract travels through a real broker as the jobs will see it: published by
 * {@link RecordPublisher}, read by a plain KafkaConsumer, decoded by the codecs. Each test writes to
 * its own topic, so the exact counts hold whatever order the tests run in.
 */
class KafkaContractsIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension(2);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> FURNACES = List.of("F01", "F02", "F03");

    @Test
    void videoFramesWithAndWithoutGroundTruthMaskRoundTrip() {
        List<VideoFrame> sent = new ArrayList<>();
        for (String furnace : FURNACES) {
            for (long seq = 0; seq < 4; seq++) {
                sent.add(ContractSamples.frame(furnace, seq, seq % 2 == 0));
            }
        }
        assertThat(sent).anyMatch(f -> f.getGroundTruthMask() == null)
                .anyMatch(f -> f.getGroundTruthMask() != null);

        assertRoundTrip(Topics.VIDEO_FRAMES, RecordCodec.videoFrames(), sent,
                VideoFrame::getFurnaceId, VideoFrame::getEventTimeMicros);
    }

    @Test
    void currentSampleBlocksRoundTrip() {
        List<CurrentSample> sent = new ArrayList<>();
        for (String furnace : FURNACES) {
            for (int block = 0; block < 3; block++) {
                sent.add(ContractSamples.currentBlock(furnace, block, 1 + block * 7));
            }
        }
        assertRoundTrip(Topics.CURRENT_SAMPLES, RecordCodec.currentSamples(), sent,
                CurrentSample::getFurnaceId, CurrentSample::getEventTimeMicros);
    }

    @Test
    void anomalyEventsRoundTrip() {
        List<AnomalyEvent> sent = new ArrayList<>();
        for (String furnace : FURNACES) {
            for (long window = 0; window < 4; window++) {
                sent.add(ContractSamples.event(furnace, window, window == 2));
            }
        }
        assertRoundTrip(Topics.ANOMALY_EVENTS, RecordCodec.anomalyEvents(), sent,
                AnomalyEvent::getFurnaceId, AnomalyEvent::getWindowEndMicros);
    }

    @Test
    void anomalyMasksRoundTrip() {
        List<AnomalyMask> sent = new ArrayList<>();
        for (String furnace : FURNACES) {
            for (long window = 0; window < 3; window++) {
                sent.add(ContractSamples.mask(furnace, window));
            }
        }
        assertRoundTrip(Topics.ANOMALY_MASKS, RecordCodec.anomalyMasks(), sent,
                AnomalyMask::getFurnaceId, AnomalyMask::getWindowEndMicros);
    }

    @Test
    void deadLettersRoundTrip() {
        List<DeadLetter> sent = new ArrayList<>();
        Map<DeadLetter, String> furnaceOf = new HashMap<>();
        for (String furnace : FURNACES) {
            for (long offset = 0; offset < 2; offset++) {
                DeadLetter letter = ContractSamples.deadLetter(furnace, offset);
                sent.add(letter);
                furnaceOf.put(letter, furnace);
            }
        }
        assertRoundTrip(Topics.DEAD_LETTERS, RecordCodec.deadLetters(), sent,
                furnaceOf::get, d -> d.getFailedAtMillis() * 1000);
    }

    @Test
    void frameJustUnderTheProducerLimitIsAccepted() {
        String topic = kafka.createTopic("fmf.big.frames", 1, videoTopicConfigs());
        byte[] payload = incompressible(RecordPublisher.MAX_REQUEST_BYTES - 64 * 1024);
        try (RecordPublisher publisher = new RecordPublisher(kafka.settings())) {
            publisher.sendRaw(topic, "F01".getBytes(StandardCharsets.UTF_8), 1L, payload);
            publisher.flush();
            assertThat(publisher.acknowledged()).isEqualTo(1);
        }
        ConsumerRecord<byte[], byte[]> got = kafka.consume(topic, 1, TIMEOUT).get(0);
        assertThat(got.value()).isEqualTo(payload);
    }

    @Test
    void recordOverTheTopicLimitFailsThePublisherInsteadOfVanishing() {
        // A topic with a 1 MiB limit, as made by hand with Kafka's defaults: the producer passes the
        // 2 MiB record (its own limit is 8 MiB), the broker refuses it.
        String topic = kafka.createTopic("fmf.small.limit", 1,
                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(1024 * 1024)));
        RecordPublisher publisher = new RecordPublisher(kafka.settings());
        try {
            publisher.sendRaw(topic, "F01".getBytes(StandardCharsets.UTF_8), 1L, incompressible(2 * 1024 * 1024));
            assertThatThrownBy(publisher::flush)
                    .isInstanceOf(PublishException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);
            assertThat(publisher.acknowledged()).isZero();
        } finally {
            assertThatThrownBy(publisher::close).isInstanceOf(PublishException.class);
        }
        assertThat(kafka.consume(topic, 0, TIMEOUT)).isEmpty();
    }

    @Test
    void recordOverTheProducerLimitFailsThePublisher() {
        String topic = kafka.createTopic("fmf.huge.frames", 1, videoTopicConfigs());
        RecordPublisher publisher = new RecordPublisher(kafka.settings());
        try {
            publisher.sendRaw(topic, "F01".getBytes(StandardCharsets.UTF_8), 1L,
                    incompressible(FmfTopics.MAX_MESSAGE_BYTES + 1));
            assertThatThrownBy(publisher::flush)
                    .isInstanceOf(PublishException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        } finally {
            assertThatThrownBy(publisher::close).isInstanceOf(PublishException.class);
        }
        assertThat(kafka.consume(topic, 0, TIMEOUT)).isEmpty();
    }

    @Test
    void eventTimeMoreThanAnHourAheadOfTheBrokerIsRefusedLoudly() {
        // Kafka 4 refuses CreateTime timestamps over message.timestamp.after.max.ms (1 h) in the
        // future: a camera clock that far ahead must fail the bridge, not vanish.
        String topic = kafka.createTopic("fmf.future.frames", 1, videoTopicConfigs());
        long twoHoursAheadMicros = (System.currentTimeMillis() + Duration.ofHours(2).toMillis()) * 1000;
        VideoFrame frame = ContractSamples.frame("F01", 0, false);
        frame.setEventTimeMicros(twoHoursAheadMicros);
        RecordPublisher publisher = new RecordPublisher(kafka.settings());
        try {
            publisher.send(topic, "F01", twoHoursAheadMicros, RecordCodec.videoFrames(), frame);
            assertThatThrownBy(publisher::flush)
                    .isInstanceOf(PublishException.class)
                    .hasCauseInstanceOf(InvalidTimestampException.class);
        } finally {
            assertThatThrownBy(publisher::close).isInstanceOf(PublishException.class);
        }
        assertThat(kafka.consume(topic, 0, TIMEOUT)).isEmpty();
    }

    /**
     * Publishes, reads back and checks value, key (furnace id), timestamp (event time in ms, as
     * CreateTime) and that one furnace's records share a partition in the order they were sent.
     */
    private static <T extends SpecificRecordBase> void assertRoundTrip(
            String topic, RecordCodec<T> codec, List<T> sent, java.util.function.Function<T, String> furnaceOf,
            ToLongFunction<T> eventTimeMicros) {
        try (RecordPublisher publisher = new RecordPublisher(kafka.settings())) {
            for (T record : sent) {
                publisher.send(topic, furnaceOf.apply(record), eventTimeMicros.applyAsLong(record), codec, record);
            }
            publisher.flush();
            assertThat(publisher.acknowledged()).isEqualTo(sent.size());
        }

        List<ConsumerRecord<byte[], byte[]>> got = kafka.consume(topic, sent.size(), TIMEOUT);

        List<T> decoded = new ArrayList<>();
        Map<String, Integer> partitionOfFurnace = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : got) {
            Decoded<T> d = codec.decode(r.value());
            assertThat(d.errorOrNull()).as("decode error").isNull();
            T value = d.orElseThrow();
            decoded.add(value);
            String furnace = furnaceOf.apply(value);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(furnace);
            assertThat(r.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(r.timestamp()).isEqualTo(Math.floorDiv(eventTimeMicros.applyAsLong(value), 1000L));
            Integer previous = partitionOfFurnace.putIfAbsent(furnace, r.partition());
            assertThat(previous == null ? r.partition() : previous).as("partition of " + furnace)
                    .isEqualTo(r.partition());
        }
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(sent);
        for (String furnace : FURNACES) {
            assertThat(decoded.stream().filter(v -> furnace.equals(furnaceOf.apply(v))).toList())
                    .as("order of " + furnace)
                    .containsExactlyElementsOf(sent.stream().filter(v -> furnace.equals(furnaceOf.apply(v))).toList());
        }
    }

    private static Map<String, String> videoTopicConfigs() {
        return FmfTopics.all().stream().filter(t -> t.name().equals(Topics.VIDEO_FRAMES))
                .findFirst().orElseThrow().configs(FmfTopics.Retention.BY_SIZE);
    }

    /** Random bytes: lz4 cannot shrink them, so the broker sees the full size. */
    private static byte[] incompressible(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
