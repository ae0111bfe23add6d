package org.fmfstream.jobs.job;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.operators.align.AlignerConfig;
import org.fmfstream.operators.align.ClipAligner;
import org.fmfstream.operators.infer.FmFormerInference;
import org.fmfstream.operators.infer.InferenceConfig;
import org.fmfstream.operators.input.CurrentBlock;
import org.fmfstream.operators.input.FurnaceFrame;
import org.fmfstream.operators.output.AnomalyEventEncoder;
import org.fmfstream.operators.output.AnomalyMaskEncoder;
import org.fmfstream.operators.output.NonFiniteOutputs;
import org.fmfstream.operators.records.RecordCodecTypeInfo;
import org.fmfstream.operators.input.FurnaceDeserializer;
import org.fmfstream.operators.input.FurnaceSources;
import org.fmfstream.operators.input.Ingested;
import org.fmfstream.operators.window.AlignedWindow;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.DeadLetter;

/**
 * The detection job a plant runs 24/7:
 *
 * <pre>
 * frames   --decode--+                                        +--> AnomalyEvent --> events topic
 *                    +--keyBy furnace--> ClipAligner --> FmFormerInference --+
 * currents --decode--+   (event time)     (windows)     (micro-batches)    +--> AnomalyMask  --> masks topic
 *     \________ undecodable, far-future, unknown furnace, late ________________> dead letters topic
 * </pre>
 *
 * <p>Every stateful operator has a fixed uid, so a savepoint taken with one model version restores
 * into the next (docs: upgrading a model). Masks are written for windows decided ANOMALY only: a
 * normal window's mask is noise to every consumer, and would multiply the masks topic's volume by
 * the inverse anomaly rate.
 *
 * <p>The decision is the model's {@link DecisionRule} (its calibrated {@code decision.properties},
 * or the reference rule), with the job's {@code threshold} / {@code min-mask-pixels} overrides; it is
 * resolved once where the job graph is built ({@link #decisionRule}) and applied by
 * {@code WindowDecision} in both encoders. Windows whose video is missing are UNDECIDED.
 */
public final class FurnaceAnomalyJob {

    public static final String JOB_NAME = "fmf-anomaly-detection";

    private FurnaceAnomalyJob() {}

    /** Adds the job's operators to {@code env}, reading and writing the Kafka topics of {@code config}. */
    public static void define(StreamExecutionEnvironment env, JobConfig config) {
        define(env, config, JobIO.kafka(config), null);
    }

    /**
     * Adds the job's operators to {@code env}, reading from and writing to {@code io}; when
     * {@code keep} is not null, only scored windows it accepts become events and masks (a replay
     * drops the windows of its warm-up span before {@code --from}, which it reads only so that the
     * first windows in range are complete).
     */
    public static void define(StreamExecutionEnvironment env, JobConfig config, JobIO io,
                              FilterFunction<ScoredWindow> keep) {
        // Event time comes from the decoded record, whichever source delivered it.
        FurnaceDeserializer<?, FurnaceFrame> frameDecoder = FurnaceSources.frameDeserializer(config.inputRules());
        FurnaceDeserializer<?, CurrentBlock> currentDecoder = FurnaceSources.currentDeserializer(config.inputRules());

        DataStream<Ingested<FurnaceFrame>> rawFrames = env.fromSource(io.frames(),
                        FurnaceSources.watermarks(frameDecoder, config.outOfOrderness(), config.idleness()),
                        "frames: " + config.framesTopic(), frameDecoder.getProducedType())
                .uid("source-frames");
        DataStream<Ingested<CurrentBlock>> rawCurrents = env.fromSource(io.currents(),
                        FurnaceSources.watermarks(currentDecoder, config.outOfOrderness(), config.idleness()),
                        "currents: " + config.currentsTopic(), currentDecoder.getProducedType())
                .uid("source-currents");

        SingleOutputStreamOperator<FurnaceFrame> frames = FurnaceSources.split(rawFrames, FurnaceFrame.class, "decode frames");
        frames.uid("decode-frames");
        SingleOutputStreamOperator<CurrentBlock> currents =
                FurnaceSources.split(rawCurrents, CurrentBlock.class, "decode currents");
        currents.uid("decode-currents");

        SingleOutputStreamOperator<AlignedWindow> windows = frames
                .keyBy(f -> f.furnaceId)
                .connect(currents.keyBy(c -> c.furnaceId))
                .process(new ClipAligner(alignerConfig(config)))
                .name("align clips and current")
                .uid("clip-aligner");

        DataStream<DeadLetter> late = windows.getSideOutput(ClipAligner.LATE_FRAMES)
                .map(new LateRecords.Frames(config.framesTopic()), RecordCodecTypeInfo.deadLetters())
                .name("late frames")
                .uid("late-frames")
                .union(windows.getSideOutput(ClipAligner.LATE_CURRENT)
                        .map(new LateRecords.Currents(config.currentsTopic()), RecordCodecTypeInfo.deadLetters())
                        .name("late current")
                        .uid("late-current"));

        InferenceConfig inference = inferenceConfig(config);
        SingleOutputStreamOperator<ScoredWindow> inferred = FmFormerInference.apply(windows, inference);
        inferred.uid("fmformer-inference");
        DataStream<ScoredWindow> inRange = keep == null ? inferred
                : inferred.filter(keep).name("windows in range").uid("filter-range");
        // A window whose model output is not finite becomes a dead letter, not a failed job.
        SingleOutputStreamOperator<ScoredWindow> scored = inRange
                .process(new NonFiniteOutputs(config.eventsTopic()))
                .name("finite model outputs")
                .uid("check-model-outputs");

        // DecisionRule is not Serializable: the functions carry its two numbers.
        DecisionRule rule = decisionRule(config);
        double threshold = rule.threshold();
        int minMaskPixels = rule.minMaskPixels();
        scored.map(w -> AnomalyEventEncoder.encode(w, new DecisionRule(threshold, minMaskPixels)),
                        RecordCodecTypeInfo.anomalyEvents())
                .name("encode events")
                .uid("encode-events")
                .sinkTo(io.events())
                .name("events: " + config.eventsTopic())
                .uid("sink-events");
        scored.filter(w -> AnomalyMaskEncoder.shouldEmit(w, new DecisionRule(threshold, minMaskPixels)))
                .name("anomalous windows")
                .uid("filter-anomalous")
                .map(AnomalyMaskEncoder::encode, RecordCodecTypeInfo.anomalyMasks())
                .name("encode masks")
                .uid("encode-masks")
                .sinkTo(io.masks())
                .name("masks: " + config.masksTopic())
                .uid("sink-masks");

        frames.getSideOutput(FurnaceSources.DEAD_LETTERS)
                .union(currents.getSideOutput(FurnaceSources.DEAD_LETTERS), late,
                        scored.getSideOutput(FurnaceSources.DEAD_LETTERS))
                .sinkTo(io.deadLetters())
                .name("dead letters: " + config.deadLettersTopic())
                .uid("sink-deadletters");
    }

    /**
     * The aligner's settings from the job's configuration, and the clip frame stride from the model
     * (a model trained or imported with sampling rate s sees frames i-9s .. i, so the aligner keeps
     * 9s + 1 frames of history and cuts its clips from them).
     */
    public static AlignerConfig alignerConfig(JobConfig config) {
        return AlignerConfig.builder()
                .samplingRate(inferenceConfig(config).modelSamplingRate())
                .hop(config.hop())
                .emitDegraded(config.emitDegraded())
                .outOfOrderness(config.outOfOrderness())
                .incompleteWait(config.incompleteWait())
                .clockOffsetsMicros(config.clockOffsetsMicros())
                .build();
    }

    /**
     * The inference settings. Intra-op threads: the TaskManager's cores shared by the inference
     * subtasks, resolved on the TaskManager ({@link InferenceConfig#THREADS_PER_SUBTASK}), so parallel
     * subtasks do not oversubscribe whatever machine submitted the job.
     */
    public static InferenceConfig inferenceConfig(JobConfig config) {
        String path = config.modelPath() == null ? InferenceConfig.SHIPPED : config.modelPath().toString();
        String sha = config.modelSha256() == null || config.modelSha256().isBlank() ? null : config.modelSha256();
        return InferenceConfig.of(path, sha, null)
                .withDevice(config.device())
                .withBatching(config.batchSize(), config.batchTimeout())
                .withIntraOpThreads(InferenceConfig.THREADS_PER_SUBTASK);
    }

    /**
     * The decision rule the job applies: the model's own ({@code decision.properties} in a saved
     * model's directory or next to the shipped model in the jar; {@link DecisionRule#REFERENCE} when
     * there is none, and for a TorchScript file) with the job's {@code threshold} and
     * {@code min-mask-pixels} overrides. Read where the job graph is built; when both are overridden
     * the model is not read.
     *
     * @throws IllegalArgumentException naming {@code model.path} when the model's rule cannot be read here
     */
    public static DecisionRule decisionRule(JobConfig config) {
        if (config.decisionRuleOverridden()) {
            return config.decisionRule(DecisionRule.REFERENCE);
        }
        DecisionRule model;
        try {
            model = inferenceConfig(config).modelDecisionRule();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException("model.path: cannot read the model's decision rule ("
                    + DecisionRule.FILE + ") where the job is built: " + e.getMessage()
                    + "; make the model readable here, or set both threshold and min-mask-pixels", e);
        }
        return config.decisionRule(model);
    }

    /**
     * The rule in force in words, each part marked {@code model} or {@code override}:
     * {@code decision P >= 0.5 (model) and mask pixels >= 0 (model), video missing = UNDECIDED}.
     */
    public static String describeRule(JobConfig config, DecisionRule rule) {
        return String.format(Locale.ROOT, "decision P >= %s (%s) and mask pixels >= %d (%s), video missing = UNDECIDED",
                BigDecimal.valueOf(rule.threshold()).stripTrailingZeros().toPlainString(),
                config.threshold().isPresent() ? "override" : "model",
                rule.minMaskPixels(), config.minMaskPixels().isPresent() ? "override" : "model");
    }

    /**
     * Checkpointing as configured: exactly-once barriers at the interval, storage in the checkpoint
     * directory, checkpoints kept when the job is cancelled so that it can be restarted from them;
     * and the network buffer timeout.
     */
    public static Configuration flinkConfiguration(JobConfig config) {
        Configuration flink = new Configuration();
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        flink.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointStorageUri());
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        flink.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, true);
        flink.set(ExecutionOptions.BUFFER_TIMEOUT, config.bufferTimeout());
        return flink;
    }

    /**
     * An embedded Flink (MiniCluster) on loopback only, for {@code ./fmf run}, {@code ./fmf demo}
     * and tests; {@code restoreFrom} is a retained checkpoint or savepoint path, or null.
     */
    public static StreamExecutionEnvironment embeddedEnvironment(JobConfig config, String restoreFrom) {
        Configuration flink = flinkConfiguration(config);
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        flink.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        flink.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        flink.set(TaskManagerOptions.HOST, "127.0.0.1");
        flink.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(1, config.parallelism()));
        if (restoreFrom != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        if (!config.prometheusPort().isEmpty()) {
            // Flink's own reporter: every metric of the job (the operators' windowsScored, batchSize,
            // inferenceTimeMs, windowsDegraded, lateRecords, ... and Flink's) at http://HOST:PORT/metrics.
            flink.setString("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            flink.setString("metrics.reporter.prom.port", config.prometheusPort());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), flink);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        return env;
    }

    /** The environment of the cluster the job is submitted to ({@code flink run}). */
    public static StreamExecutionEnvironment clusterEnvironment(JobConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        env.setParallelism(config.parallelism());
        return env;
    }

    /**
     * One line saying what the job will read, write, score with and how it decides.
     *
     * @throws IllegalArgumentException when the model's decision rule cannot be read ({@link #decisionRule})
     */
    public static String describe(JobConfig config) {
        return String.format(Locale.ROOT,
                "%s: %s -> %s, hop %s, batch %d / %s, model %s, %s, %s, checkpoints every %s in %s",
                JOB_NAME, config.framesTopic() + " + " + config.currentsTopic(), config.eventsTopic(),
                human(config.hop()), config.batchSize(), human(config.batchTimeout()),
                config.modelPath() == null ? "shipped" : config.modelPath(),
                describeRule(config, decisionRule(config)), config.delivery(),
                human(config.checkpointInterval()), config.checkpointStorageUri());
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
