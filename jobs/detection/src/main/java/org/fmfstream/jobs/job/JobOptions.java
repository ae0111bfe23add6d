package org.fmfstream.jobs.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.operators.infer.InferenceConfig;
import org.fmfstream.schemas.Topics;

/**
 * Every key of the streaming job's configuration, each defined once as a Flink {@link ConfigOption}
 * (name, type, default, description) together with its command-line flag. Everything else is
 * derived from here: the defaults {@link JobConfig} starts from, the flags of {@link JobFlags}, the
 * key table in jobs/detection/README.md and the example {@code fmf/job.properties} (tests keep both equal to
 * these definitions). {@link JobConfig} checks the values and turns them into the job's settings.
 */
public final class JobOptions {
    /** The flag that sets a key on the command line, and the placeholder its help shows. */
    public record Flag(String name, String paramLabel) {}

    private static final Map<ConfigOption<?>, Optional<Flag>> OPTIONS = new LinkedHashMap<>();

    // --- Kafka ---
    public static final ConfigOption<String> BOOTSTRAP_SERVERS = define("--bootstrap-servers", "HOST:PORT",
            key("bootstrap.servers").stringType().defaultValue("127.0.0.1:9092")
                    .withDescription("Kafka bootstrap servers"));
    public static final ConfigOption<String> KAFKA_CONFIG = define("--kafka-config", "FILE",
            key("kafka.config").stringType().noDefaultValue()
                    .withDescription("properties file of Kafka client settings (`security.protocol`, `sasl.*`,"
                            + " `ssl.*`) for every consumer and producer"));

    // --- Topics ---
    public static final ConfigOption<String> TOPIC_FRAMES = define("--frames-topic", "TOPIC",
            key("topic.frames").stringType().defaultValue(Topics.VIDEO_FRAMES).withDescription("input `VideoFrame`s"));
    public static final ConfigOption<String> TOPIC_CURRENTS = define("--currents-topic", "TOPIC",
            key("topic.currents").stringType().defaultValue(Topics.CURRENT_SAMPLES)
                    .withDescription("input `CurrentSample`s"));
    public static final ConfigOption<String> TOPIC_EVENTS = define("--events-topic", "TOPIC",
            key("topic.events").stringType().defaultValue(Topics.ANOMALY_EVENTS)
                    .withDescription("output `AnomalyEvent`s"));
    public static final ConfigOption<String> TOPIC_MASKS = define("--masks-topic", "TOPIC",
            key("topic.masks").stringType().defaultValue(Topics.ANOMALY_MASKS).withDescription("output `AnomalyMask`s"));
    public static final ConfigOption<String> TOPIC_DEAD_LETTERS = define("--deadletters-topic", "TOPIC",
            key("topic.deadletters").stringType().defaultValue(Topics.DEAD_LETTERS)
                    .withDescription("output `DeadLetter`s"));

    // --- Input ---
    public static final ConfigOption<String> GROUP_ID = define("--group-id", "ID",
            key("group.id").stringType().defaultValue("fmf-anomaly-job")
                    .withDescription("consumer group; offsets committed on checkpoints"));
    public static final ConfigOption<String> START_FROM = define("--start-from", "POS",
            key("start.from").stringType().defaultValue("committed")
                    .withDescription("without a checkpoint: `earliest`, `latest`, `committed` (earliest where the"
                            + " group has no offset), `timestamp:<ms>`"));
    public static final ConfigOption<String> STOP_AT = define("--stop-at", "POS",
            key("stop.at").stringType().defaultValue("none")
                    .withDescription("where the sources stop: `none` (run until cancelled), `latest` (each"
                            + " partition's end offset when the job starts: it reads what is there, writes its"
                            + " results, takes a final checkpoint that commits them and finishes; replays, tests),"
                            + " `timestamp:<ms>` (before the first record at or after it); a job restored from a"
                            + " checkpoint keeps the boundedness it was checkpointed with (Kafka splits carry it)"));
    public static final ConfigOption<Integer> PARALLELISM = define("--parallelism", "N",
            key("parallelism").intType().defaultValue(1)
                    .withDescription("parallelism of every operator (1 to 1024)"));
    public static final ConfigOption<Duration> WINDOW_HOP = define("--hop", "DURATION",
            key("window.hop").durationType().defaultValue(Duration.ofSeconds(1))
                    .withDescription("hop between scored windows of one furnace (> 0)"));
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = define("--out-of-orderness", "DURATION",
            key("watermark.out-of-orderness").durationType().defaultValue(Duration.ofSeconds(2))
                    .withDescription("how far a furnace's frames (or readings) may arrive out of order: a window"
                            + " is scored once both its furnace's streams are this far past it, a record this far"
                            + " behind its stream is late; also the per-partition watermarks' bound"));
    public static final ConfigOption<Duration> IDLENESS = define("--idleness", "DURATION",
            key("watermark.idleness").durationType().defaultValue(Duration.ofSeconds(5))
                    .withDescription("a partition silent this long stops holding the watermark back"
                            + " (`0s` = never)"));
    public static final ConfigOption<Duration> INCOMPLETE_WAIT = define("--incomplete-wait", "DURATION",
            key("window.incomplete-wait").durationType().defaultValue(Duration.ofSeconds(5))
                    .withDescription("a furnace whose camera or PLC has stalled has its windows closed (degraded)"
                            + " once the joint watermark is this far past them"));
    public static final ConfigOption<Duration> MAX_FUTURE = define("--max-future", "DURATION",
            key("input.max-future").durationType().defaultValue(Duration.ofHours(1))
                    .withDescription("event times further ahead of the wall clock become `FAR_FUTURE_TIMESTAMP`"
                            + " dead letters"));
    public static final ConfigOption<String> FURNACES = define("--furnaces", "ID,ID",
            key("input.furnaces").stringType().noDefaultValue()
                    .withDescription("comma-separated allow-list; other furnaces become `UNKNOWN_FURNACE` dead"
                            + " letters; empty = any well-formed id"));
    public static final ConfigOption<String> CLOCK_OFFSETS = define(null, null,
            key("input.clock-offsets").stringType().noDefaultValue()
                    .withDescription("per furnace, offset added to PLC times to put them on the camera clock:"
                            + " `F01=+250ms,F02=-1s`; furnaces not named: 0"));
    public static final ConfigOption<String> CURRENT_RANGE = define("--current-range", "MIN..MAX",
            key("input.current-range").stringType().defaultValue("-1000..60000")
                    .withDescription("plausible current readings in amperes; a block with a reading outside"
                            + " becomes an `IMPLAUSIBLE_VALUE` dead letter (non-finite readings are `INVALID`"
                            + " already)"));

    // --- Windows and model ---
    public static final ConfigOption<Integer> BATCH_SIZE = define("--batch-size", "N",
            key("inference.batch-size").intType().defaultValue(InferenceConfig.DEFAULT_BATCH_SIZE)
                    .withDescription("windows per model call (1 to 4096)"));
    public static final ConfigOption<Duration> BATCH_TIMEOUT = define("--batch-timeout", "DURATION",
            key("inference.batch-timeout").durationType().defaultValue(InferenceConfig.DEFAULT_BATCH_TIMEOUT)
                    .withDescription("longest a partial batch waits"));
    public static final ConfigOption<Duration> BUFFER_TIMEOUT = define("--buffer-timeout", "DURATION",
            key("network.buffer-timeout").durationType().defaultValue(Duration.ofMillis(5))
                    .withDescription("longest a record waits in a network buffer between operators before it is sent"
                            + " (Flink's execution.buffer-timeout.interval, 100 ms there): a 2 Hz current reading that"
                            + " completes a window, or an event, would otherwise wait for a buffer to fill"));
    public static final ConfigOption<String> MODEL_PATH = define("--model", "FILE",
            key("model.path").stringType().noDefaultValue()
                    .withDescription("a saved model directory (trained, calibrated or imported with"
                            + " `./fmf import-weights`) or a TorchScript `.pt` file; its configuration also sets"
                            + " the clip sampling rate the aligner cuts clips at; empty = the shipped model"));
    public static final ConfigOption<String> MODEL_SHA256 = define("--model-sha256", "HEX",
            key("model.sha256").stringType().noDefaultValue()
                    .withDescription("expected SHA-256 of the model file, 64 hex digits; empty = no check"));
    public static final ConfigOption<DeviceChoice> DEVICE = define("--device", "auto|cpu|gpu",
            key("model.device").enumType(DeviceChoice.class).defaultValue(DeviceChoice.AUTO)
                    .withDescription("`auto` (GPU when present), `cpu`, `gpu` (fail without one)"));
    public static final ConfigOption<Double> THRESHOLD = define("--threshold", "P",
            key("threshold").doubleType().noDefaultValue()
                    .withDescription("overrides the probability threshold of the model's decision rule, in"
                            + " (0, 1) (see [Decisions](#decisions)); empty = the model's"));
    public static final ConfigOption<Integer> MIN_MASK_PIXELS = define("--min-mask-pixels", "N",
            key("min-mask-pixels").intType().noDefaultValue()
                    .withDescription("overrides the rule's minimum of mask pixels at P ≥ 0.5, 0 to 4096 (0 = class"
                            + " evidence alone); empty = the model's"));
    public static final ConfigOption<Boolean> EMIT_DEGRADED = define("--emit-degraded", "true|false",
            key("emit.degraded").booleanType().defaultValue(true)
                    .withDescription("score windows with a missing modality (marked degraded)"));

    // --- Output and fault tolerance ---
    public static final ConfigOption<String> DELIVERY = define("--delivery", "exactly-once|at-least-once",
            key("delivery").stringType().defaultValue("exactly-once")
                    .withDescription("`exactly-once` (Kafka transactions committed on checkpoints; read with"
                            + " `read_committed`) or `at-least-once`"));
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = define("--transactional-id-prefix", "PREFIX",
            key("transactional.id.prefix").stringType().noDefaultValue()
                    .withDescription("prefix of the sinks' transactional ids; unique per job on a cluster;"
                            + " empty = `group.id`"));
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = define("--transaction-timeout", "DURATION",
            key("transaction.timeout").durationType().defaultValue(Duration.ofMinutes(10))
                    .withDescription("the sinks' `transaction.timeout.ms`; at most 15 min (the broker's default"
                            + " `transaction.max.timeout.ms`) and, for exactly-once, longer than"
                            + " `checkpoint.interval`"));
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = define("--checkpoint-interval", "DURATION",
            key("checkpoint.interval").durationType().defaultValue(Duration.ofSeconds(1))
                    .withDescription("checkpoint interval (> 0); exactly-once output becomes visible at this pace"
                            + " (1 s adds at most about a second to what a read_committed reader waits)"));
    public static final ConfigOption<String> CHECKPOINT_DIR = define("--checkpoint-dir", "DIR",
            key("checkpoint.dir").stringType().defaultValue(".fmf/checkpoints")
                    .withDescription("checkpoint directory: a local path (made absolute) or a URI (`s3://`,"
                            + " `hdfs://`)"));

    // --- Metrics ---
    public static final ConfigOption<String> PROMETHEUS_PORT = define("--prometheus-port", "PORT[-PORT]",
            key("metrics.prometheus.port").stringType().defaultValue("9249-9259")
                    .withDescription("Flink's Prometheus reporter in the embedded job: every metric at"
                            + " `http://HOST:PORT/metrics` on the first free port of the range (all interfaces);"
                            + " empty = none (a cluster configures its own)"));

    /** Prefix of pass-through Kafka client properties ({@code kafka.security.protocol=SASL_SSL}). */
    public static final String KAFKA_PREFIX = "kafka.";

    private JobOptions() {}

    private static <T> ConfigOption<T> define(String flag, String paramLabel, ConfigOption<T> option) {
        OPTIONS.put(option, flag == null ? Optional.empty() : Optional.of(new Flag(flag, paramLabel)));
        return option;
    }

    /** Every option, in the order of jobs/detection/README.md's table and the example file. */
    public static List<ConfigOption<?>> all() {
        return List.copyOf(OPTIONS.keySet());
    }

    /** The flag that sets {@code option}; empty for a key reached with {@code --set} only. */
    public static Optional<Flag> flag(ConfigOption<?> option) {
        return OPTIONS.get(option);
    }

    /** Every key with its default as a configuration file writes it (empty for no default). */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        for (ConfigOption<?> o : OPTIONS.keySet()) {
            d.put(o.key(), defaultText(o));
        }
        return Collections.unmodifiableMap(d);
    }

    /** The description as written (Markdown: `code` spans, links). */
    public static String description(ConfigOption<?> option) {
        StringBuilder s = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (block instanceof TextElement text) {
                s.append(text.getFormat());
            }
        }
        return s.toString();
    }

    /** One row of jobs/detection/README.md's key table: key, flag, default, meaning. */
    public static String markdownRow(ConfigOption<?> option) {
        String flag = flag(option).map(f -> "`" + f.name() + "`").orElse("`--set " + option.key() + "=...`");
        String def = option.hasDefaultValue() ? "`" + defaultText(option) + "`" : "(empty)";
        return "| `" + option.key() + "` | " + flag + " | " + def + " | " + description(option) + " |";
    }

    /** The option's default as a configuration file writes it; empty for an option without one. */
    public static String defaultText(ConfigOption<?> option) {
        return option.hasDefaultValue() ? text(option.defaultValue()) : "";
    }

    /** A value as a configuration file or flag writes it: {@code 500ms}, {@code 10m}, {@code auto}. */
    static String text(Object value) {
        if (value instanceof Duration d) {
            return durationText(d);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return String.valueOf(value);
    }

    private static String durationText(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
