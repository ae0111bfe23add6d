package org.fmfstream.jobs.job;

import static org.fmfstream.jobs.job.JobOptions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.console.DurationConverter;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.operators.output.SinkSettings;
import org.fmfstream.operators.input.InputRules;
import org.fmfstream.operators.input.SourceSettings;
import org.fmfstream.operators.input.StartingOffsets;

/**
 * The one typed configuration of the streaming job. Read from a properties file (every key and its
 * default: {@code fmf/job.properties} on the class path, documented in jobs/detection/README.md) and then
 * overridden by command-line flags ({@link JobOptions}). Every value is checked when loading; an
 * error names the key. Keys starting with {@code kafka.} are Kafka client properties passed through
 * to every consumer and producer ({@code kafka.security.protocol=SASL_SSL}), as are the entries of
 * the file named by {@code kafka.config}.
 */
public final class JobConfig {
    /** Every key with its default as a file writes it, in the order of the example file ({@link JobOptions}). */
    public static final Map<String, String> DEFAULTS = JobOptions.defaults();

    /** Pixels of the model's 64x64 mask: the most {@code min-mask-pixels} can ask for. */
    static final int MASK_PIXELS = 64 * 64;

    /** Kafka's default {@code transaction.max.timeout.ms} on the broker. */
    static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private final KafkaSettings kafka;
    private final Path kafkaConfigFile;
    private final String framesTopic;
    private final String currentsTopic;
    private final String eventsTopic;
    private final String masksTopic;
    private final String deadLettersTopic;
    private final String groupId;
    private final StartingOffsets startFrom;
    private final String stopAt;
    private final OffsetsInitializer stoppingOffsets;
    private final int parallelism;
    private final Duration hop;
    private final Duration outOfOrderness;
    private final Duration incompleteWait;
    private final Duration idleness;
    private final Duration maxFuture;
    private final Set<String> furnaces;
    private final Map<String, Long> clockOffsetsMicros;
    private final float[] currentRange;
    private final int batchSize;
    private final Duration batchTimeout;
    private final Duration bufferTimeout;
    private final Path modelPath;
    private final String modelSha256;
    private final DeviceChoice device;
    private final OptionalDouble threshold;
    private final OptionalInt minMaskPixels;
    private final boolean emitDegraded;
    private final DeliveryGuarantee delivery;
    private final String transactionalIdPrefix;
    private final Duration transactionTimeout;
    private final Duration checkpointInterval;
    private final String checkpointDir;
    private final String prometheusPort;

    private JobConfig(Map<String, String> v) {
        for (String key : v.keySet()) {
            if (!DEFAULTS.containsKey(key) && !key.startsWith(KAFKA_PREFIX)) {
                throw new IllegalArgumentException("unknown job configuration key '" + key + "'; known keys: "
                        + String.join(", ", DEFAULTS.keySet()) + ", and kafka.<client property>");
            }
        }
        String config = v.get(KAFKA_CONFIG.key());
        kafkaConfigFile = config.isBlank() ? null : Path.of(config.trim());
        Properties extra = new Properties();
        if (kafkaConfigFile != null) {
            if (!Files.isReadable(kafkaConfigFile)) {
                throw new IllegalArgumentException("kafka.config: " + kafkaConfigFile + " is not a readable file");
            }
            try (Reader in = Files.newBufferedReader(kafkaConfigFile)) {
                extra.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("kafka.config: cannot read " + kafkaConfigFile + ": " + e, e);
            }
        }
        for (Map.Entry<String, String> e : v.entrySet()) {
            if (e.getKey().startsWith(KAFKA_PREFIX) && !e.getKey().equals(KAFKA_CONFIG.key())) {
                extra.setProperty(e.getKey().substring(KAFKA_PREFIX.length()), e.getValue());
            }
        }
        String servers = text(v, BOOTSTRAP_SERVERS);
        kafka = new KafkaSettings(servers, extra);
        framesTopic = text(v, TOPIC_FRAMES);
        currentsTopic = text(v, TOPIC_CURRENTS);
        eventsTopic = text(v, TOPIC_EVENTS);
        masksTopic = text(v, TOPIC_MASKS);
        deadLettersTopic = text(v, TOPIC_DEAD_LETTERS);
        groupId = text(v, GROUP_ID);
        try {
            startFrom = StartingOffsets.parse(v.get(START_FROM.key()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("start.from: " + e.getMessage(), e);
        }
        stopAt = v.get(STOP_AT.key()).trim().toLowerCase(Locale.ROOT);
        stoppingOffsets = stoppingOffsets(stopAt, v.get(STOP_AT.key()));
        parallelism = integer(v, PARALLELISM, 1, 1024);
        hop = positive(v, WINDOW_HOP);
        outOfOrderness = nonNegative(v, OUT_OF_ORDERNESS);
        incompleteWait = nonNegative(v, INCOMPLETE_WAIT);
        idleness = nonNegative(v, IDLENESS);
        maxFuture = nonNegative(v, MAX_FUTURE);
        furnaces = new TreeSet<>();
        for (String f : v.get(FURNACES.key()).split(",")) {
            if (!f.isBlank()) {
                furnaces.add(f.trim());
            }
        }
        clockOffsetsMicros = clockOffsets(v.get(CLOCK_OFFSETS.key()));
        currentRange = currentRange(v.get(CURRENT_RANGE.key()));
        batchSize = integer(v, BATCH_SIZE, 1, 4096);
        batchTimeout = nonNegative(v, BATCH_TIMEOUT);
        bufferTimeout = nonNegative(v, BUFFER_TIMEOUT);
        String model = v.get(MODEL_PATH.key()).trim();
        modelPath = model.isEmpty() ? null : Path.of(model);
        modelSha256 = v.get(MODEL_SHA256.key()).trim().toLowerCase(Locale.ROOT);
        if (!modelSha256.isEmpty() && !modelSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("model.sha256: '" + v.get(MODEL_SHA256.key())
                    + "' is not a SHA-256 digest (64 hex digits)");
        }
        device = choice(v, DEVICE, DeviceChoice.class);
        if (v.get(THRESHOLD.key()).isBlank()) {
            threshold = OptionalDouble.empty();
        } else {
            double t = decimal(v, THRESHOLD);
            if (!(t > 0 && t < 1)) {
                throw new IllegalArgumentException("threshold: " + v.get(THRESHOLD.key()).trim()
                        + " is outside (0, 1); leave it empty to use the model's calibrated threshold");
            }
            threshold = OptionalDouble.of(t);
        }
        minMaskPixels = v.get(MIN_MASK_PIXELS.key()).isBlank() ? OptionalInt.empty()
                : OptionalInt.of(integer(v, MIN_MASK_PIXELS, 0, MASK_PIXELS));
        emitDegraded = bool(v, EMIT_DEGRADED);
        String d = v.get(DELIVERY.key()).trim().toLowerCase(Locale.ROOT);
        delivery = switch (d) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("delivery: '" + v.get(DELIVERY.key())
                    + "' is not exactly-once or at-least-once");
        };
        String prefix = v.get(TRANSACTIONAL_ID_PREFIX.key()).trim();
        transactionalIdPrefix = prefix.isEmpty() ? groupId : prefix;
        transactionTimeout = positive(v, TRANSACTION_TIMEOUT);
        if (transactionTimeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) > 0) {
            throw new IllegalArgumentException("transaction.timeout: " + v.get(TRANSACTION_TIMEOUT.key())
                    + " is above the broker's default transaction.max.timeout.ms of 15 min; the producer would be"
                    + " refused");
        }
        checkpointInterval = positive(v, CHECKPOINT_INTERVAL);
        if (delivery == DeliveryGuarantee.EXACTLY_ONCE && transactionTimeout.compareTo(checkpointInterval) <= 0) {
            throw new IllegalArgumentException("transaction.timeout (" + v.get(TRANSACTION_TIMEOUT.key())
                    + ") must be longer than checkpoint.interval (" + v.get(CHECKPOINT_INTERVAL.key())
                    + "): exactly-once transactions stay open from one checkpoint to the next");
        }
        checkpointDir = text(v, CHECKPOINT_DIR);
        prometheusPort = v.get(PROMETHEUS_PORT.key()).trim();
        if (!prometheusPort.isEmpty() && !prometheusPort.matches("\\d{1,5}(-\\d{1,5})?")) {
            throw new IllegalArgumentException("metrics.prometheus.port: '" + prometheusPort
                    + "' is not a port or a range PORT-PORT (empty = no reporter)");
        }
    }

    /** Every default. */
    public static JobConfig defaults() {
        return of(Map.of());
    }

    /** Defaults, overridden by {@code values} (keys as in {@link #DEFAULTS}, plus kafka.*). */
    public static JobConfig of(Map<String, String> values) {
        Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
        values.forEach((k, val) -> all.put(k.trim(), val == null ? "" : val.trim()));
        return new JobConfig(all);
    }

    /** Defaults, then the file (if not null), then the overrides (flags). */
    public static JobConfig load(Path file, Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("job configuration " + file + " is not a readable file");
            }
            try (Reader in = Files.newBufferedReader(file)) {
                all.putAll(asMap(in));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read job configuration " + file + ": " + e, e);
            }
        }
        all.putAll(overrides);
        return of(all);
    }

    /** The example shipped on the class path ({@code fmf/job.properties}), as a key/value map. */
    public static Map<String, String> example() {
        try (InputStream in = JobConfig.class.getResourceAsStream("/fmf/job.properties")) {
            if (in == null) {
                throw new IllegalStateException("fmf/job.properties is missing from the class path");
            }
            return asMap(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read fmf/job.properties", e);
        }
    }

    private static Map<String, String> asMap(Reader in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return m;
    }

    // --- parsing helpers, typed by the option; each error names its key ---

    private static String text(Map<String, String> v, ConfigOption<String> option) {
        String s = v.get(option.key()).trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(option.key() + ": a value is needed");
        }
        return s;
    }

    private static int integer(Map<String, String> v, ConfigOption<Integer> option, int min, int max) {
        String key = option.key();
        int n;
        try {
            n = Integer.parseInt(v.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v.get(key) + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + ": " + n + " is outside [" + min + ", " + max + "]");
        }
        return n;
    }

    private static double decimal(Map<String, String> v, ConfigOption<Double> option) {
        try {
            return Double.parseDouble(v.get(option.key()).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option.key() + ": '" + v.get(option.key()) + "' is not a number");
        }
    }

    private static boolean bool(Map<String, String> v, ConfigOption<Boolean> option) {
        String s = v.get(option.key()).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(option.key() + ": '" + v.get(option.key())
                    + "' is not true or false");
        };
    }

    private static <E extends Enum<E>> E choice(Map<String, String> v, ConfigOption<E> option, Class<E> type) {
        try {
            return Enum.valueOf(type, v.get(option.key()).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(option.key() + ": '" + v.get(option.key()) + "' is not one of " + names);
        }
    }

    /** {@code MIN..MAX} in amperes, e.g. {@code -1000..60000}. */
    private static float[] currentRange(String text) {
        String[] parts = text.trim().split("\\.\\.");
        try {
            if (parts.length == 2) {
                float min = Float.parseFloat(parts[0].trim());
                float max = Float.parseFloat(parts[1].trim());
                if (Float.isFinite(min) && Float.isFinite(max) && min < max) {
                    return new float[] {min, max};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("input.current-range: '" + text
                + "' is not MIN..MAX in amperes with MIN < MAX, e.g. -1000..60000");
    }

    private static Duration nonNegative(Map<String, String> v, ConfigOption<Duration> option) {
        String key = option.key();
        Duration d;
        try {
            d = DurationConverter.parse(v.get(key));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + ": " + v.get(key) + " is negative");
        }
        return d;
    }

    private static Duration positive(Map<String, String> v, ConfigOption<Duration> option) {
        Duration d = nonNegative(v, option);
        if (d.isZero()) {
            throw new IllegalArgumentException(option.key() + ": must be longer than zero");
        }
        return d;
    }

    // --- typed accessors ---

    public KafkaSettings kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Pass-through Kafka client properties (kafka.config file, then kafka.* keys). */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        p.putAll(kafka.extra());
        return p;
    }

    public Path kafkaConfigFile() {
        return kafkaConfigFile;
    }

    public String framesTopic() {
        return framesTopic;
    }

    public String currentsTopic() {
        return currentsTopic;
    }

    public String eventsTopic() {
        return eventsTopic;
    }

    public String masksTopic() {
        return masksTopic;
    }

    public String deadLettersTopic() {
        return deadLettersTopic;
    }

    public String groupId() {
        return groupId;
    }

    public StartingOffsets startFrom() {
        return startFrom;
    }

    /**
     * {@code stop.at} as configured: {@code none} (the job runs until cancelled), {@code latest} or
     * {@code timestamp:<ms>}.
     */
    public String stopAt() {
        return stopAt;
    }

    /** True when the sources stop at {@code stop.at} and the job finishes by itself. */
    public boolean bounded() {
        return stoppingOffsets != null;
    }

    /**
     * Where the sources stop: null for {@code none} (unbounded); {@code latest} = each partition's end
     * offset when the job starts (records produced later are not read); {@code timestamp:<ms>} = the
     * first record with a timestamp at or after it (that record excluded).
     */
    public OffsetsInitializer stoppingOffsets() {
        return stoppingOffsets;
    }

    private static OffsetsInitializer stoppingOffsets(String t, String raw) {
        if (t.equals("none")) {
            return null;
        }
        if (t.equals("latest")) {
            return OffsetsInitializer.latest();
        }
        if (t.startsWith("timestamp:")) {
            long ms;
            try {
                ms = Long.parseLong(t.substring("timestamp:".length()).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("stop.at: '" + raw + "' needs milliseconds since the epoch,"
                        + " e.g. timestamp:1767225600000");
            }
            if (ms < 0) {
                throw new IllegalArgumentException("stop.at: timestamp must be >= 0 ms since the epoch, got " + ms);
            }
            return OffsetsInitializer.timestamp(ms);
        }
        throw new IllegalArgumentException("stop.at: '" + raw + "' is not none, latest or timestamp:<ms>");
    }

    public int parallelism() {
        return parallelism;
    }

    public Duration hop() {
        return hop;
    }

    public Duration outOfOrderness() {
        return outOfOrderness;
    }

    public Duration incompleteWait() {
        return incompleteWait;
    }

    public Duration idleness() {
        return idleness;
    }

    public Duration maxFuture() {
        return maxFuture;
    }

    /** Plausible current readings in amperes, {min, max}; readings outside are IMPLAUSIBLE_VALUE dead letters. */
    public float[] currentRange() {
        return currentRange.clone();
    }

    /** Furnace allow-list; empty = any well-formed id. */
    public Set<String> furnaces() {
        return Set.copyOf(furnaces);
    }

    /**
     * Per furnace, microseconds added to PLC (current) times to put them on the camera's clock;
     * {@code input.clock-offsets=F01=+250ms,F02=-1s}. Furnaces not named have offset 0.
     */
    public Map<String, Long> clockOffsetsMicros() {
        return clockOffsetsMicros;
    }

    private static Map<String, Long> clockOffsets(String spec) {
        Map<String, Long> offsets = new TreeMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("input.clock-offsets: '" + entry.trim()
                        + "' is not FURNACE=OFFSET (e.g. F01=+250ms)");
            }
            String furnace = entry.substring(0, eq).trim();
            String offset = entry.substring(eq + 1).trim();
            boolean negative = offset.startsWith("-");
            String magnitude = offset.startsWith("-") || offset.startsWith("+") ? offset.substring(1) : offset;
            Duration d;
            try {
                d = DurationConverter.parse(magnitude);
            } catch (Exception e) {
                throw new IllegalArgumentException("input.clock-offsets: offset of " + furnace + " '" + offset
                        + "' is not a duration such as +250ms or -1s", e);
            }
            long micros = d.toNanos() / 1000;
            offsets.put(furnace, negative ? -micros : micros);
        }
        return java.util.Collections.unmodifiableMap(offsets);
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration batchTimeout() {
        return batchTimeout;
    }

    /** Longest a record waits in a network buffer (0 = every record is sent at once). */
    public Duration bufferTimeout() {
        return bufferTimeout;
    }

    /** Null = the model shipped with fmf-stream. */
    public Path modelPath() {
        return modelPath;
    }

    /** Lower-case hex digest the model file must have, or empty for no check. */
    public String modelSha256() {
        return modelSha256;
    }

    public DeviceChoice device() {
        return device;
    }

    /**
     * Override of the decision rule's probability threshold, in (0, 1); empty (the default) = the
     * model's calibrated threshold.
     */
    public OptionalDouble threshold() {
        return threshold;
    }

    /**
     * Override of the decision rule's minimum mask pixels (P >= 0.5), 0..4096; empty (the default) =
     * the model's calibrated minimum.
     */
    public OptionalInt minMaskPixels() {
        return minMaskPixels;
    }

    /** True when both parts of the decision rule are overridden, so the model's own rule is not needed. */
    public boolean decisionRuleOverridden() {
        return threshold.isPresent() && minMaskPixels.isPresent();
    }

    /** {@code modelRule} with this configuration's overrides applied. */
    public DecisionRule decisionRule(DecisionRule modelRule) {
        DecisionRule rule = modelRule;
        if (threshold.isPresent()) {
            rule = rule.withThreshold(threshold.getAsDouble());
        }
        if (minMaskPixels.isPresent()) {
            rule = rule.withMinMaskPixels(minMaskPixels.getAsInt());
        }
        return rule;
    }

    public boolean emitDegraded() {
        return emitDegraded;
    }

    public DeliveryGuarantee delivery() {
        return delivery;
    }

    /** Prefix of the sinks' transactional ids (default: the group id); each sink appends its name. */
    public String transactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    public Duration transactionTimeout() {
        return transactionTimeout;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** As configured: a local path or a URI ({@code s3://...}, {@code hdfs://...}). */
    /**
     * Port, or range whose first free port is taken, of Flink's Prometheus reporter in the embedded
     * job ({@code http://HOST:PORT/metrics}; the reporter listens on every interface); empty = none.
     */
    public String prometheusPort() {
        return prometheusPort;
    }

    public String checkpointDir() {
        return checkpointDir;
    }

    /** The checkpoint directory as Flink's checkpoint storage wants it: a URI, local paths made absolute. */
    public String checkpointStorageUri() {
        if (checkpointDir.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return checkpointDir;
        }
        return Path.of(checkpointDir).toAbsolutePath().normalize().toUri().toString();
    }

    // --- settings of the operators ---

    public InputRules inputRules() {
        return new InputRules(maxFuture, furnaces, currentRange[0], currentRange[1]);
    }

    /** Source of the frames topic; bounded when {@code stop.at} is not {@code none}. */
    public SourceSettings frameSource() {
        return new SourceSettings(bootstrapServers(), kafkaProperties(), framesTopic, groupId, startFrom,
                stoppingOffsets, inputRules());
    }

    public SourceSettings currentSource() {
        return frameSource().withTopic(currentsTopic);
    }

    public SinkSettings eventSink() {
        return new SinkSettings(bootstrapServers(), kafkaProperties(), eventsTopic, delivery, transactionalIdPrefix,
                transactionTimeout);
    }

    public SinkSettings maskSink() {
        return eventSink().withTopic(masksTopic, transactionalIdPrefix);
    }

    public SinkSettings deadLetterSink() {
        return eventSink().withTopic(deadLettersTopic, transactionalIdPrefix);
    }

    @Override
    public String toString() {
        return "JobConfig{bootstrap.servers=" + bootstrapServers() + ", topics=" + framesTopic + "," + currentsTopic
                + "->" + eventsTopic + "," + masksTopic + "," + deadLettersTopic + ", group.id=" + groupId
                + ", start.from=" + startFrom + ", stop.at=" + stopAt + ", parallelism=" + parallelism + ", delivery=" + delivery
                + ", checkpoint.interval=" + checkpointInterval + "}";
    }
}
