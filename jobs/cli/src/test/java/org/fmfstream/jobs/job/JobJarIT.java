package org.fmfstream.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fmfstream.jobs.cluster.FlinkLib;
import org.fmfstream.jobs.testing.JavaProcess;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.model.serve.ShippedModel;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.Topics;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded job jar ({@code mvn -Pjob-jar package}: target/fmf-job.jar) runs the detection job
 * with {@code flink run}-style arguments. A separate JVM gets the jar plus what a Flink cluster
 * provides (the test classpath minus every jar whose classes the shaded jar bundles, minus our own
 * modules), so a class the jar forgot to bundle and Flink does not have fails here.
 * {@code FurnaceAnomalyJobMain} uses {@code getExecutionEnvironment}, a local MiniCluster when not
 * under {@code flink run}. Only the job-jar profile runs this test (jobs/pom.xml).
 */
class JobJarIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension();

    private static final Path JAR = Path.of("target", "fmf-job.jar");
    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    private static final int GARBAGE_FRAMES = 2;
    private static final int MIN_EVENTS = 5;

    @TempDir
    Path work;

    @Test
    void jarHoldsTheJobAndItsConnectorsButNotFlinkOrLibtorch() throws IOException {
        Set<String> entries = entries(JAR);
        assertThat(entries).contains(
                "org/fmfstream/jobs/job/FurnaceAnomalyJobMain.class",
                "org/fmfstream/operators/infer/FmFormerInference.class",
                "org/fmfstream/schemas/codec/RecordCodec.class",
                ShippedModel.MANIFEST,
                "org/apache/flink/connector/kafka/source/KafkaSource.class",
                "org/apache/kafka/clients/producer/KafkaProducer.class",
                "org/apache/avro/Schema.class",
                "ai/djl/engine/Engine.class",
                "ai/djl/pytorch/engine/PtEngine.class",
                "jnilib/linux-x86_64/cpu/libdjl_torch.so",
                "jnilib/linux-x86_64/cu128/libdjl_torch.so",
                "picocli/CommandLine.class",
                "META-INF/services/ai.djl.engine.EngineProvider");
        assertThat(entries).as("Flink's own classes come from the cluster").noneMatch(e ->
                e.startsWith("org/apache/flink/streaming/api/") || e.startsWith("org/apache/flink/runtime/")
                        || e.startsWith("org/apache/flink/api/") || e.startsWith("org/apache/flink/connector/base/"));
        assertThat(entries).as("libtorch goes to Flink's lib/, logging is the cluster's, no broker or FFmpeg")
                .noneMatch(e -> e.startsWith("native/lib/") || e.startsWith("org/apache/logging/")
                        || e.startsWith("org/slf4j/") || e.startsWith("kafka/server/")
                        || e.startsWith("org/bytedeco/") || e.startsWith("scala/") || e.equals("log4j2.xml"));
    }

    @Test
    void jarRunsTheJobAgainstALocalBroker() throws Exception {
        assertThat(JAR).as("build it with mvn -Pjob-jar package").isRegularFile();
        // Garbage first: its dead letters are an exact count whatever the model decides.
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.settings().clientProperties(Map.of(
                "key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class)))) {
            for (int i = 0; i < GARBAGE_FRAMES; i++) {
                p.send(new ProducerRecord<>(Topics.VIDEO_FRAMES, "F01".getBytes(StandardCharsets.UTF_8),
                        ("garbage " + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        // The simulator from the jar too, as docker-compose.yml's simulator service runs it.
        Process simulator = start("simulator.log", "org.fmfstream.jobs.cli.FmfCli", List.of("simulate",
                "--bootstrap-servers", kafka.bootstrapServers(), "--furnaces", "1", "--seed", "7",
                "--duration", "10s", "--fast", "--drop-fraction", "0", "--out-of-order-fraction", "0",
                "--late-fraction", "0"));
        if (!simulator.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || simulator.exitValue() != 0) {
            simulator.destroyForcibly();
            throw new AssertionError("simulator from the jar failed\n" + log("simulator.log"));
        }

        List<String> args = List.of(
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--group-id", "job-jar-it",
                "--start-from", "earliest",
                "--parallelism", "1",
                "--batch-size", "4",
                "--checkpoint-interval", "2s",
                "--checkpoint-dir", work.resolve("checkpoints").toString(),
                "--device", "cpu");
        long started = System.nanoTime();
        Process job = start("job.log", FurnaceAnomalyJobMain.class.getName(), args);
        try {
            List<AnomalyEvent> events = awaitEvents(job, MIN_EVENTS);
            System.out.printf("JobJarIT: %d events committed %.1f s after the job JVM started%n",
                    events.size(), (System.nanoTime() - started) / 1e9);
            ShippedModel shipped = ShippedModel.manifest();
            Set<Long> ends = new HashSet<>();
            for (AnomalyEvent e : events) {
                assertThat(e.getFurnaceId()).isEqualTo("F01");
                assertThat(e.getModel().getName()).isEqualTo(shipped.name());
                assertThat(e.getModel().getVersion()).isEqualTo(shipped.version());
                assertThat(e.getAnomalyProbability()).isBetween(0.0, 1.0);
                assertThat(ends.add(e.getWindowEndMicros())).as("window %d once", e.getWindowEndMicros()).isTrue();
            }
            // One window per furnace per 1 s hop, none missing: a window ends on the last frame at
            // or before its hop, so consecutive ends are a hop apart give or take a frame (40 ms).
            List<Long> sorted = ends.stream().sorted().toList();
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i) - sorted.get(i - 1)).as("gap before window %d", sorted.get(i))
                        .isBetween(1_000_000L - 60_000L, 1_000_000L + 60_000L);
            }

            List<DeadLetter> letters = kafka.consumeDecoded(Topics.DEAD_LETTERS, RecordCodec.deadLetters(),
                    GARBAGE_FRAMES, TIMEOUT);
            assertThat(letters).allSatisfy(d -> {
                assertThat(d.getSourceTopic()).isEqualTo(Topics.VIDEO_FRAMES);
                assertThat(d.getErrorKind().toString()).isEqualTo("NOT_SINGLE_OBJECT");
            });
        } finally {
            job.destroyForcibly();
            job.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Polls the events topic (committed records only) until {@code min} arrived; fails if the job dies. */
    private List<AnomalyEvent> awaitEvents(Process job, int min) throws InterruptedException {
        RecordCodec<AnomalyEvent> codec = RecordCodec.anomalyEvents();
        List<AnomalyEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.settings().clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class)))) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < kafka.partitions(); i++) {
                parts.add(new TopicPartition(Topics.ANOMALY_EVENTS, i));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            while (events.size() < min) {
                if (!job.isAlive()) {
                    throw new AssertionError("job JVM exited with " + job.exitValue() + "\n" + log("job.log"));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(events.size() + " of " + min + " events after " + TIMEOUT + "\n" + log("job.log"));
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    events.add(codec.decode(r.value()).orElseThrow());
                }
            }
        }
        return events;
    }

    private Process start(String logName, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-cp", flinkLikeClasspath(), mainClass));
        command.addAll(args);
        return new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve(logName).toFile()).start();
    }

    private String log(String name) {
        try {
            String text = Files.readString(work.resolve(name));
            return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * The jar first, then what a Flink installation's lib/ holds, picked from the test classpath as
     * {@code ./fmf cluster} picks it ({@link FlinkLib}): Flink, its dependencies, logging, DJL and the
     * libtorch natives; without our modules, every library the jar bundles, the broker, Scala and FFmpeg.
     */
    static String flinkLikeClasspath() throws IOException {
        String testClasspath = JavaProcess.testClasspath();
        List<Path> lib = FlinkLib.pick(testClasspath, JAR);
        assertThat(testClasspath.split(File.pathSeparator).length - lib.size())
                .as("the jar must replace our modules and its bundled libraries").isGreaterThan(10);
        List<String> cp = new ArrayList<>();
        cp.add(JAR.toAbsolutePath().toString());
        lib.forEach(p -> cp.add(p.toString()));
        return String.join(File.pathSeparator, cp);
    }

    private static Set<String> entries(Path jar) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
        }
        return names;
    }
}
