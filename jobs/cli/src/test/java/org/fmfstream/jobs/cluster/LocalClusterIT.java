package org.fmfstream.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detection job on a real Flink standalone cluster ({@link LocalCluster}: JobManager, TaskManager
 * and Kafka broker, each a JVM of its own), submitted from the shaded jar with Flink's own client,
 * through the faults a plant meets: a TaskManager killed with SIGKILL and replaced, the broker killed
 * with SIGKILL and restarted, a stop with a savepoint and a resume with other settings. Each time the
 * bounded job finishes and its committed events equal, bit for bit (wall-clock fields aside), an
 * uninterrupted run of the same input in an embedded MiniCluster: nothing lost, nothing twice. One
 * cluster and one input for the class. Runs with the job-jar profile (it needs the jar).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalClusterIT {
    private static final Path JAR = Path.of("target", "fmf-job.jar");
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    @TempDir
    static Path tmp;

    private LocalCluster cluster;
    private String kafka;
    private List<String> expected;

    @BeforeAll
    void startClusterAndScoreTheReference() throws Exception {
        assertThat(JAR).as("build it with mvn -Pjob-jar package").isRegularFile();
        cluster = new LocalCluster(new ClusterFolder(tmp.resolve("cluster")), JAR);
        LocalCluster.Settings d = LocalCluster.Settings.defaults();
        // Every port free, so that the test runs next to a cluster the developer has started.
        cluster.start(new LocalCluster.Settings(freePort(), 1, 2, "3g", d.jobManagerMemory(), freePort(), freePort(),
                freePort(), freePort()), JavaProcess.testClasspath(), Duration.ofSeconds(120));
        kafka = cluster.bootstrapServers();
        assertThat(cluster.rest("/overview")).get().asString().contains("\"taskmanagers\":1");
        // Six minutes of two furnaces (about 720 windows): long enough that a job on a TaskManager that
        // has loaded the model before is still running when its second checkpoint completes (with two
        // minutes, a warm TaskManager had committed everything by then, so no fault came mid-stream).
        assertThat(FmfCli.commandLine().execute("simulate", "--bootstrap-servers", kafka, "--furnaces", "2",
                "--duration", "6m", "--fast", "--seed", "21")).isZero();

        // The reference: the same job, uninterrupted, in an embedded MiniCluster.
        expected = reference("ref", Map.of());
        assertThat(expected).hasSizeGreaterThan(700);
    }

    @AfterAll
    void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.stop(Duration.ofSeconds(20));
        }
    }

    /** What restarts the killed process. */
    private interface Restart {
        void run() throws Exception;
    }

    @Test
    void aKilledTaskManagerIsReplacedAndTheCommittedOutputEqualsAnUninterruptedRun() throws Exception {
        killMidStreamAndRecover("tm", "taskmanager-1", cluster::addTaskManager);
    }

    @Test
    void aKilledBrokerIsRestartedAndTheCommittedOutputEqualsAnUninterruptedRun() throws Exception {
        killMidStreamAndRecover("broker", LocalCluster.KAFKA, () -> {
            Thread.sleep(3_000);   // the job notices: its sources and sinks fail, it restarts and waits
            cluster.startKafka(Duration.ofSeconds(120));
        });
    }

    /**
     * A bounded job writing to NAME.*; once it has committed output through two checkpoints, SIGKILL
     * of the process, then {@code restart}; the job must finish with exactly the reference's events.
     */
    private void killMidStreamAndRecover(String name, String process, Restart restart) throws Exception {
        String jobId = submit(name, List.of("--stop-at", "latest"), null);
        int atKill = awaitCheckpointedOutput(jobId, name + ".events", 2);
        ProcessHandle victim = cluster.folder().running(process).orElseThrow();
        long killedAt = System.nanoTime();
        victim.destroyForcibly();
        victim.onExit().get(30, TimeUnit.SECONDS);
        restart.run();
        double recovery = awaitNewOutput(jobId, name + ".events", atKill, killedAt);
        awaitFinished(jobId, killedAt);
        assertThat(committedEvents(name + ".events")).isEqualTo(expected);
        System.out.printf("cluster IT, SIGKILL of %s: %d events, %d committed at the kill, first new committed event"
                + " %.1f s after it%n", process, expected.size(), atKill, recovery);
    }

    /**
     * Unbounded, as a plant runs it: stopped with a savepoint mid-stream and resumed from it with
     * another model version (and batches of 16 instead of 4), then stopped with a draining savepoint,
     * which decides and commits every pending window as the end of a bounded input would. Every window
     * is committed exactly once: those committed before the stop exactly as the shipped model's
     * reference has them, all others exactly as an uninterrupted run of the new model has them.
     * Idleness off: a drain while the sources are idle (no input for watermark.idleness) did not
     * decide the last windows (measured: 235 of 241 events; docs/deploy.md).
     */
    @Test
    void aJobStoppedWithASavepointResumesWithAnotherModelAndEveryWindowIsCommittedOnceByOneOfThem()
            throws Exception {
        Path newModel = tmp.resolve("model-b");
        try (Model model = FmFormerModel.create(FmFormerConfig.fmformerXs().withDenseHead(true), 77)) {
            FmFormerModel.save(model, newModel);
        }
        List<String> expectedNew = reference("ref-b", Map.of("model.path", newModel.toString()));

        String jobId = submit("savepoint", List.of("--stop-at", "none", "--idleness", "0s"), null);
        awaitCheckpointedOutput(jobId, "savepoint.events", 1);   // early: most windows are left to the new model
        String savepoint = savepointPath(stopWithSavepoint(jobId, false));
        List<String> beforeStop = committedEvents("savepoint.events");
        long resumedAt = System.nanoTime();
        String resumed = submit("savepoint", List.of("--stop-at", "none", "--idleness", "0s", "--batch-size", "16",
                "--model", newModel.toString()), savepoint);
        // Caught up: a checkpoint has committed the group's offsets at the end of both input topics, so
        // all input is in the job; the last windows wait for the end of event time, which the drain brings.
        while (!consumedToTheEnd("cluster-it-savepoint")) {
            if (System.nanoTime() > resumedAt + TIMEOUT.toNanos()) {
                throw new AssertionError("the resumed job did not catch up: " + diagnosis(resumed));
            }
            Thread.sleep(500);
        }
        savepointPath(stopWithSavepoint(resumed, true));

        List<String> all = committedEvents("savepoint.events");
        assertThat(all).containsAll(beforeStop);
        List<String> afterStop = new ArrayList<>(all);
        afterStop.removeAll(beforeStop);
        assertThat(beforeStop).isNotEmpty().isSubsetOf(expected);
        assertThat(afterStop).isNotEmpty().isSubsetOf(expectedNew);
        assertThat(all.stream().map(LocalClusterIT::window).toList()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(LocalClusterIT::window).toList());
        System.out.printf("cluster IT, stop with savepoint + resume with another model (batch 4 -> 16) + draining"
                + " stop: %d windows, %d scored by the shipped model before the stop, %d by the new one%n",
                all.size(), beforeStop.size(), afterStop.size());
    }

    /** Furnace and window end of an event's text. */
    private static String window(String event) {
        return event.replaceAll("(?s).*\"furnaceId\": \"([^\"]+)\".*\"windowEndMicros\": (\\d+).*", "$1@$2");
    }

    /** The committed events of an uninterrupted bounded run in an embedded MiniCluster, into NAME.*. */
    private List<String> reference(String name, Map<String, String> extra) throws Exception {
        createTopics(name);
        Map<String, String> ref = new LinkedHashMap<>();
        ref.put("bootstrap.servers", kafka);
        ref.put("group.id", "cluster-it-" + name);
        ref.put("start.from", "earliest");
        ref.put("stop.at", "latest");
        ref.put("topic.events", name + ".events");
        ref.put("topic.masks", name + ".masks");
        ref.put("topic.deadletters", name + ".dl");
        ref.put("inference.batch-size", "4");
        ref.put("checkpoint.interval", "1s");
        ref.put("checkpoint.dir", tmp.resolve(name + "-checkpoints").toString());
        ref.put("metrics.prometheus.port", "");
        ref.putAll(extra);
        JobConfig config = JobConfig.of(ref);
        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(config, null);
        FurnaceAnomalyJob.define(env, config);
        env.execute("cluster-it-" + name);
        return committedEvents(name + ".events");
    }

    /** Whether the group's committed offsets are at the end of every partition of both input topics. */
    private boolean consumedToTheEnd(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new LinkedHashMap<>();
            for (String topic : List.of(org.fmfstream.schemas.Topics.VIDEO_FRAMES, org.fmfstream.schemas.Topics.CURRENT_SAMPLES)) {
                admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                                org.apache.kafka.clients.admin.OffsetSpec.latest()));
            }
            var end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return end.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue().offset()));
        }
    }

    private static String savepointPath(String clientOutput) {
        String path = clientOutput.replaceAll("(?s).*Savepoint completed\\. Path: (\\S+).*", "$1");
        assertThat(path).as(clientOutput).startsWith("file:");
        return path;
    }

    /** Submits the job writing to NAME.events/.masks/.dl (made here the first time); returns its id. */
    private String submit(String name, List<String> extra, String savepoint) throws Exception {
        if (savepoint == null) {
            createTopics(name);
        }
        List<String> args = new ArrayList<>(List.of("--group-id", "cluster-it-" + name, "--start-from", "earliest",
                "--batch-size", extra.contains("--batch-size") ? extra.get(extra.indexOf("--batch-size") + 1) : "4", "--checkpoint-interval", "1s",
                "--transactional-id-prefix", "cluster-it-" + name, "--events-topic", name + ".events",
                "--masks-topic", name + ".masks", "--deadletters-topic", name + ".dl"));
        for (int i = 0; i < extra.size(); i += 2) {
            if (!extra.get(i).equals("--batch-size")) {
                args.addAll(extra.subList(i, i + 2));
            }
        }
        String submitted = cluster.submit(args, savepoint, Duration.ofSeconds(120));
        return LocalCluster.jobId(submitted);
    }

    /** Waits for committed events and {@code checkpoints} completed checkpoints; returns the committed count. */
    private int awaitCheckpointedOutput(String jobId, String events, int checkpoints) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (committedCount(events) == 0 || cluster.checkpoints(jobId).completed() < checkpoints) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no committed output and " + checkpoints + " checkpoints within " + TIMEOUT + ": "
                        + diagnosis(jobId));
            }
            Thread.sleep(200);
        }
        int committed = committedCount(events);
        assertThat(committed).as("the fault comes mid-stream").isLessThan(expected.size());
        return committed;
    }

    /** Waits for more committed events than {@code before}; returns the seconds since {@code since}. */
    private double awaitNewOutput(String jobId, String events, int before, long since) throws Exception {
        while (committedCount(events) <= before) {
            if (System.nanoTime() > since + TIMEOUT.toNanos()) {
                throw new AssertionError("no new output within " + TIMEOUT + ": " + diagnosis(jobId));
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - since) / 1e9;
    }

    private void awaitFinished(String jobId, long since) throws Exception {
        String state;
        while (!(state = cluster.jobState(jobId)).equals("FINISHED")) {
            if (state.equals("FAILED") || state.equals("CANCELED") || System.nanoTime() > since + TIMEOUT.toNanos()) {
                throw new AssertionError("job not finished: " + diagnosis(jobId));
            }
            Thread.sleep(500);
        }
    }

    /**
     * Stops the job with a savepoint; when Flink reports it failed while stopping, the job's own
     * exceptions say why (the client only says that it failed).
     */
    private String stopWithSavepoint(String jobId, boolean drain) throws Exception {
        try {
            return cluster.stopWithSavepoint(jobId, drain, Duration.ofSeconds(120));
        } catch (IllegalStateException e) {
            throw new AssertionError("stop-with-savepoint failed: " + diagnosis(jobId), e);
        }
    }

    /** The job's state, checkpoint counts and exceptions, and where the processes' logs are. */
    private String diagnosis(String jobId) throws IOException {
        return "state " + cluster.jobState(jobId) + ", checkpoints " + cluster.rest("/jobs/" + jobId + "/checkpoints")
                .map(b -> b.substring(0, Math.min(200, b.length()))).orElse("?") + ", exceptions "
                + cluster.rest("/jobs/" + jobId + "/exceptions").map(b -> b.substring(0, Math.min(3000, b.length())))
                .orElse("?") 
                + ", logs in " + cluster.folder().root().resolve("log");
    }

    private void createTopics(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : List.of(name + ".events", name + ".masks", name + ".dl")) {
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

    /**
     * Committed records, counted by reading them: offsets would count the transactions' commit
     * markers too (one per partition and checkpoint), which outnumber the events of a slow run.
     */
    private int committedCount(String topic) {
        int n = 0;
        try (KafkaConsumer<byte[], byte[]> c = committedReader(kafka, topic)) {
            Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                n += c.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }

    /** Every committed event as text, wall-clock fields cleared, sorted. */
    private List<String> committedEvents(String topic) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = committedReader(kafka, topic)) {
            Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    AnomalyEvent e = RecordCodec.anomalyEvents().decode(r.value()).orElseThrow();
                    out.add(AnomalyEvent.newBuilder(e).setIngestTimeMillis(0).setEmitTimeMillis(0).setDecidedTimeMillis(null).build().toString());
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
