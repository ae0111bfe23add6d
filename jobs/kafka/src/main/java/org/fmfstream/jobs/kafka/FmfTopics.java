package org.fmfstream.jobs.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.fmfstream.schemas.Topics;

/**
 * The project's six topics and their settings, and their creation through the Admin client. Works
 * against any Kafka (the local broker or the plant's cluster): a topic that already exists is left
 * as it is, but one whose record size limit cannot carry our records is reported as an error.
 * docs/topics.md explains every choice.
 */
public final class FmfTopics {
    /**
     * Room above the producer's request limit: the broker checks whole batches, and a batch adds
     * its header, record framing and, for incompressible payloads, lz4's small expansion.
     */
    public static final int HEADROOM_BYTES = 1024 * 1024;
    /** max.message.bytes of every fmf topic (and of the local broker). */
    public static final int MAX_MESSAGE_BYTES = RecordPublisher.MAX_REQUEST_BYTES + HEADROOM_BYTES;

    /**
     * How a topic's age limit is measured. Kafka deletes by record timestamp, and ours is the event
     * time: right for live furnaces, fatal for replayed data, whose event times are months old and
     * would be deleted at the broker's next retention check (within minutes).
     */
    public enum Retention {
        /** Live data, event time close to now: delete by age, per topic (see {@link TopicSpec#retention}). */
        BY_AGE,
        /** Development and replay (the local broker): never by age, only by size per partition. */
        BY_SIZE
    }

    /**
     * One topic: its name, what it carries, how long a plant keeps it ({@link Retention#BY_AGE}) and
     * how much of it a dev box keeps per partition ({@link Retention#BY_SIZE}).
     */
    public record TopicSpec(String name, String recordType, Duration retention, long bytesPerPartition) {
        /** Topic configuration as sent to Kafka. */
        public Map<String, String> configs(Retention by) {
            Map<String, String> c = new LinkedHashMap<>();
            c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_MESSAGE_BYTES));
            c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            if (by == Retention.BY_AGE) {
                c.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
            } else {
                c.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
                c.put(TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(bytesPerPartition));
            }
            // The record timestamp is the event time our producers set; a cluster default of
            // LogAppendTime would silently replace it with the broker's clock.
            c.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
            return c;
        }
    }

    /** What {@link #ensure} found or did for one topic. */
    public record TopicState(String name, boolean created, int partitions) {}

    private static final long MIB = 1024L * 1024;

    /**
     * By age: frames are the bulk (a camera writes over a GB an hour per furnace), a day is enough
     * to replay after an outage. Current blocks are small, a week. Verdicts are the plant's record,
     * read by consumers at their own pace: a month. Masks only exist for anomalous windows: a week,
     * like their input. Dead letters wait for a person to look at them: two weeks. Incidents are the
     * plant's record of alarms, like the verdicts they come from: a month.
     * By size (dev box): frames 1 GiB per partition (about 65,000 64x64 frames with masks), the
     * rest 256 MiB each.
     */
    private static final List<TopicSpec> ALL = List.of(
            new TopicSpec(Topics.VIDEO_FRAMES, "VideoFrame", Duration.ofDays(1), 1024 * MIB),
            new TopicSpec(Topics.CURRENT_SAMPLES, "CurrentSample", Duration.ofDays(7), 256 * MIB),
            new TopicSpec(Topics.ANOMALY_EVENTS, "AnomalyEvent", Duration.ofDays(30), 256 * MIB),
            new TopicSpec(Topics.ANOMALY_MASKS, "AnomalyMask", Duration.ofDays(7), 256 * MIB),
            new TopicSpec(Topics.DEAD_LETTERS, "DeadLetter", Duration.ofDays(14), 256 * MIB),
            new TopicSpec(Topics.ALERTS, "Incident", Duration.ofDays(30), 256 * MIB));

    private static final short REPLICATION = 1;

    private FmfTopics() {}

    public static List<TopicSpec> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(TopicSpec::name).toList();
    }

    /** Creates the missing topics with {@code partitions} partitions each and waits until all have leaders. */
    public static List<TopicState> ensure(KafkaSettings kafka, int partitions, Retention retention,
                                          Duration timeout) {
        requirePartitions(partitions);
        try (Admin admin = Admin.create(kafka.clientProperties(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis())))) {
            return ensure(admin, ALL, partitions, retention, timeout);
        }
    }

    /**
     * As {@link #ensure(KafkaSettings, int, Retention, Duration)} for other topics, e.g. a replay's
     * output topics, which take the configs of the live topic they stand in for under another name.
     */
    public static List<TopicState> ensure(KafkaSettings kafka, List<TopicSpec> specs, int partitions,
                                          Retention retention, Duration timeout) {
        requirePartitions(partitions);
        try (Admin admin = Admin.create(kafka.clientProperties(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis())))) {
            return ensure(admin, specs, partitions, retention, timeout);
        }
    }

    /** The spec of live topic {@code name}; IllegalArgumentException when it is not one of the five. */
    public static TopicSpec spec(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " is not one of " + names()));
    }

    static List<TopicState> ensure(Admin admin, List<TopicSpec> specs, int partitions, Retention retention,
                                   Duration timeout) {
        requirePartitions(partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<NewTopic> wanted = specs.stream()
                .map(s -> new NewTopic(s.name(), partitions, REPLICATION).configs(s.configs(retention)))
                .toList();
        Map<String, Boolean> created = new LinkedHashMap<>();
        var results = admin.createTopics(wanted).values();
        for (TopicSpec spec : specs) {
            try {
                results.get(spec.name()).get(remaining(deadline), TimeUnit.NANOSECONDS);
                created.put(spec.name(), true);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new TopicSetupException("cannot create topic " + spec.name() + ": "
                            + describe(e.getCause()), e.getCause());
                }
                created.put(spec.name(), false);
            } catch (TimeoutException e) {
                throw new TopicSetupException("Kafka did not answer within " + timeout
                        + " while creating topic " + spec.name(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicSetupException("interrupted while creating topics", e);
            }
        }
        Map<String, Integer> partitionCounts = awaitLeaders(admin, created.keySet(), deadline, timeout);
        requireRecordLimit(admin, created.keySet(), deadline, timeout);
        List<TopicState> states = new ArrayList<>();
        created.forEach((name, isNew) -> states.add(new TopicState(name, isNew, partitionCounts.get(name))));
        return states;
    }

    /** An existing topic may have been made by hand with Kafka's 1 MiB default; frames would fail later. */
    private static void requireRecordLimit(Admin admin, Collection<String> names, long deadline, Duration timeout) {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = await(() -> admin.describeConfigs(resources).all(), deadline,
                timeout, "reading topic configs");
        for (var entry : configs.entrySet()) {
            ConfigEntry limit = entry.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (limit != null && Long.parseLong(limit.value()) < MAX_MESSAGE_BYTES) {
                throw new TopicSetupException("topic " + entry.getKey().name() + " exists with "
                        + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + "=" + limit.value() + ", below the "
                        + MAX_MESSAGE_BYTES + " bytes fmf records may need; raise it or delete the topic", null);
            }
        }
    }

    /** Producers started right after creation would otherwise race the leader election. */
    private static Map<String, Integer> awaitLeaders(Admin admin, Collection<String> names, long deadline,
                                                     Duration timeout) {
        while (true) {
            Map<String, TopicDescription> descriptions = await(() -> admin.describeTopics(names).allTopicNames(),
                    deadline, timeout, "describing topics");
            boolean allLed = descriptions.values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .map(TopicPartitionInfo::leader)
                    .allMatch(leader -> leader != null && !leader.isEmpty());
            if (allLed) {
                Map<String, Integer> counts = new LinkedHashMap<>();
                descriptions.forEach((name, d) -> counts.put(name, d.partitions().size()));
                return counts;
            }
            if (System.nanoTime() > deadline) {
                throw new TopicSetupException("topics still have partitions without a leader after " + timeout, null);
            }
            pause("waiting for topic leaders");
        }
    }

    /**
     * Waits for an Admin call, repeating it while Kafka answers with a retriable error: right after
     * creation the broker serving the call may not know the new topics yet.
     */
    private static <T> T await(Supplier<KafkaFuture<T>> call, long deadline, Duration timeout, String what) {
        while (true) {
            try {
                return call.get().get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (!(cause instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new TopicSetupException(what + " failed: " + describe(cause), cause);
                }
            } catch (TimeoutException e) {
                throw new TopicSetupException("Kafka did not answer within " + timeout + " while " + what, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicSetupException("interrupted while " + what, e);
            }
            pause(what);
        }
    }

    private static void pause(String what) {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicSetupException("interrupted while " + what, e);
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static void requirePartitions(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** The topics could not be created or are unfit for fmf records. */
    public static final class TopicSetupException extends RuntimeException {
        TopicSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
