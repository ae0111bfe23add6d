package org.fmfstream.jobs.kafka;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fmfstream.jobs.kafka.FmfTopics.TopicState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./fmf kafka}: a local broker with the fmf topics, until Ctrl-C. */
@Command(name = "kafka",
        description = "Runs a single-node Kafka broker in this process, reachable from this machine only"
                + " (127.0.0.1), creates the fmf topics and serves until Ctrl-C. Its data survives restarts"
                + " unless --fresh is given.")
public final class KafkaCommand implements Callable<Integer> {
    static final int EXIT_START_FAILED = 1;
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--port", defaultValue = "9092",
            description = "Port for clients (bootstrap servers 127.0.0.1:PORT); 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--controller-port", defaultValue = "9093",
            description = "Port of the KRaft controller; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int controllerPort;

    @Option(names = "--data-dir", defaultValue = ".fmf/kafka",
            description = "Directory of the broker's data, relative to the current directory. Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions of each fmf topic when it is created. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--fresh", description = "Delete the broker's earlier data before starting.")
    boolean fresh;

    /** Released by the shutdown hook (Ctrl-C, SIGTERM) once the broker has stopped. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalKafkaBroker broker;
        try {
            broker = LocalKafkaBroker.builder()
                    .port(port)
                    .controllerPort(controllerPort)
                    .dataDir(dataDir)
                    .fresh(fresh)
                    .deleteDataDirOnClose(false)
                    .start();
        } catch (LocalKafkaBroker.StartupException e) {
            err.println("fmf kafka: " + e.getMessage());
            err.flush();
            return EXIT_START_FAILED;
        }
        Thread hook = new Thread(() -> stop(broker, err), "fmf-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long topicsBegin = System.nanoTime();
            List<TopicState> topics = FmfTopics.ensure(broker.settings(), partitions,
                    FmfTopics.Retention.BY_SIZE, TOPIC_TIMEOUT);
            err.printf("Broker started in %d ms, topics ready %d ms later:%n", broker.startupMillis(),
                    (System.nanoTime() - topicsBegin) / 1_000_000);
            reportTopics(topics, partitions, err);
        } catch (FmfTopics.TopicSetupException e) {
            err.println("fmf kafka: " + e.getMessage());
            err.flush();
            Runtime.getRuntime().removeShutdownHook(hook);
            broker.close();
            return EXIT_START_FAILED;
        }
        out.printf("Kafka ready at %s (data in %s); Ctrl-C stops it.%n", broker.bootstrapServers(), broker.dataDir());
        out.flush();
        stopped.await();
        return 0;
    }

    private void validate() {
        if (partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, got " + partitions);
        }
        checkPort("--port", port);
        checkPort("--controller-port", controllerPort);
        if (port != 0 && port == controllerPort) {
            throw new ParameterException(spec.commandLine(),
                    "--port and --controller-port must differ, both are " + port);
        }
    }

    private void checkPort(String option, int value) {
        if (value < 0 || value > 65_535) {
            throw new ParameterException(spec.commandLine(),
                    option + " must be a TCP port (1-65535, or 0 for any free port), got " + value);
        }
    }

    private static void reportTopics(List<TopicState> topics, int requested, PrintWriter err) {
        for (TopicState t : topics) {
            // Partitions of an existing topic are never changed: that would move furnaces between partitions.
            String note = !t.created() && t.partitions() != requested ? " (--partitions applies to new topics only)" : "";
            err.printf("  %-22s %s, %d partitions%s%n", t.name(), t.created() ? "created" : "exists",
                    t.partitions(), note);
        }
        err.flush();
    }

    private void stop(LocalKafkaBroker broker, PrintWriter err) {
        try {
            broker.close();
            err.println("Kafka stopped.");
        } catch (RuntimeException e) {
            err.println("fmf kafka: error while stopping: " + e.getMessage());
        } finally {
            err.flush();
            stopped.countDown();
        }
    }
}
