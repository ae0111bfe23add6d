package org.fmfstream.jobs.simulator;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.fmfstream.jobs.console.DurationConverter;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.jobs.feed.SinkFactory;
import org.fmfstream.jobs.kafka.KafkaOptions;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.RecordPublisher;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.schemas.Topics;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./fmf simulate}: publishes simulated furnaces (frames with masks, currents) to Kafka. */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Simulates fused-magnesia furnaces - shell camera frames with ground-truth masks of burn-through "
                        + "episodes, three-phase electrode currents - and publishes them to Kafka.",
                "Same seed and settings give the same records (with --fast or a fixed --start)."})
public final class SimulateCommand implements Callable<Integer> {
    private static final SimulatorConfig DEFAULTS = SimulatorConfig.builder().build();

    @Spec
    private CommandSpec spec;

    @Option(names = "--furnaces", description = "Number of furnaces, ids F01.. (default: ${DEFAULT-VALUE}).")
    private int furnaces = DEFAULTS.furnaces();

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Simulated time span, e.g. 60s, 10m, 2h (default: 1h).")
    private Duration duration = DEFAULTS.duration();

    @Option(names = "--seed", description = "Master seed (default: ${DEFAULT-VALUE}).")
    private long seed = DEFAULTS.seed();

    @ArgGroup(exclusive = true)
    private Pace pace;

    @Option(names = "--start",
            description = "Simulated start time, ISO-8601 (e.g. 2024-01-01T00:00:00Z). Default: now with "
                    + "--realtime, 2024-01-01T00:00:00Z with --fast.")
    private Instant start;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Option(names = "--video-topic", description = "Topic for frames (default: ${DEFAULT-VALUE}).")
    private String videoTopic = Topics.VIDEO_FRAMES;

    @Option(names = "--current-topic", description = "Topic for current samples (default: ${DEFAULT-VALUE}).")
    private String currentTopic = Topics.CURRENT_SAMPLES;

    @Option(names = "--fps", description = "Camera frames per second (default: ${DEFAULT-VALUE}).")
    private double fps = DEFAULTS.fps();

    @Option(names = "--width", description = "Frame width in pixels (default: ${DEFAULT-VALUE}).")
    private int width = DEFAULTS.frameWidth();

    @Option(names = "--height", description = "Frame height in pixels (default: ${DEFAULT-VALUE}).")
    private int height = DEFAULTS.frameHeight();

    @Option(names = "--current-rate", paramLabel = "HZ",
            description = "Current readings per second (default: ${DEFAULT-VALUE}).")
    private double currentRate = DEFAULTS.currentRateHz();

    @Option(names = "--readings-per-sample",
            description = "Readings per published CurrentSample (default: ${DEFAULT-VALUE}).")
    private int readingsPerSample = DEFAULTS.readingsPerSample();

    @Option(names = "--episodes-per-hour",
            description = "Mean burn-through episodes per furnace and hour (default: ${DEFAULT-VALUE}).")
    private double episodesPerHour = DEFAULTS.episodesPerHour();

    @Option(names = "--min-episode-length", converter = DurationConverter.class,
            description = "Shortest episode (default: 30s).")
    private Duration minEpisodeLength = DEFAULTS.minEpisodeLength();

    @Option(names = "--max-episode-length", converter = DurationConverter.class,
            description = "Longest episode (default: 3m).")
    private Duration maxEpisodeLength = DEFAULTS.maxEpisodeLength();

    @Option(names = "--mist-severity",
            description = "0 = dry shell .. 1 = frequent, dense heavy mist (default: ${DEFAULT-VALUE}).")
    private double mistSeverity = DEFAULTS.mistSeverity();

    @Option(names = "--look-variety",
            description = "0 = one neutral camera for all furnaces .. 1 = each furnace its own camera look "
                    + "(exposure, balance, vignetting, blur, noise, compression, zoom, tilt) and often a "
                    + "harmless reflection on the shell (default: ${DEFAULT-VALUE}).")
    private double lookVariety = DEFAULTS.lookVariety();

    @Option(names = "--current-lead", converter = DurationConverter.class,
            description = "How much earlier the current regime changes than the visible hot spot; negative "
                    + "(e.g. -10s) = later (default: 10s).")
    private Duration currentLead = Duration.ofMillis(Math.round(DEFAULTS.currentLeadSeconds() * 1000));

    @Option(names = "--max-clock-skew-ms",
            description = "Largest camera-vs-PLC clock offset of a furnace, ms (default: ${DEFAULT-VALUE}).")
    private double maxClockSkewMillis = DEFAULTS.maxClockSkewMillis();

    @Option(names = "--clock-jitter-ms",
            description = "Frame timestamp jitter, +- ms (default: ${DEFAULT-VALUE}).")
    private double clockJitterMillis = DEFAULTS.clockJitterMillis();

    @Option(names = "--drop-fraction", description = "Share of frames dropped (default: ${DEFAULT-VALUE}).")
    private double dropFraction = DEFAULTS.droppedFrameFraction();

    @Option(names = "--out-of-order-fraction",
            description = "Share of records overtaken by 1-3 successors (default: ${DEFAULT-VALUE}).")
    private double outOfOrderFraction = DEFAULTS.outOfOrderFraction();

    @Option(names = "--late-fraction",
            description = "Share of records held back by --lateness (default: ${DEFAULT-VALUE}).")
    private double lateFraction = DEFAULTS.lateFraction();

    @Option(names = "--lateness", converter = DurationConverter.class,
            description = "How long a late record is held back (default: 5s).")
    private Duration lateness = DEFAULTS.lateness();

    @Option(names = "--export", paramLabel = "DIR",
            description = "Write the simulation to DIR in the public benchmark layout (videos/*.mat, timestamps/, "
                    + "currents/, train.json or test.json) instead of publishing to Kafka.")
    private Path exportDir;

    @Option(names = "--export-split", paramLabel = "train|test",
            description = "Split file the exported frame indexes go to (default: ${DEFAULT-VALUE}).")
    private BenchmarkLayout.Split exportSplit = BenchmarkLayout.Split.TRAIN;

    @Option(names = "--export-stride", paramLabel = "N",
            description = "List every N-th frame index in the split file (default: ${DEFAULT-VALUE}).")
    private int exportStride = 1;

    @Option(names = "--progress-every", converter = DurationConverter.class,
            description = "Wall time between progress lines (default: 10s).")
    private Duration progressEvery = Duration.ofSeconds(10);

    static final class Pace {
        @Option(names = "--realtime", description = "Publish in step with the wall clock (the default).")
        boolean realtime;

        @Option(names = "--fast", description = "Publish as fast as Kafka takes the records.")
        boolean fast;
    }

    private final SinkFactory sinks;

    public SimulateCommand() {
        this(SinkFactory.kafka());
    }

    SimulateCommand(SinkFactory sinks) {
        this.sinks = sinks;
    }

    @Override
    public Integer call() {
        boolean realtime = exportDir == null && (pace == null || !pace.fast);
        SimulatorConfig config;
        Simulation simulation;
        try {
            config = config(realtime);
            simulation = Simulation.of(config);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (exportDir != null) {
            return export(simulation);
        }
        if (videoTopic.isBlank() || currentTopic.isBlank()) {
            throw new ParameterException(spec.commandLine(), "topic names must not be blank");
        }
        if (progressEvery.isNegative() || progressEvery.isZero()) {
            throw new ParameterException(spec.commandLine(), "--progress-every must be positive, got " + progressEvery);
        }
        KafkaSettings kafka;
        try {
            kafka = kafkaOptions.settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }

        PrintWriter out = spec.commandLine().getOut();
        out.printf("Simulating %d furnace(s) for %s %s from %s, seed %d, publishing to %s (%s, %s)%n",
                config.furnaces(), RunSummary.format(config.duration()), realtime ? "in real time" : "as fast as possible",
                Instant.ofEpochSecond(Math.floorDiv(config.startEpochMicros(), 1_000_000L),
                        Math.floorMod(config.startEpochMicros(), 1_000_000L) * 1000), config.seed(), kafka.bootstrapServers(),
                videoTopic, currentTopic);
        for (FurnaceSimulation f : simulation.furnaces()) {
            out.printf("  %s: %d episodes, camera clock skew %+.1f ms%n", f.furnaceId(), f.episodes().size(),
                    f.cameraSkewMicros() / 1000.0);
        }
        out.flush();

        SimulationRun run = SimulationRun.of(simulation)
                .onProgress(progressEvery, s -> {
                    out.println("  ... " + s.progressLine());
                    out.flush();
                });
        if (realtime) {
            run.realtime();
        } else {
            run.fast();
        }
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C stops the run cleanly: what was sent is flushed and the summary still printed.
        Thread stopOnExit = new Thread(() -> {
            run.stop();
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fmf-simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try (FurnaceRecordSink sink = sinks.open(kafka, videoTopic, currentTopic)) {
            RunSummary summary = run.deliverTo(sink);
            out.print(summary.report());
            out.flush();
            return 0;
        } catch (RecordPublisher.PublishException | KafkaException e) {
            spec.commandLine().getErr().println("simulate: Kafka failed: " + e.getMessage());
            return 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting (Ctrl-C); the hook is already running and will return now.
            }
        }
    }

    private int export(Simulation simulation) {
        if (pace != null && pace.realtime) {
            throw new ParameterException(spec.commandLine(), "--export writes files as fast as possible; drop --realtime");
        }
        PrintWriter out = spec.commandLine().getOut();
        SimulationExport export;
        try {
            export = new SimulationExport(simulation, exportDir, exportSplit, exportStride);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        out.printf("Exporting %d furnace(s), %s each, seed %d, to %s (benchmark layout, %s)%n",
                simulation.config().furnaces(), RunSummary.format(simulation.config().duration()),
                simulation.config().seed(), exportDir, exportSplit.fileName());
        out.flush();
        try {
            export.write(line -> {
                out.println("  " + line);
                out.flush();
            });
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("simulate: export to " + exportDir + " failed: " + e.getMessage());
            return 1;
        }
    }

    private SimulatorConfig config(boolean realtime) {
        SimulatorConfig.Builder b = SimulatorConfig.builder()
                .furnaces(furnaces)
                .seed(seed)
                .duration(duration)
                .fps(fps)
                .frameSize(width, height)
                .currentRateHz(currentRate)
                .readingsPerSample(readingsPerSample)
                .episodesPerHour(episodesPerHour)
                .episodeLength(minEpisodeLength, maxEpisodeLength)
                .mistSeverity(mistSeverity)
                .lookVariety(lookVariety)
                .currentLeadSeconds(currentLead.toNanos() / 1e9)
                .maxClockSkewMillis(maxClockSkewMillis)
                .clockJitterMillis(clockJitterMillis)
                .droppedFrameFraction(dropFraction)
                .outOfOrderFraction(outOfOrderFraction)
                .lateFraction(lateFraction)
                .lateness(lateness);
        if (start != null) {
            b.start(start);
        } else if (realtime && exportDir == null) {
            b.start(Instant.now());
        }
        return b.build();
    }
}
