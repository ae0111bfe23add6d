package org.fmfstream.jobs.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fmfstream.jobs.kafka.FmfTopics;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.LocalKafkaBroker;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker per test class, on free loopback ports, with the six fmf topics created:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalKafkaExtension kafka = new LocalKafkaExtension();
 * ...
 * new RecordPublisher(kafka.settings());
 * List<ConsumerRecord<byte[], byte[]>> got = kafka.consume(Topics.VIDEO_FRAMES, 3, Duration.ofSeconds(10));
 * }</pre>
 *
 * Register it as a static field; tests in the class share the broker, so each test should use its
 * own furnace ids or its own topic ({@link #createTopic}).
 */
public final class LocalKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private final int partitions;
    private LocalKafkaBroker broker;

    /** Topics with 2 partitions: enough to show that records are partitioned by furnace. */
    public LocalKafkaExtension() {
        this(2);
    }

    public LocalKafkaExtension(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = LocalKafkaBroker.builder().start();
        FmfTopics.ensure(broker.settings(), partitions, FmfTopics.Retention.BY_SIZE, Duration.ofSeconds(30));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public LocalKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only inside the test class; register the extension"
                    + " on a static field with @RegisterExtension");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    public KafkaSettings settings() {
        return broker().settings();
    }

    /** Partitions of each fmf topic. */
    public int partitions() {
        return partitions;
    }

    /** A new topic with a unique name built from {@code prefix}; returns that name. */
    public String createTopic(String prefix, int partitions, Map<String, String> configs) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(settings().clientProperties(Map.of()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all().get(30, TimeUnit.SECONDS);
            awaitLeaders(admin, name, partitions);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
        return name;
    }

    /** Like FmfTopics: a test that produces right after creation must not race the leader election. */
    private static void awaitLeaders(Admin admin, String topic, int partitions)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topic);
                if (d.partitions().size() == partitions
                        && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException notKnownYet) {
                // The broker's metadata has not caught up with the controller yet.
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("topic " + topic + " has no leaders after 30 s");
    }

    /**
     * Reads a topic from the beginning (every partition, committed records only) and returns exactly
     * {@code count} records; fails if fewer arrive within {@code timeout} or if the topic holds more.
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count, Duration timeout) {
        return TopicReader.read(settings(), topic, count, timeout);
    }

    /** {@link #consume}, then decodes every value; a value that does not decode fails the test. */
    public <T extends SpecificRecordBase> List<T> consumeDecoded(String topic, RecordCodec<T> codec, int count,
                                                                 Duration timeout) {
        return TopicReader.readDecoded(settings(), topic, codec, count, timeout);
    }
}
