package org.fmfstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fmfstream.jobs.cli.FmfCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./fmf kafka} refuses bad options and taken ports with a message, before starting anything. */
class KafkaCommandTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = FmfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void zeroPartitionsIsAUsageError() {
        assertThat(run("kafka", "--partitions", "0", "--data-dir", temp.resolve("k").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--partitions must be at least 1, got 0");
        assertThat(temp.resolve("k")).doesNotExist();
    }

    @Test
    void brokerAndControllerCannotShareAPort() {
        assertThat(run("kafka", "--port", "19092", "--controller-port", "19092")).isEqualTo(2);
        assertThat(err.toString()).contains("--port and --controller-port must differ, both are 19092");
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        assertThat(run("kafka", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be a TCP port");
        assertThat(run("kafka", "--controller-port", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--controller-port must be a TCP port");
    }

    @Test
    void nonNumericPortIsAUsageError() {
        assertThat(run("kafka", "--port", "ninety")).isEqualTo(2);
        assertThat(err.toString()).contains("--port").contains("ninety");
    }

    @Test
    void portInUseIsReportedAndNothingIsCreated() throws Exception {
        Path dataDir = temp.resolve("kafka");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            int exit = run("kafka", "--port", String.valueOf(port), "--controller-port", "0",
                    "--data-dir", dataDir.toString());
            assertThat(exit).isEqualTo(KafkaCommand.EXIT_START_FAILED);
            assertThat(err.toString()).contains("fmf kafka: port " + port + " on 127.0.0.1 is already in use")
                    .doesNotContain("Exception");
        }
        assertThat(out.toString()).doesNotContain("Kafka ready");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void controllerPortInUseIsReported() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            int exit = run("kafka", "--port", "0", "--controller-port", String.valueOf(port),
                    "--data-dir", temp.resolve("kafka").toString());
            assertThat(exit).isEqualTo(KafkaCommand.EXIT_START_FAILED);
            assertThat(err.toString()).contains("controller port " + port + " on 127.0.0.1 is already in use");
        }
    }

    @Test
    void aDirectoryWithOtherFilesIsNotTakenOver() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("notes"));
        Files.writeString(dir.resolve("todo.txt"), "keep me");
        int exit = run("kafka", "--port", "0", "--controller-port", "0", "--fresh", "--data-dir", dir.toString());
        assertThat(exit).isEqualTo(KafkaCommand.EXIT_START_FAILED);
        assertThat(err.toString()).contains(dir + " is neither empty nor a Kafka data directory");
        assertThat(dir.resolve("todo.txt")).hasContent("keep me");
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("kafka", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "--controller-port", "--data-dir", "--partitions", "--fresh");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        CommandLine.Model.CommandSpec kafka = FmfCli.commandLine().getSubcommands().get("kafka").getCommandSpec();
        assertThat(kafka.findOption("--port").defaultValue()).isEqualTo("9092");
        assertThat(kafka.findOption("--controller-port").defaultValue()).isEqualTo("9093");
        assertThat(kafka.findOption("--data-dir").defaultValue()).isEqualTo(".fmf/kafka");
        assertThat(kafka.findOption("--partitions").defaultValue()).isEqualTo("4");
        assertThat(kafka.findOption("--fresh").defaultValue()).isNull();
    }
}
