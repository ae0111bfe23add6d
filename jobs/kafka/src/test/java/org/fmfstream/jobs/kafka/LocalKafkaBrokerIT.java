package org.fmfstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.fmfstream.jobs.kafka.FmfTopics.Retention;
import org.fmfstream.jobs.kafka.FmfTopics.TopicState;
import org.fmfstream.jobs.testing.ListeningSockets;
import org.fmfstream.jobs.testing.ListeningSockets.Listener;
import org.fmfstream.jobs.testing.TopicReader;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.Topics;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's own life cycle: start-up time, where it listens, restarts, wiping, stopping. */
class LocalKafkaBrokerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Generous for a loaded two-core CI machine; a quiet dev box starts in about 2 s. */
    private static final long MAX_STARTUP_MILLIS = 20_000;

    @TempDir
    Path temp;

    @Test
    void startsQuicklyOnFreePortsAndListensOnLoopbackOnly() throws Exception {
        Path dataDir;
        int port;
        int controllerPort;
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().start()) {
            System.out.printf("LocalKafkaBroker started in %d ms (fresh temporary data directory)%n",
                    broker.startupMillis());
            assertThat(broker.startupMillis()).isBetween(1L, MAX_STARTUP_MILLIS);
            port = broker.port();
            controllerPort = broker.controllerPort();
            dataDir = broker.dataDir();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(port).isNotEqualTo(controllerPort).isPositive();

            // What the broker tells clients: itself, node 1, on the loopback address.
            try (Admin admin = Admin.create(broker.settings().clientProperties(Map.of()))) {
                Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
                assertThat(nodes).singleElement().satisfies(node -> {
                    assertThat(node.id()).isEqualTo(1);
                    assertThat(node.host()).isEqualTo("127.0.0.1");
                    assertThat(node.port()).isEqualTo(port);
                });
            }

            // What the kernel says this JVM really bound: both listeners, loopback only, no wildcard.
            assertThat(ListeningSockets.supported()).as("/proc is readable (Linux)").isTrue();
            List<Listener> listening = ListeningSockets.ofThisProcess();
            assertThat(listening).contains(new Listener("127.0.0.1", port), new Listener("127.0.0.1", controllerPort));
            assertThat(listening).allSatisfy(l -> assertThat(l.isLoopback()).as(l.toString()).isTrue());
        }
        // Closed: ports released, temporary data removed.
        assertThat(ListeningSockets.ofThisProcess()).extracting(Listener::port)
                .doesNotContain(port, controllerPort);
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsTopicsAndRecords() {
        Path dataDir = temp.resolve("kafka");
        List<CurrentSample> sent = new ArrayList<>();
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).start()) {
            assertThat(FmfTopics.ensure(broker.settings(), 3, Retention.BY_SIZE, TIMEOUT)).allMatch(TopicState::created);
            try (RecordPublisher publisher = new RecordPublisher(broker.settings())) {
                for (int block = 0; block < 6; block++) {
                    CurrentSample s = ContractSamples.currentBlock(block % 2 == 0 ? "F01" : "F02", block, 4);
                    publisher.send(Topics.CURRENT_SAMPLES, s.getFurnaceId(), s.getEventTimeMicros(),
                            RecordCodec.currentSamples(), s);
                    sent.add(s);
                }
            }
        }
        assertThat(dataDir.resolve(LocalKafkaBroker.META_PROPERTIES)).exists();

        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).start()) {
            System.out.printf("LocalKafkaBroker restarted in %d ms (existing data directory)%n",
                    broker.startupMillis());
            List<TopicState> states = FmfTopics.ensure(broker.settings(), 3, Retention.BY_SIZE, TIMEOUT);
            assertThat(states).noneMatch(TopicState::created).allMatch(s -> s.partitions() == 3);
            assertThat(TopicReader.readDecoded(broker.settings(), Topics.CURRENT_SAMPLES,
                    RecordCodec.currentSamples(), sent.size(), TIMEOUT))
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void freshStartWipesEarlierData() {
        Path dataDir = temp.resolve("kafka");
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).start()) {
            FmfTopics.ensure(broker.settings(), 1, Retention.BY_SIZE, TIMEOUT);
        }
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).fresh(true).start()) {
            assertThat(FmfTopics.ensure(broker.settings(), 1, Retention.BY_SIZE, TIMEOUT))
                    .allMatch(TopicState::created);
        }
    }

    @Test
    void aDataDirectoryInUseIsNeitherWipedNorShared() {
        Path dataDir = temp.resolve("kafka");
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).start()) {
            FmfTopics.ensure(broker.settings(), 1, Retention.BY_SIZE, TIMEOUT);

            assertThatThrownBy(() -> LocalKafkaBroker.builder().dataDir(dataDir).fresh(true).start())
                    .isInstanceOf(LocalKafkaBroker.StartupException.class)
                    .hasMessageContaining("is using " + dataDir);
            assertThatThrownBy(() -> LocalKafkaBroker.builder().dataDir(dataDir).start())
                    .isInstanceOf(LocalKafkaBroker.StartupException.class)
                    .hasMessageContaining("is using " + dataDir);

            // The running broker kept its data and still serves.
            assertThat(FmfTopics.ensure(broker.settings(), 1, Retention.BY_SIZE, TIMEOUT))
                    .noneMatch(TopicState::created);
        }
    }

    @Test
    void closeIsQuickAndIdempotent() {
        LocalKafkaBroker broker = LocalKafkaBroker.builder().start();
        long begin = System.nanoTime();
        broker.close();
        long closeMillis = (System.nanoTime() - begin) / 1_000_000;
        System.out.printf("LocalKafkaBroker stopped in %d ms%n", closeMillis);
        assertThat(closeMillis).isLessThan(15_000);
        broker.close();
        assertThat(Files.exists(broker.dataDir())).isFalse();
    }
}
