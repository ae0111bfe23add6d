package org.fmfstream.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fmfstream.jobs.cli.FmfCli;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.jobs.job.JobOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = FmfCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void benchPipelineTakesTheJobsDefaultsForTheJobsFlags() {
        PipelineBench bench = new PipelineBench();
        new CommandLine(bench).parseArgs();
        assertThat(bench.batchSize).isEqualTo(JobOptions.BATCH_SIZE.defaultValue());
        assertThat(JobConfig.of(java.util.Map.of("inference.batch-timeout", bench.batchTimeout)).batchTimeout())
                .isEqualTo(JobOptions.BATCH_TIMEOUT.defaultValue());
        assertThat(bench.device).isEqualTo("auto");
        assertThat(bench.parallelism).isEqualTo(JobOptions.PARALLELISM.defaultValue());
        // A shared flag with a default of its own keeps it.
        assertThat(bench.outOfOrderness).isEqualTo("0s");
        new CommandLine(bench).parseArgs("--batch-size", "4");
        assertThat(bench.batchSize).isEqualTo(4);
    }

    @Test
    void benchModelWithTinySettingsPrintsEveryFigureAsAPositiveNumber() {
        Run run = run("bench", "model", "--presets", "fmformer-xs", "--batches", "1", "--iterations", "1",
                "--warmup", "1");
        assertThat(run.exit()).as(run.err()).isZero();
        String out = run.out();
        assertThat(positive(out, "# threads: intra-op=(\\d+) inter-op=(\\d+)")).isPositive();
        assertThat(positive(out, "(?m)^tokenize batch=1 ms/window=([0-9.]+)$")).isPositive();
        String score = "(?m)^score preset=fmformer-xs batch=1 ms/batch=([0-9.]+) windows/s=([0-9.]+) ms/window=([0-9.]+)$";
        Matcher m = Pattern.compile(score).matcher(out);
        assertThat(m.find()).as(out).isTrue();
        double msPerBatch = Double.parseDouble(m.group(1));
        double windowsPerSecond = Double.parseDouble(m.group(2));
        assertThat(msPerBatch).isPositive();
        // the two figures describe the same median (one window per batch here); windows/s is
        // printed to 0.1, so allow that rounding
        double expected = 1000 / msPerBatch;
        assertThat(windowsPerSecond).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.051 + expected * 0.001));
        assertThat(positive(out, "(?m)^peak-rss MiB=(\\d+) intra-op threads=\\d+$")).isGreaterThan(50);
        assertThat(out).doesNotContain("fmformer-s ");
    }

    @Test
    void badSettingsAreRefusedWithAClearMessage() {
        Run unknownPreset = run("bench", "model", "--presets", "fmformer-xxl", "--iterations", "1");
        assertThat(unknownPreset.exit()).isEqualTo(2);
        assertThat(unknownPreset.err()).contains("fmformer-xxl").contains("fmformer-xs");

        Run zeroBatch = run("bench", "model", "--batches", "0");
        assertThat(zeroBatch.exit()).isEqualTo(2);
        assertThat(zeroBatch.err()).contains("batch sizes must be at least 1");

        Run badDevice = run("bench", "model", "--device", "tpu");
        assertThat(badDevice.exit()).isEqualTo(2);
        assertThat(badDevice.err()).contains("expected auto, cpu or gpu");

        Run noSubtasks = run("bench", "pipeline", "--parallelism", "0");
        assertThat(noSubtasks.exit()).isEqualTo(2);
        assertThat(noSubtasks.err()).contains("parallelism").contains("must be positive");

        Run parentOnly = run("bench");
        assertThat(parentOnly.exit()).isEqualTo(2);
        assertThat(parentOnly.err()).contains("bench model");
    }

    private static double positive(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertThat(m.find()).as("'%s' in:%n%s", regex, out).isTrue();
        for (int g = 2; g <= m.groupCount(); g++) {
            assertThat(Double.parseDouble(m.group(g))).as("group %d of %s", g, regex).isPositive();
        }
        return Double.parseDouble(m.group(1));
    }
}
