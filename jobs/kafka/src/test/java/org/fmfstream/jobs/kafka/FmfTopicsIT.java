package org.fmfstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.fmfstream.jobs.kafka.FmfTopics.Retention;
import org.fmfstream.jobs.kafka.FmfTopics.TopicSpec;
import org.fmfstream.jobs.kafka.FmfTopics.TopicState;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topic creation against a real broker: what Kafka ends up with, and what happens the second time. */
class FmfTopicsIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension(2);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void ensuringAgainCreatesNothingAndKeepsThePartitionCount() {
        List<TopicState> again = FmfTopics.ensure(kafka.settings(), 5, Retention.BY_SIZE, TIMEOUT);
        assertThat(again).extracting(TopicState::name).containsExactlyElementsOf(FmfTopics.names());
        assertThat(again).noneMatch(TopicState::created).allMatch(t -> t.partitions() == 2);
    }

    @Test
    void theBrokerHoldsTheSettingsWeAskedFor() throws Exception {
        Config video = topicConfig(Topics.VIDEO_FRAMES);
        assertThat(video.get("max.message.bytes").value()).isEqualTo(String.valueOf(FmfTopics.MAX_MESSAGE_BYTES));
        assertThat(video.get("retention.ms").value()).isEqualTo("-1");
        assertThat(video.get("retention.bytes").value()).isEqualTo(String.valueOf(1024L * 1024 * 1024));
        assertThat(video.get("message.timestamp.type").value()).isEqualTo("CreateTime");

        // By age, on topics of our own so the shared ones stay as they are.
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 6);
        List<TopicSpec> specs = FmfTopics.all().stream()
                .map(s -> new TopicSpec(s.name() + suffix, s.recordType(), s.retention(), s.bytesPerPartition()))
                .toList();
        try (Admin admin = Admin.create(kafka.settings().clientProperties(Map.of()))) {
            assertThat(FmfTopics.ensure(admin, specs, 1, Retention.BY_AGE, TIMEOUT)).allMatch(TopicState::created);
        }
        Config events = topicConfig(Topics.ANOMALY_EVENTS + suffix);
        assertThat(events.get("retention.ms").value()).isEqualTo(String.valueOf(Duration.ofDays(30).toMillis()));
        assertThat(events.get("max.message.bytes").value()).isEqualTo(String.valueOf(FmfTopics.MAX_MESSAGE_BYTES));
    }

    @Test
    void anExistingTopicTooSmallForFramesIsReported() {
        String name = kafka.createTopic("hand.made", 1, Map.of("max.message.bytes", "1048588"));
        List<TopicSpec> specs = List.of(new TopicSpec(name, "VideoFrame", Duration.ofDays(1), 1L << 30));
        try (Admin admin = Admin.create(kafka.settings().clientProperties(Map.of()))) {
            assertThatThrownBy(() -> FmfTopics.ensure(admin, specs, 1, Retention.BY_AGE, TIMEOUT))
                    .isInstanceOf(FmfTopics.TopicSetupException.class)
                    .hasMessage("topic " + name + " exists with max.message.bytes=1048588, below the "
                            + FmfTopics.MAX_MESSAGE_BYTES + " bytes fmf records may need; raise it or delete the topic");
        }
    }

    private static Config topicConfig(String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.settings().clientProperties(Map.of()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        }
    }
}
