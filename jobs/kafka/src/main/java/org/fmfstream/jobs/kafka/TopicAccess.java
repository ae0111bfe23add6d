package org.fmfstream.jobs.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Plain Kafka client work shared by replay, the pipeline benchmark and the consoles: a group-less
 * byte-array consumer, offsets of a time range, committed offsets, reading a whole topic.
 */
public final class TopicAccess {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicAccess() {}

    /** A byte-array consumer without a group (assign only, never commits). */
    public static KafkaConsumer<byte[], byte[]> consumer(KafkaSettings kafka, boolean readCommitted) {
        Properties p = kafka.clientProperties(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024));
        return new KafkaConsumer<>(p);
    }

    /** The partitions of {@code topic}; empty when it does not exist. */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        Map<String, List<PartitionInfo>> all = consumer.listTopics(TIMEOUT);
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo p : all.getOrDefault(topic, List.of())) {
            out.add(new TopicPartition(topic, p.partition()));
        }
        out.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return out;
    }

    /**
     * Per partition, the first offset at or after {@code millis} (record timestamp = event time),
     * the end offset where no record is that late; {@code millis} null = the beginning.
     */
    public static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<?, ?> consumer, List<TopicPartition> parts, Long millis,
                                               boolean nullIsEnd) {
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, TIMEOUT);
        if (millis == null) {
            return nullIsEnd ? end : consumer.beginningOffsets(parts, TIMEOUT);
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        parts.forEach(p -> query.put(p, millis));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TIMEOUT);
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition p : parts) {
            OffsetAndTimestamp o = found.get(p);
            out.put(p, o == null ? end.get(p) : o.offset());
        }
        return out;
    }

    /**
     * Waits until the cluster has a coordinator for {@code groupId}. A fresh broker creates its offsets
     * topic on first use, so a job's first offset commit would otherwise fail with a retriable error
     * (logged with a stack trace by Flink's Kafka source) while it does.
     */
    public static void awaitGroupCoordinator(KafkaSettings kafka, String groupId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin(kafka)) {
            while (true) {
                try {
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                            .get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    return;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    boolean retriable = e instanceof java.util.concurrent.TimeoutException
                            || e.getCause() instanceof org.apache.kafka.common.errors.RetriableException;
                    if (!retriable || System.nanoTime() > deadline) {
                        throw new IllegalStateException("no group coordinator for " + groupId + " at "
                                + kafka.bootstrapServers() + ": " + e.getMessage(), e);
                    }
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static Admin admin(KafkaSettings kafka) {
        return Admin.create(kafka.clientProperties(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())));
    }

    /** The group's committed offsets (absent partitions: none committed yet, or Kafka did not answer). */
    public static Map<TopicPartition, Long> committed(Admin admin, String groupId) {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            m.forEach((p, o) -> {
                if (o != null) {
                    out.put(p, o.offset());
                }
            });
            return out;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** Number of records in {@code topic} (end minus beginning offsets); 0 when it does not exist. */
    public static long size(KafkaSettings kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(kafka, false)) {
            List<TopicPartition> parts = partitions(c, topic);
            if (parts.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, Long> begin = c.beginningOffsets(parts, TIMEOUT);
            Map<TopicPartition, Long> end = c.endOffsets(parts, TIMEOUT);
            return parts.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        }
    }

    /** Every committed record of {@code topic}, per partition in offset order, partitions in order. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaSettings kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(kafka, true)) {
            List<TopicPartition> parts = partitions(c, topic);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            // With read_committed, endOffsets is the last stable offset: everything committed.
            Map<TopicPartition, Long> end = c.endOffsets(parts, TIMEOUT);
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p, TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach its end within 5 min");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(topic, r.partition()))) {
                        byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r);
                    }
                }
            }
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            parts.forEach(p -> out.addAll(byPartition.getOrDefault(p.partition(), List.of())));
            return out;
        }
    }
}
