package org.fmfstream.jobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fmfstream.jobs.cli.FmfCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Usage errors of {@code ./fmf evaluate}; the evaluation itself is tested in model-serving. */
class EvaluateCommandTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = FmfCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void isRegistered() {
        assertThat(FmfCli.commandLine().getSubcommands()).containsKey("evaluate");
    }

    @Test
    void aModelIsRequired(@TempDir Path dir) {
        assertThat(run("evaluate", "--data", dir.toString(), "--out", dir.resolve("r").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--model");
    }

    @Test
    void aModelPathThatIsNeitherFormatIsNamed(@TempDir Path dir) throws Exception {
        Path notAModel = Files.writeString(dir.resolve("weights.bin"), "x");
        assertThat(run("evaluate", "--data", dir.toString(), "--out", dir.resolve("r").toString(),
                "--model", "m=" + notAModel)).isEqualTo(2);
        assertThat(err.toString()).contains("neither a saved FmFormer directory nor a TorchScript .pt file");
    }

    @Test
    void duplicateNamesAndBadThresholdAreUsageErrors(@TempDir Path dir) {
        assertThat(run("evaluate", "--data", dir.toString(), "--out", dir.toString(), "--model", "a=" + dir,
                "--model", "a=" + dir)).isEqualTo(2);
        assertThat(err.toString()).contains("given twice");
        assertThat(run("evaluate", "--data", dir.toString(), "--out", dir.toString(), "--model", "a=" + dir,
                "--threshold", "1.5")).isEqualTo(2);
        assertThat(err.toString()).contains("threshold must be inside (0, 1)");
    }

    @Test
    void aDirectoryWithoutTestSplitIsAClearError(@TempDir Path dir) {
        assertThat(run("evaluate", "--data", dir.toString(), "--out", dir.resolve("r").toString(),
                "--model", "a=" + dir)).isEqualTo(2);
        assertThat(err.toString()).startsWith("fmf evaluate: ").doesNotContain("Exception");
    }
}
