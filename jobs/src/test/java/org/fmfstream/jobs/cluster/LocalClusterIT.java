package org.fmfstream.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fmfstream.jobs.cli.FmfCli;
import org.fmfstream.jobs.job.FurnaceAnomalyJob;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.jobs.testing.JavaProcess;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Topics;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detection job on a real Flink standalone cluster ({@link LocalCluster}: JobManager, TaskManager
 * and Kafka broker, each a JVM of its own), submitted from the shaded jar with Flink's own client.
 * The TaskManager is killed with SIGKILL mid-stream and a new one started: the bounded job finishes
 * and its committed events equal, bit for bit (wall-clock fields aside), those of an uninterrupted
 * run of the same input in an embedded MiniCluster. Runs with the job-jar profile (it needs the jar).
 */
class LocalClusterIT {
    private static final Path JAR = Path.of("target", "fmf-job.jar");
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    @TempDir
    Path tmp;

    private LocalCluster cluster;

    @AfterEach
    void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.stop(Duration.ofSeconds(20));
        }
    }

    @Test
    void aKilledTaskManagerIsReplacedAndTheCommittedOutputEqualsAnUninterruptedRun() throws Exception {
        assertThat(JAR).as("build it with mvn -Pjob-jar package").isRegularFile();
        cluster = new LocalCluster(new ClusterFolder(tmp.resolve("cluster")), JAR);
        LocalCluster.Settings d = LocalCluster.Settings.defaults();
        cluster.start(new LocalCluster.Settings(freePort(), 1, 2, "3g", d.jobManagerMemory(), freePort(), freePort(),
                freePort()), JavaProcess.testClasspath(), Duration.ofSeconds(120));
        String kafka = cluster.bootstrapServers();
        assertThat(cluster.rest("/overview")).get().asString().contains("\"taskmanagers\":1");

        assertThat(FmfCli.commandLine().execute("simulate", "--bootstrap-servers", kafka, "--furnaces", "2",
                "--duration", "2m", "--fast", "--seed", "21")).isZero();

        // The reference: the same job, uninterrupted, in an embedded MiniCluster.
        createTopics(kafka, "ref.events", "ref.masks", "ref.dl");
        Map<String, String> ref = new LinkedHashMap<>();
        ref.put("bootstrap.servers", kafka);
        ref.put("group.id", "cluster-it-ref");
        ref.put("start.from", "earliest");
        ref.put("stop.at", "latest");
        ref.put("topic.events", "ref.events");
        ref.put("topic.masks", "ref.masks");
        ref.put("topic.deadletters", "ref.dl");
        ref.put("inference.batch-size", "4");
        ref.put("checkpoint.interval", "1s");
        ref.put("checkpoint.dir", tmp.resolve("ref-checkpoints").toString());
        ref.put("metrics.prometheus.port", "");
        JobConfig refConfig = JobConfig.of(ref);
        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(refConfig, null);
        FurnaceAnomalyJob.define(env, refConfig);
        env.execute("cluster-it-reference");
        List<String> expected = committedEvents(kafka, "ref.events");
        assertThat(expected).hasSizeGreaterThan(200);

        // The same job on the cluster, through flink run.
        String submitted = cluster.submit(List.of("--group-id", "cluster-it", "--start-from", "earliest",
                "--stop-at", "latest", "--batch-size", "4", "--checkpoint-interval", "1s"), Duration.ofSeconds(120));
        String jobId = submitted.replaceAll("(?s).*JobID ([0-9a-f]{32}).*", "$1");
        assertThat(jobId).hasSize(32);

        // Kill the TaskManager once the job has committed something through a checkpoint.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (committedCount(kafka, Topics.ANOMALY_EVENTS) == 0 || completedCheckpoints(jobId) < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no committed output and two checkpoints within " + TIMEOUT + ": "
                        + diagnosis(jobId));
            }
            Thread.sleep(200);
        }
        int atKill = committedCount(kafka, Topics.ANOMALY_EVENTS);
        ProcessHandle taskManager = cluster.folder().running("taskmanager-1").orElseThrow();
        long killedAt = System.nanoTime();
        taskManager.destroyForcibly();
        taskManager.onExit().get(30, TimeUnit.SECONDS);
        cluster.addTaskManager();
        while (committedCount(kafka, Topics.ANOMALY_EVENTS) <= atKill) {
            assertThat(System.nanoTime()).as("output again after the kill within " + TIMEOUT).isLessThan(killedAt + TIMEOUT.toNanos());
            Thread.sleep(100);
        }
        double recoverySeconds = (System.nanoTime() - killedAt) / 1e9;
        while (!jobState(jobId).equals("FINISHED")) {
            assertThat(jobState(jobId)).isNotIn("FAILED", "CANCELED");
            assertThat(System.nanoTime()).as("job finished within " + TIMEOUT).isLessThan(killedAt + TIMEOUT.toNanos());
            Thread.sleep(500);
        }

        List<String> events = committedEvents(kafka, Topics.ANOMALY_EVENTS);
        assertThat(events).isEqualTo(expected);
        System.out.printf("cluster IT: %d events, %d committed at the TaskManager kill, first new committed event"
                + " %.1f s after it%n", events.size(), atKill, recoverySeconds);
    }

    /** The job's state, checkpoint counts and exceptions, and where the processes' logs are. */
    private String diagnosis(String jobId) throws IOException {
        return "state " + jobState(jobId) + ", checkpoints " + cluster.rest("/jobs/" + jobId + "/checkpoints")
                .map(b -> b.substring(0, Math.min(200, b.length()))).orElse("?") + ", exceptions "
                + cluster.rest("/jobs/" + jobId + "/exceptions").map(b -> b.substring(0, Math.min(3000, b.length())))
                .orElse("?") + ", committed events " + committedCount(cluster.bootstrapServers(), Topics.ANOMALY_EVENTS)
                + ", logs in " + cluster.folder().root().resolve("log");
    }

    private String jobState(String jobId) throws IOException {
        return cluster.rest("/jobs/" + jobId).map(b -> JsonParser.parseString(b).getAsJsonObject().get("state")
                .getAsString()).orElse("UNKNOWN");
    }

    private long completedCheckpoints(String jobId) throws IOException {
        Optional<String> body = cluster.rest("/jobs/" + jobId + "/checkpoints");
        if (body.isEmpty()) {
            return 0;
        }
        JsonObject counts = JsonParser.parseString(body.get()).getAsJsonObject().getAsJsonObject("counts");
        return counts == null ? 0 : counts.get("completed").getAsLong();
    }

    private static void createTopics(String kafka, String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, 4, (short) 1).configs(Map.of("max.message.bytes", "9437184")));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String kafka, String topic) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 10 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    /** Committed records: read_committed end offsets are the last stable offsets. */
    private static int committedCount(String kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = committedReader(kafka, topic)) {
            return (int) c.endOffsets(c.assignment()).entrySet().stream()
                    .mapToLong(e -> e.getValue() - c.beginningOffsets(List.of(e.getKey())).get(e.getKey())).sum();
        }
    }

    /** Every committed event as text, wall-clock fields cleared, sorted. */
    private static List<String> committedEvents(String kafka, String topic) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = committedReader(kafka, topic)) {
            Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    AnomalyEvent e = RecordCodec.anomalyEvents().decode(r.value()).orElseThrow();
                    out.add(AnomalyEvent.newBuilder(e).setIngestTimeMillis(0).setEmitTimeMillis(0).build().toString());
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
