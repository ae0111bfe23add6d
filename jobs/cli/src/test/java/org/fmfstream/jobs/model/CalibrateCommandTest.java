package org.fmfstream.jobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Properties;
import org.fmfstream.jobs.cli.FmfCli;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.ShippedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./fmf calibrate} on a few validation furnaces with the shipped model (the real engine). */
class CalibrateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = FmfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void writesTheChosenModelWithItsRuleAndBothTargets(@TempDir Path dir) throws Exception {
        Path shipped = ShippedModel.manifest().extractTo(dir.resolve("cache"));
        Path chosen = dir.resolve("chosen");
        assertThat(run("calibrate", "--model", shipped.toString(), "--out", chosen.toString(),
                "--validation-furnaces", "3", "--windows-per-furnace", "12",
                "--target-false-alarms", "0.05", "--target-worst-furnace-false-alarms", "0.1")).isEqualTo(0);
        DecisionRule rule = DecisionRule.read(chosen);
        Properties written = new Properties();
        try (var in = java.nio.file.Files.newBufferedReader(chosen.resolve(DecisionRule.FILE))) {
            written.load(in);
        }
        assertThat(written.getProperty("targetWorstFurnaceFalseAlarms")).isEqualTo("0.1");
        // The rule's measured worst furnace is within the per-furnace target it was chosen for.
        assertThat(Double.parseDouble(written.getProperty("validationWorstFurnaceFalseAlarms"))).isLessThanOrEqualTo(0.1);
        assertThat(Double.parseDouble(written.getProperty("validationFalseAlarms"))).isLessThanOrEqualTo(0.05);
        assertThat(out.toString()).contains("chose " + shipped);
        assertThat(err.toString()).contains("false alarms <= 0.0500 overall, <= 0.1000 on every furnace");
        // The rule written next to the model is the one the command reported choosing.
        assertThat(out.toString()).contains(String.format(java.util.Locale.ROOT, "threshold %.4f, min mask pixels %d:",
                rule.threshold(), rule.minMaskPixels()));
    }

    @Test
    void targetsOutsideTheirRangeAreUsageErrors(@TempDir Path dir) {
        assertThat(run("calibrate", "--model", dir.toString(), "--out", dir.resolve("o").toString(),
                "--target-worst-furnace-false-alarms", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("worst-furnace false-alarm target must be inside (0, 1]");
        assertThat(run("calibrate", "--model", dir.toString(), "--out", dir.resolve("o").toString(),
                "--target-false-alarms", "1.5")).isEqualTo(2);
        assertThat(err.toString()).contains("false-alarm target must be inside (0, 1), got 1.5");
    }
}
