package org.fmfstream.jobs.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;

/** Reads a whole topic in a test and insists on an exact record count. Works against any Kafka. */
public final class TopicReader {
    private TopicReader() {}

    /**
     * Reads {@code topic} from the beginning (every partition, committed records only) and returns
     * exactly {@code count} records; fails if fewer arrive within {@code timeout} or if, once they
     * did, the topic turns out to hold more.
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(KafkaSettings kafka, String topic, int count,
                                                            Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> parts = List.of();
            // A topic created a moment ago may not be in the broker's metadata yet.
            while (parts.isEmpty() && System.nanoTime() < deadline) {
                parts = consumer.partitionsFor(topic, timeout).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                if (parts.isEmpty()) {
                    pause();
                }
            }
            if (parts.isEmpty()) {
                throw new AssertionError("topic " + topic + " has no partitions (does it exist?)");
            }
            // Assigned, not subscribed: no consumer group, so no wait for a group coordinator.
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            if (records.size() < count) {
                throw new AssertionError("expected " + count + " records on " + topic + ", got "
                        + records.size() + " within " + timeout);
            }
            // Read on to the end of every partition: anything beyond count is a failure.
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
            deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, end) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(50)).forEach(records::add);
            }
            if (!caughtUp(consumer, end)) {
                throw new AssertionError("could not read " + topic + " to its end within " + timeout);
            }
            if (records.size() > count) {
                throw new AssertionError("expected exactly " + count + " records on " + topic + ", found "
                        + records.size());
            }
        }
        return records;
    }

    /** {@link #read}, then decodes every value; a value that does not decode fails the test. */
    public static <T extends SpecificRecordBase> List<T> readDecoded(KafkaSettings kafka, String topic,
                                                                     RecordCodec<T> codec, int count,
                                                                     Duration timeout) {
        List<T> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : read(kafka, topic, count, timeout)) {
            Decoded<T> decoded = codec.decode(r.value());
            if (!decoded.isOk()) {
                throw new AssertionError("record at " + r.topic() + "-" + r.partition() + "@" + r.offset()
                        + " does not decode: " + decoded.errorOrNull());
            }
            values.add(decoded.orElseThrow());
        }
        return values;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
