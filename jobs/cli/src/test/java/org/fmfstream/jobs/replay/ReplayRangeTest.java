package org.fmfstream.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.operators.align.AlignerConfig;
import org.junit.jupiter.api.Test;

class ReplayRangeTest {

    @Test
    void parsesInstantsEpochMillisAndOpenEnds() {
        ReplayRange r = ReplayRange.parse("2026-11-26T08:00:00Z", "1795683600000");
        assertThat(r.fromMillis()).isEqualTo(1_795_680_000_000L);
        assertThat(r.toMillis()).isEqualTo(1_795_683_600_000L);
        ReplayRange open = ReplayRange.parse("earliest", null);
        assertThat(open.fromMillis()).isNull();
        assertThat(open.toMillis()).isNull();
        assertThat(open.startFrom(1000)).isEqualTo("earliest");
        assertThat(open.stopAt()).isEqualTo("latest");
        assertThatThrownBy(() -> ReplayRange.parse("yesterday", null)).hasMessageContaining("--from");
        assertThatThrownBy(() -> ReplayRange.parse("2000", "1000")).hasMessageContaining("is not before");
    }

    @Test
    void warmUpCoversCurrentSpanClipHopAndClockOffsets() {
        // 120 s current + 500 ms clip lookback + 1 s hop + 40 ms interval + 50 ms tolerance.
        assertThat(ReplayRange.warmUpMillis(AlignerConfig.DEFAULTS, Map.of())).isEqualTo(121_590);
        assertThat(ReplayRange.warmUpMillis(AlignerConfig.DEFAULTS, Map.of("F01", -2_000_000L, "F02", 250_000L)))
                .isEqualTo(123_590);
        ReplayRange r = new ReplayRange(200_000L, 300_000L);
        assertThat(r.startFrom(121_590)).isEqualTo("timestamp:78410");
        assertThat(r.stopAt()).isEqualTo("timestamp:300000");
        assertThat(r.contains(199_999_999L)).isFalse();
        assertThat(r.contains(200_000_000L)).isTrue();
        assertThat(r.contains(299_999_999L)).isTrue();
        assertThat(r.contains(300_000_000L)).isFalse();
    }

    @Test
    void runNamesTopicsAndRefusesLiveOnesAndBadNames() {
        ReplayRun run = new ReplayRun("incident-42");
        assertThat(run.outputTopics()).containsExactly("fmf.replay.incident-42.events",
                "fmf.replay.incident-42.masks", "fmf.replay.incident-42.deadletters");
        assertThat(run.groupId()).isEqualTo("fmf-replay-incident-42");
        assertThatThrownBy(() -> run.requireApartFrom(List.of("fmf.replay.incident-42.masks")))
                .hasMessageContaining("a topic of the live job");
        assertThatThrownBy(() -> new ReplayRun("a/b")).hasMessageContaining("--run");
        assertThatThrownBy(() -> new ReplayRun("")).hasMessageContaining("--run");
    }

    @Test
    void planSetsTheRunsKeysAndRefusesFlagsForThem(@org.junit.jupiter.api.io.TempDir Path base) {
        ReplayRange range = new ReplayRange(1_795_680_000_000L, 1_795_683_600_000L);
        ReplayJob.Plan plan = ReplayJob.plan(null, Map.of("model.device", "cpu"), new ReplayRun("x"), range, base);
        JobConfig c = plan.config();
        assertThat(c.eventsTopic()).isEqualTo("fmf.replay.x.events");
        assertThat(c.masksTopic()).isEqualTo("fmf.replay.x.masks");
        assertThat(c.deadLettersTopic()).isEqualTo("fmf.replay.x.deadletters");
        assertThat(c.groupId()).isEqualTo("fmf-replay-x");
        assertThat(c.transactionalIdPrefix()).isEqualTo("fmf-replay-x");
        assertThat(c.startFrom().toString()).isEqualTo("timestamp:" + (1_795_680_000_000L - 121_590));
        assertThat(c.stopAt()).isEqualTo("timestamp:1795683600000");
        assertThat(c.idleness()).isZero();
        assertThat(c.batchTimeout()).isEqualTo(ReplayJob.BATCH_TIMEOUT);
        assertThat(c.checkpointDir()).isEqualTo(base.resolve("x").resolve("checkpoints").toAbsolutePath().toString());
        assertThat(c.device()).isEqualTo(org.fmfstream.model.serve.DeviceChoice.CPU);
        assertThatThrownBy(() -> ReplayJob.plan(null, Map.of("topic.events", "mine", "group.id", "g"),
                new ReplayRun("x"), range, base)).hasMessageContaining("replay sets group.id, topic.events itself");
        // A live configuration that reads one of the run's topics is refused.
        assertThatThrownBy(() -> ReplayJob.plan(null, Map.of("topic.frames", "fmf.replay.x.events"),
                new ReplayRun("x"), range, base)).hasMessageContaining("a topic of the live job");
    }

    @Test
    void commandLineHasReplayAndCompare() {
        java.io.StringWriter help = new java.io.StringWriter();
        picocli.CommandLine cli = org.fmfstream.jobs.cli.FmfCli.commandLine();
        cli.setOut(new java.io.PrintWriter(help));
        assertThat(cli.execute("replay", "--help")).isZero();
        assertThat(cli.execute("replay", "compare", "--help")).isZero();
        assertThat(help.toString()).contains("--from", "--to", "--run", "--compare-to", "--export-training",
                "--model", "RUN_A", "RUN_B");
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        assertThat(cli.execute("replay", "--run", "x", "--group-id", "g")).isEqualTo(2);
        assertThat(err.toString()).contains("replay sets group.id itself");
    }
}
