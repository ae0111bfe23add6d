package org.fmfstream.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fmfstream.jobs.kafka.RecordPublisher;
import org.fmfstream.jobs.simulator.RunSummary;
import org.fmfstream.jobs.simulator.Simulation;
import org.fmfstream.jobs.simulator.SimulationRun;
import org.fmfstream.jobs.simulator.SimulatorConfig;
import org.fmfstream.jobs.sink.KafkaFurnaceSink;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job survives a cancel and a restart from its retained checkpoint with exactly-once
 * output: run 1 (reference) scores all input uninterrupted; run 2 is cancelled mid-stream after a
 * completed checkpoint and restarted from it; run 2's committed events and masks equal run 1's
 * exactly (no window lost, none written twice).
 *
 * <p>Determinism of the input is what makes "equal" a fair demand: a clean transport (no late,
 * reordered or dropped records, so no record is ever behind the watermark whatever the
 * interleaving of the two sources), one partition per input topic, and no idleness (a partition
 * that goes idle would let the watermark overtake it in one run and not the other).
 */
class FurnaceAnomalyJobRecoveryIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int FURNACES = 2;
    /**
     * Batch composition differs between the runs (a restart splits batches differently), and
     * PyTorch's CPU kernels may sum in another order for another batch size; that moves a float32
     * probability by ~1e-6, far under this bound.
     */
    private static final double PROBABILITY_TOLERANCE = 1e-4;
    /** A mask pixel whose probability sits within the same noise of the threshold may flip. */
    private static final double AREA_TOLERANCE = 2.0 / (64 * 64);

    @TempDir
    Path tmp;

    private record WindowKey(String furnace, long windowEndMicros, String decision) {}

    @Test
    void cancelledAndRestoredRunWritesExactlyTheReferenceOutput() throws Exception {
        String frames = kafka.createTopic("frames", 1, Map.of());
        String currents = kafka.createTopic("currents", 1, Map.of());
        RunSummary input = simulate(frames, currents);
        assertThat(input.framesDelivered()).isPositive();

        // --- run 1: the reference, bounded at the input present now ---
        Topics ref = Topics.create("ref");
        JobConfig refConfig = config(frames, currents, ref, "ref", Map.of("stop.at", "latest"));
        StreamExecutionEnvironment env1 = FurnaceAnomalyJob.embeddedEnvironment(refConfig, null);
        FurnaceAnomalyJob.define(env1, refConfig);
        env1.execute("recovery-reference");

        int eventCount = committedCount(ref.events());
        int maskCount = committedCount(ref.masks());
        List<AnomalyEvent> refEvents = readEvents(ref.events(), eventCount);
        List<AnomalyMask> refMasks = readMasks(ref.masks(), maskCount);
        // 1 s hop over the simulated span, per furnace: anything near zero would make the test vacuous.
        assertThat(eventCount).isGreaterThan(FURNACES * (int) (input.simulated().toSeconds() / 2));
        assertThat(byWindow(refEvents)).as("reference: one event per furnace and window").hasSize(eventCount);
        assertThat(committedCount(ref.deadLetters())).as("clean input: no dead letters").isZero();

        // --- run 2: unbounded, checkpoint every second, cancelled once a checkpoint committed some events ---
        Topics rec = Topics.create("rec");
        JobConfig recConfig = config(frames, currents, rec, "rec", Map.of());
        StreamExecutionEnvironment env2 = FurnaceAnomalyJob.embeddedEnvironment(recConfig, null);
        FurnaceAnomalyJob.define(env2, recConfig);
        JobClient first = env2.executeAsync("recovery-first");
        Path checkpoints = Path.of(recConfig.checkpointDir());
        int committedAtCancel;
        try (CommittedCounter counter = new CommittedCounter(rec.events())) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            int seen = 0;
            while (System.nanoTime() < deadline && (seen == 0 || latestCheckpoint(checkpoints).isEmpty())) {
                Thread.sleep(100);
                seen = counter.count();
            }
            assertThat(seen).as("events committed by a checkpoint of the first attempt within %s", TIMEOUT)
                    .isPositive();
            first.cancel().get(60, TimeUnit.SECONDS);
            awaitTerminal(first);
            committedAtCancel = counter.count();
        }
        assertThat(committedAtCancel).as("cancelled mid-stream: some but not all events committed")
                .isPositive().isLessThan(eventCount);
        Path restoreFrom = latestCheckpoint(checkpoints).orElseThrow();

        // --- run 2, restarted from the retained checkpoint ---
        // Not bounded with stop.at: the Kafka source's splits come back from the checkpoint with the
        // boundedness they were taken with (unbounded here), and a restored bounded enumerator never
        // signals "no more splits" (FLINK-33466). Instead, once the checkpointed consumer offsets
        // reach the end of the input, a stop-with-savepoint that drains (end of event time) flushes
        // the last windows exactly as the end of a bounded input does, and commits them.
        StreamExecutionEnvironment env3 = FurnaceAnomalyJob.embeddedEnvironment(recConfig, restoreFrom.toString());
        FurnaceAnomalyJob.define(env3, recConfig);
        JobClient restarted = env3.executeAsync("recovery-restarted");
        awaitConsumed(recConfig.groupId(), List.of(frames, currents));
        restarted.stopWithSavepoint(true, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        awaitTerminal(restarted);

        // read_committed, exact counts: a lost window or a duplicate changes the count or the multiset.
        List<AnomalyEvent> events = readEvents(rec.events(), eventCount);
        List<AnomalyMask> masks = readMasks(rec.masks(), maskCount);
        assertThat(multiset(events)).isEqualTo(multiset(refEvents));
        Map<List<Object>, AnomalyEvent> expected = byWindow(refEvents);
        for (AnomalyEvent e : events) {
            AnomalyEvent r = expected.get(List.of(e.getFurnaceId().toString(), e.getWindowEndMicros()));
            assertThat((double) e.getAnomalyProbability()).as("probability of %s %d", e.getFurnaceId(), e.getWindowEndMicros())
                    .isCloseTo((double) r.getAnomalyProbability(), org.assertj.core.data.Offset.offset(PROBABILITY_TOLERANCE));
        }
        assertThat(maskKeys(masks)).isEqualTo(maskKeys(refMasks));
        Map<List<Object>, AnomalyMask> expectedMasks = new HashMap<>();
        refMasks.forEach(m -> expectedMasks.put(List.of(m.getFurnaceId().toString(), m.getWindowEndMicros()), m));
        for (AnomalyMask m : masks) {
            AnomalyMask r = expectedMasks.get(List.of(m.getFurnaceId().toString(), m.getWindowEndMicros()));
            assertThat((double) m.getAnomalyAreaFraction()).isCloseTo((double) r.getAnomalyAreaFraction(),
                    org.assertj.core.data.Offset.offset(AREA_TOLERANCE));
        }
        assertThat(committedCount(rec.deadLetters())).isZero();
        System.out.printf("recovery IT: %d events (%d committed at cancel), %d masks, restored from %s%n",
                eventCount, committedAtCancel, maskCount, restoreFrom.getFileName());
    }

    /**
     * A bounded run ({@code stop.at=latest}) in its own JVM, killed with SIGKILL once its second
     * checkpoint is complete and started again from that checkpoint, ends by itself and has written
     * exactly the reference's events, field for field and bit for bit (wall-clock fields aside), and
     * the same masks. Before {@link org.fmfstream.operators.source.RestoreSafeKafkaSource}, such a
     * restart never ended and never wrote its furnaces' last windows.
     */
    @Test
    void killedJvmRestartedFromItsCheckpointWritesExactlyTheReferenceOutput() throws Exception {
        String frames = kafka.createTopic("kill-frames", 1, Map.of());
        String currents = kafka.createTopic("kill-currents", 1, Map.of());
        simulate(frames, currents);

        Topics ref = Topics.create("kill-ref");
        JobConfig refConfig = config(frames, currents, ref, "kill-ref", Map.of("stop.at", "latest"));
        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(refConfig, null);
        FurnaceAnomalyJob.define(env, refConfig);
        env.execute("kill-reference");
        int eventCount = committedCount(ref.events());
        List<String> expected = withoutWallClock(readEvents(ref.events(), eventCount));
        int maskCount = committedCount(ref.masks());

        Topics out = Topics.create("killed");
        Map<String, String> killed = configValues(frames, currents, out, "killed", Map.of("stop.at", "latest"));
        Path checkpoints = Path.of(JobConfig.of(killed).checkpointDir());
        Process first = startJobJvm(killed, null);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Optional<Path> checkpoint = Optional.empty();
        while (System.nanoTime() < deadline && first.isAlive()
                && checkpoint.map(c -> Long.parseLong(c.getFileName().toString().substring(4)) < 2).orElse(true)) {
            Thread.sleep(50);
            checkpoint = latestCheckpoint(checkpoints);
        }
        assertThat(first.isAlive()).as("the job is still running at its second checkpoint").isTrue();
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);   // SIGKILL: no cancel, no savepoint
        int committedAtKill = committedCount(out.events());
        assertThat(committedAtKill).as("killed mid-stream").isLessThan(eventCount);

        Process restarted = startJobJvm(killed, checkpoint.orElseThrow());
        assertThat(restarted.waitFor(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS))
                .as("the restarted bounded run ends by itself").isTrue();
        assertThat(restarted.exitValue()).isZero();

        assertThat(committedCount(out.events())).isEqualTo(eventCount);
        assertThat(withoutWallClock(readEvents(out.events(), eventCount))).isEqualTo(expected);
        assertThat(maskKeys(readMasks(out.masks(), committedCount(out.masks()))))
                .isEqualTo(maskKeys(readMasks(ref.masks(), maskCount)));
        System.out.printf("hard-kill IT: %d events (%d committed at the kill), restored from %s%n",
                eventCount, committedAtKill, checkpoint.get().getFileName());
    }

    /** {@code fmf run} with the test's configuration in a JVM of its own; its output goes to a log file. */
    private Process startJobJvm(Map<String, String> config, Path restore) throws IOException {
        java.util.Properties p = new java.util.Properties();
        p.putAll(JobConfig.DEFAULTS);
        p.putAll(config);
        p.put("metrics.prometheus.port", "");
        Path file = tmp.resolve(config.get("group.id") + (restore == null ? "-first" : "-restarted") + ".properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "org.fmfstream.jobs.cli.FmfCli", "run", "--config", file.toString()));
        if (restore != null) {
            command.addAll(List.of("--restore", restore.toString()));
        }
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(file.getFileName() + ".log").toFile()).start();
    }

    /** The events as text, sorted, with the two wall-clock fields (ingest and emit time) cleared. */
    private static List<String> withoutWallClock(List<AnomalyEvent> events) {
        return events.stream().map(e -> {
            AnomalyEvent copy = AnomalyEvent.newBuilder(e).setIngestTimeMillis(0).setEmitTimeMillis(0).build();
            return copy.toString();
        }).sorted().toList();
    }

    private record Topics(String events, String masks, String deadLetters) {
        static Topics create(String name) {
            return new Topics(kafka.createTopic(name + "-events", 1, Map.of()),
                    kafka.createTopic(name + "-masks", 1, Map.of()),
                    kafka.createTopic(name + "-dead", 1, Map.of()));
        }
    }

    private RunSummary simulate(String frames, String currents) {
        // Two minutes of two furnaces with frequent burn-throughs, so that some windows are anomalous.
        SimulatorConfig cfg = SimulatorConfig.builder().furnaces(FURNACES).seed(11)
                .duration(Duration.ofMinutes(2)).episodeLength(Duration.ofSeconds(10), Duration.ofSeconds(30)).episodesPerHour(40).noTransportFaults().build();
        try (KafkaFurnaceSink sink = new KafkaFurnaceSink(new RecordPublisher(kafka.settings()), frames, currents)) {
            return SimulationRun.of(Simulation.of(cfg)).fast().deliverTo(sink);
        }
    }

    private JobConfig config(String frames, String currents, Topics out, String name, Map<String, String> extra) {
        return JobConfig.of(configValues(frames, currents, out, name, extra));
    }

    private Map<String, String> configValues(String frames, String currents, Topics out, String name,
                                             Map<String, String> extra) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("bootstrap.servers", kafka.bootstrapServers());
        v.put("topic.frames", frames);
        v.put("topic.currents", currents);
        v.put("topic.events", out.events());
        v.put("topic.masks", out.masks());
        v.put("topic.deadletters", out.deadLetters());
        v.put("group.id", "recovery-" + name);
        v.put("start.from", "earliest");
        v.put("watermark.idleness", "0s");
        // Small batches: about 60 MiB of native memory per window of batch on CPU.
        v.put("inference.batch-size", "4");
        v.put("model.device", "cpu");
        v.put("delivery", "exactly-once");
        v.put("checkpoint.interval", "1s");
        v.put("checkpoint.dir", tmp.resolve("checkpoints-" + name).toString());
        v.putAll(extra);
        return v;
    }

    /** The highest {@code chk-N} under {@code dir} whose {@code _metadata} is written (a completed checkpoint). */
    static Optional<Path> latestCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))));
        }
    }

    /**
     * Waits for the job's end through its result (its status cannot be asked once the per-job
     * MiniCluster has shut down); a cancelled job ends with an exception, which is its normal end here.
     */
    private static void awaitTerminal(JobClient job) throws Exception {
        try {
            job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException cancelled) {
            // expected for the cancelled attempt
        }
    }

    /** Waits until the group's offsets, committed by completed checkpoints, reach the end of every topic. */
    private static void awaitConsumed(String group, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(kafka.settings().clientProperties(Map.of()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String t : topics) {
                latest.put(new TopicPartition(t, 0), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                boolean done = end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("group " + group + " committed " + committed + ", end " + end
                            + " after " + TIMEOUT);
                }
                Thread.sleep(200);
            }
        }
    }

    private static int committedCount(String topic) {
        try (CommittedCounter c = new CommittedCounter(topic)) {
            return c.count();
        }
    }

    private static List<AnomalyEvent> readEvents(String topic, int count) {
        return kafka.consumeDecoded(topic, RecordCodec.anomalyEvents(), count, TIMEOUT);
    }

    private static List<AnomalyMask> readMasks(String topic, int count) {
        return kafka.consumeDecoded(topic, RecordCodec.anomalyMasks(), count, TIMEOUT);
    }

    private static Map<List<Object>, AnomalyEvent> byWindow(List<AnomalyEvent> events) {
        Map<List<Object>, AnomalyEvent> m = new HashMap<>();
        events.forEach(e -> m.put(List.of(e.getFurnaceId().toString(), e.getWindowEndMicros()), e));
        return m;
    }

    private static Map<WindowKey, Long> multiset(List<AnomalyEvent> events) {
        Map<WindowKey, Long> m = new TreeMap<>(Comparator.comparing(WindowKey::furnace)
                .thenComparingLong(WindowKey::windowEndMicros).thenComparing(WindowKey::decision));
        for (AnomalyEvent e : events) {
            m.merge(new WindowKey(e.getFurnaceId().toString(), e.getWindowEndMicros(), e.getDecision().name()),
                    1L, Long::sum);
        }
        return m;
    }

    private static Map<String, Long> maskKeys(List<AnomalyMask> masks) {
        Map<String, Long> m = new TreeMap<>();
        masks.forEach(k -> m.merge(k.getFurnaceId() + "@" + k.getWindowEndMicros() + "#" + k.getFrameSeq(), 1L,
                Long::sum));
        return m;
    }

    /**
     * Counts the committed records of a one-partition topic up to its last stable offset, reading on
     * from where the previous call stopped (cheap enough to poll every 100 ms).
     */
    private static final class CommittedCounter implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final TopicPartition partition;
        private int count;

        CommittedCounter(String topic) {
            consumer = new KafkaConsumer<>(kafka.settings().clientProperties(Map.of(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
        }

        int count() {
            // read_committed end offset = last stable offset: everything before it is decided.
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition, TIMEOUT) < end) {
                for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(50))) {
                    count++;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("cannot read " + partition + " to " + end);
                }
            }
            return count;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
