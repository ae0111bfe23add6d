package org.fmfstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.fmfstream.jobs.kafka.FmfTopics.TopicSpec;
import org.fmfstream.schemas.Topics;
import org.junit.jupiter.api.Test;

class FmfTopicsTest {

    @Test
    void coversTheFiveContractTopics() {
        assertThat(FmfTopics.names()).containsExactly(Topics.VIDEO_FRAMES, Topics.CURRENT_SAMPLES,
                Topics.ANOMALY_EVENTS, Topics.ANOMALY_MASKS, Topics.DEAD_LETTERS);
    }

    @Test
    void everyTopicTakesAFullSizeRequestAndKeepsEventTimes() {
        for (TopicSpec spec : FmfTopics.all()) {
            assertThat(Long.parseLong(spec.configs().get("max.message.bytes"))).as(spec.name())
                    .isEqualTo(RecordPublisher.MAX_REQUEST_BYTES + FmfTopics.HEADROOM_BYTES);
            assertThat(spec.configs()).as(spec.name())
                    .containsEntry("message.timestamp.type", "CreateTime")
                    .containsEntry("cleanup.policy", "delete")
                    .containsEntry("retention.ms", String.valueOf(spec.retention().toMillis()));
        }
    }

    @Test
    void retentionPerTopic() {
        assertThat(FmfTopics.all()).extracting(TopicSpec::retention).containsExactly(
                Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(14));
    }

    @Test
    void partitionsMustBePositive() {
        assertThatThrownBy(() -> FmfTopics.ensure(KafkaSettings.of("127.0.0.1:1"), 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitions must be at least 1, got 0");
    }
}
