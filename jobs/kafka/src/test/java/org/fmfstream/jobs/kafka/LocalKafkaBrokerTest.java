package org.fmfstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the broker is configured with, and what it refuses before Kafka is even started. */
class LocalKafkaBrokerTest {
    @TempDir
    Path temp;

    @Test
    void everyListenerIsOnLoopback() {
        Properties p = LocalKafkaBroker.serverProperties(19092, 19093, temp);
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(p.values()).noneMatch(v -> v.toString().contains("0.0.0.0") || v.toString().contains("://:"));
    }

    @Test
    void brokerTakesTheRecordsThePublisherMaySend() {
        Properties p = LocalKafkaBroker.serverProperties(19092, 19093, temp);
        assertThat(Integer.parseInt(p.getProperty("message.max.bytes")))
                .isEqualTo(FmfTopics.MAX_MESSAGE_BYTES)
                .isGreaterThan(RecordPublisher.MAX_REQUEST_BYTES);
        assertThat(Integer.parseInt(p.getProperty("replica.fetch.max.bytes"))).isEqualTo(FmfTopics.MAX_MESSAGE_BYTES);
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
        // Replayed records carry months-old event times as timestamps: never delete by age here.
        assertThat(p.getProperty("log.retention.ms")).isEqualTo("-1");
        // Flink's exactly-once sink needs Kafka's 15 minute transaction limit; we must not lower it.
        assertThat(p).doesNotContainKey("transaction.max.timeout.ms");
    }

    @Test
    void aTakenPortIsReportedWithItsNumber() throws Exception {
        Path dataDir = temp.resolve("kafka");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> LocalKafkaBroker.builder().port(port).dataDir(dataDir).start())
                    .isInstanceOfSatisfying(LocalKafkaBroker.PortInUseException.class,
                            e -> assertThat(e.port()).isEqualTo(port))
                    .hasMessage("port " + port + " on 127.0.0.1 is already in use (another Kafka running?)");
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void brokerAndControllerNeedDifferentPorts() {
        assertThatThrownBy(() -> LocalKafkaBroker.builder().port(19092).controllerPort(19092).start())
                .isInstanceOf(LocalKafkaBroker.StartupException.class)
                .hasMessageContaining("different ports");
    }

    @Test
    void portsOutsideTheTcpRangeAreRefused() {
        assertThatThrownBy(() -> LocalKafkaBroker.builder().port(65_536))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
        assertThatThrownBy(() -> LocalKafkaBroker.builder().controllerPort(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void aDirectoryWithOtherFilesIsNeitherFormattedNorWiped() throws Exception {
        Files.writeString(temp.resolve("thesis.tex"), "years of work");
        for (boolean fresh : new boolean[] {false, true}) {
            assertThatThrownBy(() -> LocalKafkaBroker.builder().dataDir(temp).fresh(fresh).start())
                    .isInstanceOf(LocalKafkaBroker.StartupException.class)
                    .hasMessageContaining("is neither empty nor a Kafka data directory");
        }
        assertThat(temp.resolve("thesis.tex")).hasContent("years of work");
        assertThat(temp.resolve(LocalKafkaBroker.META_PROPERTIES)).doesNotExist();
    }
}
