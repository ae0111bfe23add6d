package org.fmfstream.jobs.replay;

import org.fmfstream.jobs.kafka.TopicAccess;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fmfstream.jobs.console.ProgressBar;
import org.fmfstream.jobs.job.FurnaceAnomalyJob;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.jobs.job.JobFlags;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.codec.RecordCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./fmf replay}: the detection job in bounded mode over a historical range, into the run's
 * own topics ({@link ReplayJob}); {@code --compare-to RUN} then writes a comparison report, and
 * {@code ./fmf replay compare A B} compares two finished runs. {@code --export-training DIR} instead
 * writes the range's frames and currents as a labelled training set ({@link TrainingExport}).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        subcommands = ReplayCommand.Compare.class,
        description = {"Replays the detection job over a historical range into a run's own topics"
                + " (fmf.replay.<run>.events, .masks, .deadletters), as fast as the model allows.",
                "Same range + same model = byte-identical decisions and masks. See jobs/detection/README.md, 'Replay'."})
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobFlags options;

    @Option(names = "--from", paramLabel = "TIME",
            description = "First window end: ISO instant (2026-11-26T08:00:00Z), epoch ms, or earliest (default).")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "End of the range, exclusive: ISO instant, epoch ms, or latest (default: the topics' end now).")
    String to;

    @Option(names = "--run", paramLabel = "NAME", description = "Run name (default: r<yyyyMMdd-HHmmss> UTC).")
    String run;

    @Option(names = "--compare-to", paramLabel = "RUN", description = "After the replay, compare RUN (A) with this run (B).")
    String compareTo;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Comparison report (default: .fmf/replay/<run>/comparison.md).")
    Path report;

    @Option(names = "--replay-dir", paramLabel = "DIR", defaultValue = ".fmf/replay",
            description = "Local folder of runs (checkpoints, reports); default ${DEFAULT-VALUE}.")
    Path replayDir;

    @Option(names = "--export-training", paramLabel = "DIR",
            description = "Instead of replaying: write the range's frames and currents in the benchmark layout.")
    Path exportTraining;

    @Option(names = "--stride", paramLabel = "N", defaultValue = "1",
            description = "With --export-training: list every N-th frame in train.json (default ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--unlabelled-as-normal",
            description = "With --export-training: write frames without a ground-truth mask as normal instead of refusing.")
    boolean unlabelledAsNormal;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ReplayRange range;
        try {
            range = ReplayRange.parse(from, to);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (exportTraining != null) {
            JobConfig config = config(options);
            TrainingExport.Summary s = TrainingExport.export(config.kafka(), config.framesTopic(),
                    config.currentsTopic(), range, exportTraining, stride, unlabelledAsNormal,
                    line -> out.println("replay: " + line));
            out.printf(Locale.ROOT, "replay: training set %s: %d recordings, %d windows listed, %d abnormal frames,"
                            + " %d out-of-order records dropped, %d undecodable skipped%n", exportTraining,
                    s.listed().size(), s.listedCount(), s.abnormalFrames(), s.droppedOutOfOrder(), s.undecodable());
            return 0;
        }
        ReplayJob.Plan plan;
        String rule;
        try {
            ReplayRun r = run == null ? ReplayRun.generated() : new ReplayRun(run);
            plan = ReplayJob.plan(options.configFile(), options.overrides(), r, range, replayDir);
            rule = FurnaceAnomalyJob.describeRule(plan.config(), FurnaceAnomalyJob.decisionRule(plan.config()));
            if (compareTo != null) {
                new ReplayRun(compareTo);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        out.printf(Locale.ROOT, "replay %s: %s, sources from %s (warm-up %d ms) to %s, into %s, model %s, %s%n",
                plan.run(), range, plan.config().startFrom(), plan.warmUpMillis(), plan.config().stopAt(),
                plan.config().eventsTopic(), plan.config().modelPath() == null ? "shipped" : plan.config().modelPath(),
                rule);
        out.flush();
        ProgressBar bar = ProgressBar.onStderr("replay " + plan.run(), "records", 0);
        ReplayJob.Result result;
        try {
            result = ReplayJob.run(plan, bar);
        } catch (IllegalStateException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("replay: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "replay %s: %d input records, %d windows, %d masks, %d dead letters in %.1f s%n",
                plan.run(), result.recordsInRange(), result.windows(), result.masks(), result.deadLetters(),
                result.seconds());
        if (compareTo != null) {
            Path file = report != null ? report : plan.runDir().resolve("comparison.md");
            compare(plan.config().kafka(), new ReplayRun(compareTo), plan.run(), file);
            out.println("replay: comparison of " + compareTo + " and " + plan.run() + " in " + file);
        }
        return 0;
    }

    private JobConfig config(JobFlags o) {
        try {
            return o.config();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Reads both runs' committed events and writes the Markdown comparison to {@code file}. */
    static void compare(KafkaSettings kafka, ReplayRun a, ReplayRun b, Path file) throws java.io.IOException {
        String md = ReplayComparison.report(runOf(kafka, a), runOf(kafka, b), ReplayComparison.DEFAULT_MAX_ROWS);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, md, StandardCharsets.UTF_8);
    }

    static ReplayComparison.Run runOf(KafkaSettings kafka, ReplayRun run) {
        RecordCodec<AnomalyEvent> codec = RecordCodec.anomalyEvents();
        List<AnomalyEvent> events = TopicAccess.readAll(kafka, run.eventsTopic()).stream()
                .map(r -> codec.decode(r.value()).orElseThrow()).toList();
        RecordCodec<DeadLetter> letters = RecordCodec.deadLetters();
        List<DeadLetter> dead = TopicAccess.readAll(kafka, run.deadLettersTopic()).stream()
                .map(r -> letters.decode(r.value()).orElseThrow()).toList();
        return ReplayComparison.Run.of(run.name(), events, dead);
    }

    /** {@code ./fmf replay compare RUN_A RUN_B}. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Compares two replay runs' events: decision agreement, changed windows, episodes, mean |Δp|.")
    static final class Compare implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JobFlags options;

        @Parameters(index = "0", paramLabel = "RUN_A")
        String runA;

        @Parameters(index = "1", paramLabel = "RUN_B")
        String runB;

        @Option(names = "--report", paramLabel = "FILE",
                description = "Report file (default: .fmf/replay/<RUN_B>/comparison.md).")
        Path report;

        @Option(names = "--replay-dir", paramLabel = "DIR", defaultValue = ".fmf/replay",
                description = "Local folder of runs; default ${DEFAULT-VALUE}.")
        Path replayDir;

        @Override
        public Integer call() throws Exception {
            ReplayRun a;
            ReplayRun b;
            JobConfig config;
            try {
                a = new ReplayRun(runA);
                b = new ReplayRun(runB);
                config = options.config();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            Path file = report != null ? report : b.dir(replayDir).resolve("comparison.md");
            try {
                compare(config.kafka(), a, b, file);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("replay compare: " + e.getMessage());
                return 1;
            }
            spec.commandLine().getOut().println("replay compare: " + a + " vs " + b + " in " + file);
            return 0;
        }
    }
}
