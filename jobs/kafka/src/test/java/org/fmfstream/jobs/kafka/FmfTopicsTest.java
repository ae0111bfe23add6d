package org.fmfstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.fmfstream.jobs.kafka.FmfTopics.Retention;
import org.fmfstream.jobs.kafka.FmfTopics.TopicSpec;
import org.fmfstream.schemas.Topics;
import org.junit.jupiter.api.Test;

class FmfTopicsTest {

    @Test
    void coversTheSixContractTopics() {
        assertThat(FmfTopics.names()).containsExactly(Topics.VIDEO_FRAMES, Topics.CURRENT_SAMPLES,
                Topics.ANOMALY_EVENTS, Topics.ANOMALY_MASKS, Topics.DEAD_LETTERS, Topics.ALERTS);
    }

    @Test
    void everyTopicTakesAFullSizeRequestAndKeepsEventTimes() {
        for (TopicSpec spec : FmfTopics.all()) {
            for (Retention by : Retention.values()) {
                assertThat(Long.parseLong(spec.configs(by).get("max.message.bytes"))).as(spec.name())
                        .isEqualTo(RecordPublisher.MAX_REQUEST_BYTES + FmfTopics.HEADROOM_BYTES);
                assertThat(spec.configs(by)).as(spec.name())
                        .containsEntry("message.timestamp.type", "CreateTime")
                        .containsEntry("cleanup.policy", "delete");
            }
        }
    }

    @Test
    void byAgeKeepsEachTopicForItsOwnPeriod() {
        assertThat(FmfTopics.all()).extracting(TopicSpec::retention).containsExactly(
                Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(14),
                Duration.ofDays(30));
        for (TopicSpec spec : FmfTopics.all()) {
            assertThat(spec.configs(Retention.BY_AGE))
                    .containsEntry("retention.ms", String.valueOf(spec.retention().toMillis()))
                    .doesNotContainKey("retention.bytes");
        }
    }

    @Test
    void bySizeNeverDeletesByAgeSoReplayedEventTimesSurvive() {
        for (TopicSpec spec : FmfTopics.all()) {
            assertThat(spec.configs(Retention.BY_SIZE))
                    .containsEntry("retention.ms", "-1")
                    .containsEntry("retention.bytes", String.valueOf(spec.bytesPerPartition()));
            assertThat(spec.bytesPerPartition()).isGreaterThan(10L * FmfTopics.MAX_MESSAGE_BYTES);
        }
    }

    @Test
    void partitionsMustBePositive() {
        assertThatThrownBy(() -> FmfTopics.ensure(KafkaSettings.of("127.0.0.1:1"), 0, Retention.BY_AGE,
                Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitions must be at least 1, got 0");
    }
}
