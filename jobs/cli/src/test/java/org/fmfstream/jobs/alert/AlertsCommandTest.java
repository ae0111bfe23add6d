package org.fmfstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.fmfstream.jobs.cli.FmfCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AlertsCommandTest {

    private static String[] run(String... args) {
        CommandLine cli = FmfCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void badRulesAreUsageErrorsNamingTheProblem() {
        String[] r = run("alerts", "--k", "6", "--n", "5");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("k must be in [1, n=5], got 6");
        r = run("alerts", "--quiet", "0s");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("quiet period must be > 0");
        r = run("alerts", "--quiet", "5x");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--quiet");
        r = run("alerts", "--webhook", "ftp://plant/hook");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("webhook URL must be http or https");
    }
}
