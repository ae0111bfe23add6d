package org.fmfstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fmfstream.jobs.cli.FmfCli;
import org.fmfstream.jobs.kafka.FmfTopics.Retention;
import org.fmfstream.jobs.kafka.FmfTopics.TopicState;
import org.fmfstream.jobs.testing.JavaProcess;
import org.fmfstream.jobs.testing.TopicReader;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Topics;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./fmf kafka} as a person runs it: its own JVM, the ready line, Ctrl-C, a restart. */
class KafkaCommandIT {
    private static final Pattern READY =
            Pattern.compile("Kafka ready at (127\\.0\\.0\\.1:(\\d+)) \\(data in (.+)\\); Ctrl-C stops it\\.");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void servesTheTopicsUntilTerminatedAndKeepsTheDataForTheNextRun() {
        Path dataDir = temp.resolve("kafka");
        AnomalyEvent event = ContractSamples.event("F05", 3, true);

        long launched = System.nanoTime();
        JavaProcess first = start(dataDir, "--partitions", "3");
        try {
            String bootstrap = awaitReady(first, dataDir);
            System.out.printf("./fmf kafka: %d ms from JVM launch to the ready line (fresh data directory)%n",
                    (System.nanoTime() - launched) / 1_000_000);
            assertThat(first.stderr()).contains("fmf.video.frames", "created, 3 partitions");

            KafkaSettings kafka = KafkaSettings.of(bootstrap);
            List<TopicState> topics = FmfTopics.ensure(kafka, 3, Retention.BY_SIZE, TIMEOUT);
            assertThat(topics).extracting(TopicState::name).containsExactlyElementsOf(FmfTopics.names());
            assertThat(topics).noneMatch(TopicState::created).allMatch(t -> t.partitions() == 3);
            try (RecordPublisher publisher = new RecordPublisher(kafka)) {
                publisher.send(Topics.ANOMALY_EVENTS, "F05", event.getWindowEndMicros(), RecordCodec.anomalyEvents(),
                        event);
            }

            // A second broker on the same directory, from another process, is refused before it starts.
            JavaProcess intruder = start(dataDir);
            assertThat(intruder.waitFor(TIMEOUT)).isEqualTo(KafkaCommand.EXIT_START_FAILED);
            assertThat(intruder.stderr()).contains("fmf kafka: another Kafka is using " + dataDir.toAbsolutePath()
                    + "; stop it first");
            assertThat(intruder.stdout()).doesNotContain("Kafka ready");
        } finally {
            first.terminate();
        }
        assertThat(first.waitFor(Duration.ofSeconds(30))).as("exit code after SIGTERM").isIn(0, 143);
        assertThat(first.stderr()).contains("Kafka stopped.");

        // Same directory, default partitions (4): the topics keep their 3 and the record is still there.
        JavaProcess second = start(dataDir);
        try {
            String bootstrap = awaitReady(second, dataDir);
            assertThat(second.stderr()).contains("exists, 3 partitions (--partitions applies to new topics only)");
            assertThat(TopicReader.readDecoded(KafkaSettings.of(bootstrap), Topics.ANOMALY_EVENTS,
                    RecordCodec.anomalyEvents(), 1, TIMEOUT)).containsExactly(event);
        } finally {
            second.terminate();
        }
        assertThat(second.waitFor(Duration.ofSeconds(30))).isIn(0, 143);
    }

    private JavaProcess start(Path dataDir, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "kafka", "--port", "0", "--controller-port", "0", "--data-dir", dataDir.toString()));
        args.addAll(List.of(extra));
        return JavaProcess.start(temp.resolve("run"), FmfCli.class.getName(), args);
    }

    private static String awaitReady(JavaProcess process, Path dataDir) {
        String out = process.awaitStdout("Ctrl-C stops it.", TIMEOUT);
        Matcher m = READY.matcher(out);
        assertThat(m.find()).as("ready line in: " + out).isTrue();
        assertThat(Path.of(m.group(3))).isEqualTo(dataDir.toAbsolutePath().normalize());
        assertThat(Integer.parseInt(m.group(2))).isPositive();
        return m.group(1);
    }
}
