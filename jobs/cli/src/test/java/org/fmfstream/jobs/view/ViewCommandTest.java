package org.fmfstream.jobs.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.fmfstream.jobs.cli.FmfCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./fmf view}'s topics per run and its usage errors (the page itself: FurnaceViewIT). */
class ViewCommandTest {

    @Test
    void liveReplayAndComparedTopics() {
        ViewTopics live = ViewTopics.live();
        assertThat(live.all()).containsExactly("fmf.video.frames", "fmf.current.samples", "fmf.anomaly.events",
                "fmf.anomaly.masks", "fmf.alerts");
        ViewTopics replay = live.forRun("v2").comparedWith("v1");
        assertThat(replay.events()).isEqualTo("fmf.replay.v2.events");
        assertThat(replay.masks()).isEqualTo("fmf.replay.v2.masks");
        assertThat(replay.frames()).isEqualTo("fmf.video.frames");
        assertThat(replay.compareEvents()).isEqualTo("fmf.replay.v1.events");
        assertThat(replay.runLabel()).isEqualTo("v2");
        assertThat(live.comparedWith("live").compareEvents()).isEqualTo("fmf.anomaly.events");
    }

    @Test
    void isRegisteredAndRefusesBadSettings() {
        assertThat(FmfCli.commandLine().getSubcommands()).containsKey("view");
        StringWriter err = new StringWriter();
        CommandLine cli = FmfCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("view", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be 0..65535");
        assertThat(cli.execute("view", "--frames-per-second", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--frames-per-second must be in (0, 60]");
    }
}
