package org.fmfstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmfstream.jobs.testing.JavaProcess;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.schemas.Topics;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own console consumer, run as a separate JVM exactly as docs/topics.md tells a person to,
 * reads every fmf topic: our records are ordinary Kafka records, keyed and timestamped as documented.
 */
class ConsoleConsumerIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension(2);

    private static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    /** Records written to each topic: the furnace id and Kafka timestamp (ms) of each. */
    private static final Map<String, List<String>> EXPECTED_LINES = new LinkedHashMap<>();

    @TempDir
    static Path work;

    @BeforeAll
    static void publishOneFurnaceDayOfEveryContract() {
        try (RecordPublisher publisher = new RecordPublisher(kafka.settings())) {
            List<String> frames = new ArrayList<>();
            for (long seq = 0; seq < 3; seq++) {
                var f = ContractSamples.frame("F07", seq, seq == 1);
                publisher.send(Topics.VIDEO_FRAMES, "F07", f.getEventTimeMicros(), RecordCodec.videoFrames(), f);
                frames.add(line(f.getEventTimeMicros(), "F07"));
            }
            EXPECTED_LINES.put(Topics.VIDEO_FRAMES, frames);

            var block = ContractSamples.currentBlock("F07", 0, 4);
            publisher.send(Topics.CURRENT_SAMPLES, "F07", block.getEventTimeMicros(), RecordCodec.currentSamples(),
                    block);
            EXPECTED_LINES.put(Topics.CURRENT_SAMPLES, List.of(line(block.getEventTimeMicros(), "F07")));

            List<String> events = new ArrayList<>();
            for (long window = 0; window < 2; window++) {
                var e = ContractSamples.event("F08", window, window == 1);
                publisher.send(Topics.ANOMALY_EVENTS, "F08", e.getWindowEndMicros(), RecordCodec.anomalyEvents(), e);
                events.add(line(e.getWindowEndMicros(), "F08"));
            }
            EXPECTED_LINES.put(Topics.ANOMALY_EVENTS, events);

            var mask = ContractSamples.mask("F08", 1);
            publisher.send(Topics.ANOMALY_MASKS, "F08", mask.getWindowEndMicros(), RecordCodec.anomalyMasks(), mask);
            EXPECTED_LINES.put(Topics.ANOMALY_MASKS, List.of(line(mask.getWindowEndMicros(), "F08")));

            var letter = ContractSamples.deadLetter("F07", 5);
            publisher.send(Topics.DEAD_LETTERS, "F07", letter.getFailedAtMillis() * 1000, RecordCodec.deadLetters(),
                    letter);
            EXPECTED_LINES.put(Topics.DEAD_LETTERS, List.of(line(letter.getFailedAtMillis() * 1000, "F07")));

            var incident = ContractSamples.incident("F08", 1);
            publisher.send(Topics.ALERTS, "F08", incident.getEventTimeMicros(), RecordCodec.incidents(), incident);
            EXPECTED_LINES.put(Topics.ALERTS, List.of(line(incident.getEventTimeMicros(), "F08")));
            publisher.flush();
        }
    }

    @Test
    void kafkasConsoleConsumerReadsEveryTopicWithFurnaceKeysAndEventTimes() {
        assertThat(EXPECTED_LINES.keySet()).containsExactlyInAnyOrderElementsOf(FmfTopics.names());
        // One JVM per topic, all at once: each takes a second or two to start.
        Map<String, JavaProcess> consumers = new LinkedHashMap<>();
        EXPECTED_LINES.forEach((topic, lines) -> consumers.put(topic, JavaProcess.start(work.resolve(topic),
                CONSOLE_CONSUMER, List.of(
                        "--bootstrap-server", kafka.bootstrapServers(),
                        "--topic", topic,
                        "--from-beginning",
                        "--max-messages", String.valueOf(lines.size()),
                        "--timeout-ms", "20000",
                        "--formatter-property", "print.timestamp=true",
                        "--formatter-property", "print.key=true",
                        "--formatter-property", "print.value=false"))));

        consumers.forEach((topic, consumer) -> {
            int exit = consumer.waitFor(Duration.ofSeconds(60));
            assertThat(exit).as("exit code of the console consumer on " + topic + "; stderr:\n"
                    + consumer.stderr()).isZero();
            List<String> printed = consumer.stdout().lines().filter(l -> !l.isBlank()).toList();
            assertThat(printed).as("records printed from " + topic)
                    .containsExactlyInAnyOrderElementsOf(EXPECTED_LINES.get(topic));
            assertThat(consumer.stderr()).contains("Processed a total of " + EXPECTED_LINES.get(topic).size()
                    + " messages");
        });
    }

    /** What the console consumer prints for one record with print.timestamp and print.key. */
    private static String line(long eventTimeMicros, String furnaceId) {
        return "CreateTime:" + Math.floorDiv(eventTimeMicros, 1000L) + "\t" + furnaceId;
    }
}
