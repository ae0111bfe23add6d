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
import org.fmfstream.jobs.feed.KafkaFurnaceSink;
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

    /** Where in its run a job's JVM is killed. */
    enum KillPoint { BEFORE_THE_FIRST_CHECKPOINT, MID_STREAM, DURING_A_CHECKPOINT }

    /** Input and reference output of the hard-kill tests, made once by the first of them. */
    private record KillReference(String frames, String currents, List<String> events, Map<String, Long> masks) {}

    private static KillReference killReference;

    private KillReference killReference() throws Exception {
        if (killReference == null) {
            String frames = kafka.createTopic("kill-frames", 1, Map.of());
            String currents = kafka.createTopic("kill-currents", 1, Map.of());
            simulate(frames, currents);
            Topics ref = Topics.create("kill-ref");
            JobConfig refConfig = config(frames, currents, ref, "kill-ref", Map.of("stop.at", "latest"));
            StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(refConfig, null);
            FurnaceAnomalyJob.define(env, refConfig);
            env.execute("kill-reference");
            List<String> events = withoutWallClock(readEvents(ref.events(), committedCount(ref.events())));
            assertThat(events).hasSizeGreaterThan(FURNACES * 100);
            killReference = new KillReference(frames, currents, events,
                    maskKeys(readMasks(ref.masks(), committedCount(ref.masks()))));
        }
        return killReference;
    }

    /**
     * A bounded run ({@code stop.at=latest}) in its own JVM, killed with SIGKILL (no cancel, no
     * savepoint) and started again — from its last completed checkpoint, or afresh when it was killed
     * before its first — ends by itself and has written exactly the reference's events, field for
     * field and bit for bit (wall-clock fields aside), and the same masks. Before
     * {@link org.fmfstream.operators.input.RestoreSafeKafkaSource}, a restored bounded run never
     * ended and never wrote its furnaces' last windows.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(KillPoint.class)
    void boundedRunKilledAndRestartedWritesExactlyTheReferenceOutput(KillPoint point) throws Exception {
        KillReference ref = killReference();
        String name = "killed-" + point.ordinal();
        Topics out = Topics.create(name);
        Map<String, String> extra = new LinkedHashMap<>(Map.of("stop.at", "latest"));
        if (point == KillPoint.BEFORE_THE_FIRST_CHECKPOINT) {
            extra.put("checkpoint.interval", "5m");   // no checkpoint can complete before the kill
        }
        Map<String, String> killed = configValues(ref.frames(), ref.currents(), out, name, extra);
        Path checkpoints = Path.of(JobConfig.of(killed).checkpointDir());

        Process first = startJobJvm(killed, null, "first");
        String seen = awaitKillPoint(first, point, checkpoints, out);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        int committedAtKill = committedCount(out.events());
        assertThat(committedAtKill).as("killed before the end").isLessThan(ref.events().size());

        Optional<Path> restore = latestCheckpoint(checkpoints);
        assertThat(restore.isEmpty()).isEqualTo(point == KillPoint.BEFORE_THE_FIRST_CHECKPOINT);
        Map<String, String> again = new LinkedHashMap<>(killed);
        again.put("checkpoint.interval", "1s");   // a bounded run ends with a checkpoint: not 5 minutes away
        Process restarted = startJobJvm(again, restore.orElse(null), "restarted");
        assertThat(restarted.waitFor(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS))
                .as("the restarted bounded run ends by itself").isTrue();
        assertThat(restarted.exitValue()).isZero();

        int events = committedCount(out.events());
        assertThat(withoutWallClock(readEvents(out.events(), events))).isEqualTo(ref.events());
        assertThat(maskKeys(readMasks(out.masks(), committedCount(out.masks())))).isEqualTo(ref.masks());
        System.out.printf("hard-kill IT, %s (%s): %d events (%d committed at the kill), restarted from %s%n",
                point, seen, events, committedAtKill, restore.map(c -> c.getFileName().toString()).orElse("the start"));
    }

    /**
     * An unbounded run killed mid-stream and restored: what it commits (it has no end of input, so
     * each furnace's last few windows wait for data that never comes) is the reference's output up to
     * each furnace's last committed window, exactly: nothing lost, nothing twice, the same bits.
     */
    @Test
    void unboundedRunKilledAndRestoredCommitsExactlyTheReferencePrefix() throws Exception {
        KillReference ref = killReference();
        Topics out = Topics.create("killed-unbounded");
        Map<String, String> killed = configValues(ref.frames(), ref.currents(), out, "killed-unbounded", Map.of());
        Path checkpoints = Path.of(JobConfig.of(killed).checkpointDir());
        Process first = startJobJvm(killed, null, "first");
        awaitKillPoint(first, KillPoint.MID_STREAM, checkpoints, out);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        Process restarted = startJobJvm(killed, latestCheckpoint(checkpoints).orElseThrow(), "restarted");
        try {
            // Committed output grows until the input is used up; then it stays put.
            int last = -1;
            int now = committedCount(out.events());
            long deadline = System.nanoTime() + TIMEOUT.toNanos() * 2;
            while ((now != last || now < ref.events().size() / 2) && System.nanoTime() < deadline) {
                Thread.sleep(5_000);
                last = now;
                now = committedCount(out.events());
            }
            List<String> committed = withoutWallClock(readEvents(out.events(), now));
            assertThat(committed).as("committed events, all distinct").doesNotHaveDuplicates();
            Map<String, String> lastWindowEnd = new HashMap<>();
            for (String e : committed) {
                lastWindowEnd.merge(furnaceOf(e), e, (a, b) -> windowEndOf(a) >= windowEndOf(b) ? a : b);
            }
            List<String> prefix = ref.events().stream()
                    .filter(e -> lastWindowEnd.containsKey(furnaceOf(e))
                            && windowEndOf(e) <= windowEndOf(lastWindowEnd.get(furnaceOf(e))))
                    .toList();
            assertThat(committed).isEqualTo(prefix);
            assertThat(committed.size()).as("all but each furnace's last windows")
                    .isGreaterThan(ref.events().size() - FURNACES * 10);
            System.out.printf("hard-kill IT, unbounded: %d of the reference's %d events committed after the restore%n",
                    committed.size(), ref.events().size());
        } finally {
            restarted.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String furnaceOf(String event) {
        return event.substring(event.indexOf("\"furnaceId\": \"") + 14, event.indexOf('"', event.indexOf("\"furnaceId\": \"") + 14));
    }

    private static long windowEndOf(String event) {
        int at = event.indexOf("\"windowEndMicros\": ") + 19;
        int to = at;
        while (Character.isDigit(event.charAt(to))) {
            to++;
        }
        return Long.parseLong(event.substring(at, to));
    }

    /**
     * Waits until the running job reaches the kill point and says what it saw there: its model loaded
     * and no checkpoint yet; a second completed checkpoint; or a checkpoint being written (its
     * directory made, its metadata not yet) after the first.
     */
    private String awaitKillPoint(Process job, KillPoint point, Path checkpoints, Topics out) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(job.isAlive()).as("the job runs until it is killed").isTrue();
            Optional<Path> done = latestCheckpoint(checkpoints);
            long completed = done.map(c -> Long.parseLong(c.getFileName().toString().substring(4))).orElse(0L);
            switch (point) {
                case BEFORE_THE_FIRST_CHECKPOINT -> {
                    if (committedCountUncommittedToo(out.events()) > 0) {
                        assertThat(done).isEmpty();
                        return "events written, none committed";
                    }
                }
                case MID_STREAM -> {
                    if (completed >= 2) {
                        return "checkpoint " + completed + " complete";
                    }
                }
                case DURING_A_CHECKPOINT -> {
                    Optional<Path> inProgress = checkpointInProgress(checkpoints, completed);
                    if (completed >= 1 && inProgress.isPresent()) {
                        return inProgress.get().getFileName() + " being written";
                    }
                }
            }
            Thread.sleep(point == KillPoint.DURING_A_CHECKPOINT ? 1 : 50);
        }
        throw new AssertionError("the job did not reach " + point + " within " + TIMEOUT);
    }

    /** A {@code chk-N} directory newer than the last completed checkpoint and without metadata yet. */
    private static Optional<Path> checkpointInProgress(Path dir, long completed) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Long.parseLong(p.getFileName().toString().substring(4)) > completed)
                    .filter(p -> !Files.exists(p.resolve("_metadata")))
                    .findFirst();
        }
    }

    /** Records in the topic, committed or not (read_uncommitted). */
    private static int committedCountUncommittedToo(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.settings().clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp), TIMEOUT).get(tp).intValue();
        }
    }

    /** {@code fmf run} with the test's configuration in a JVM of its own; its output goes to a log file. */
    private Process startJobJvm(Map<String, String> config, Path restore, String attempt) throws IOException {
        java.util.Properties p = new java.util.Properties();
        p.putAll(JobConfig.DEFAULTS);
        p.putAll(config);
        p.put("metrics.prometheus.port", "");
        Path file = tmp.resolve(config.get("group.id") + "-" + attempt + ".properties");
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

    /** The events as text, sorted, with the wall-clock fields (ingest, decided and emit time) cleared. */
    private static List<String> withoutWallClock(List<AnomalyEvent> events) {
        return events.stream().map(e -> {
            AnomalyEvent copy = AnomalyEvent.newBuilder(e).setIngestTimeMillis(0).setEmitTimeMillis(0).setDecidedTimeMillis(null).build();
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
