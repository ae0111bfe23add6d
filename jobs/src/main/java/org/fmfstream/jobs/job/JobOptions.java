package org.fmfstream.jobs.job;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Command-line flags of the streaming job, a picocli mixin: {@code --config FILE} (a properties file,
 * see {@code fmf/job.properties}) and one flag per common key; {@code --set key=value} reaches every
 * key, including {@code kafka.*} client properties. Flags override the file, which overrides the
 * defaults.
 */
public final class JobOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Job configuration (.properties).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any configuration key, e.g. --set window.hop=2s.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "bootstrap.servers")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "kafka.config: Kafka client properties (security.protocol, sasl.*, ssl.*).")
    String kafkaConfig;

    @Option(names = "--frames-topic", paramLabel = "TOPIC", description = "topic.frames")
    String framesTopic;

    @Option(names = "--currents-topic", paramLabel = "TOPIC", description = "topic.currents")
    String currentsTopic;

    @Option(names = "--events-topic", paramLabel = "TOPIC", description = "topic.events")
    String eventsTopic;

    @Option(names = "--masks-topic", paramLabel = "TOPIC", description = "topic.masks")
    String masksTopic;

    @Option(names = "--deadletters-topic", paramLabel = "TOPIC", description = "topic.deadletters")
    String deadLettersTopic;

    @Option(names = "--group-id", paramLabel = "ID", description = "group.id")
    String groupId;

    @Option(names = "--start-from", paramLabel = "POS",
            description = "start.from: earliest | latest | committed | timestamp:<ms>")
    String startFrom;

    @Option(names = "--stop-at", paramLabel = "POS",
            description = "stop.at: none (run until cancelled) | latest (end offsets at start) | timestamp:<ms>")
    String stopAt;

    @Option(names = "--parallelism", paramLabel = "N", description = "parallelism")
    String parallelism;

    @Option(names = "--hop", paramLabel = "DURATION", description = "window.hop")
    String hop;

    @Option(names = "--out-of-orderness", paramLabel = "DURATION", description = "watermark.out-of-orderness")
    String outOfOrderness;

    @Option(names = "--idleness", paramLabel = "DURATION", description = "watermark.idleness")
    String idleness;

    @Option(names = "--incomplete-wait", paramLabel = "DURATION", description = "window.incomplete-wait")
    String incompleteWait;

    @Option(names = "--max-future", paramLabel = "DURATION", description = "input.max-future")
    String maxFuture;

    @Option(names = "--current-range", paramLabel = "MIN..MAX", description = "input.current-range (amperes)")
    String currentRange;

    @Option(names = "--furnaces", paramLabel = "ID,ID", description = "input.furnaces (empty = any)")
    String furnaces;

    @Option(names = "--batch-size", paramLabel = "N", description = "inference.batch-size")
    String batchSize;

    @Option(names = "--batch-timeout", paramLabel = "DURATION", description = "inference.batch-timeout")
    String batchTimeout;

    @Option(names = "--model", paramLabel = "FILE", description = "model.path (empty = the shipped model)")
    String model;

    @Option(names = "--model-sha256", paramLabel = "HEX", description = "model.sha256")
    String modelSha256;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", description = "model.device")
    String device;

    @Option(names = "--threshold", paramLabel = "P",
            description = "threshold: overrides the model's calibrated probability threshold, in (0, 1)")
    String threshold;

    @Option(names = "--min-mask-pixels", paramLabel = "N",
            description = "min-mask-pixels: overrides the model's minimum of mask pixels at P >= 0.5 (0 = none)")
    String minMaskPixels;

    @Option(names = "--emit-degraded", paramLabel = "true|false", description = "emit.degraded")
    String emitDegraded;

    @Option(names = "--delivery", paramLabel = "exactly-once|at-least-once", description = "delivery")
    String delivery;

    @Option(names = "--transactional-id-prefix", paramLabel = "PREFIX", description = "transactional.id.prefix")
    String transactionalIdPrefix;

    @Option(names = "--transaction-timeout", paramLabel = "DURATION", description = "transaction.timeout")
    String transactionTimeout;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", description = "checkpoint.interval")
    String checkpointInterval;

    @Option(names = "--prometheus-port", paramLabel = "PORT[-PORT]", description = "metrics.prometheus.port")
    String prometheusPort;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "checkpoint.dir")
    String checkpointDir;

    /** The flags given, as configuration keys (named flags win over --set). */
    public Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>(set);
        put(m, "bootstrap.servers", bootstrapServers);
        put(m, "kafka.config", kafkaConfig);
        put(m, "topic.frames", framesTopic);
        put(m, "topic.currents", currentsTopic);
        put(m, "topic.events", eventsTopic);
        put(m, "topic.masks", masksTopic);
        put(m, "topic.deadletters", deadLettersTopic);
        put(m, "group.id", groupId);
        put(m, "start.from", startFrom);
        put(m, "stop.at", stopAt);
        put(m, "parallelism", parallelism);
        put(m, "window.hop", hop);
        put(m, "watermark.out-of-orderness", outOfOrderness);
        put(m, "watermark.idleness", idleness);
        put(m, "window.incomplete-wait", incompleteWait);
        put(m, "input.max-future", maxFuture);
        put(m, "input.current-range", currentRange);
        put(m, "input.furnaces", furnaces);
        put(m, "inference.batch-size", batchSize);
        put(m, "inference.batch-timeout", batchTimeout);
        put(m, "model.path", model);
        put(m, "model.sha256", modelSha256);
        put(m, "model.device", device);
        put(m, "threshold", threshold);
        put(m, "min-mask-pixels", minMaskPixels);
        put(m, "emit.degraded", emitDegraded);
        put(m, "delivery", delivery);
        put(m, "transactional.id.prefix", transactionalIdPrefix);
        put(m, "transaction.timeout", transactionTimeout);
        put(m, "checkpoint.interval", checkpointInterval);
        put(m, "checkpoint.dir", checkpointDir);
        put(m, "metrics.prometheus.port", prometheusPort);
        return m;
    }

    /** The {@code --config} file, or null. */
    public Path configFile() {
        return config;
    }

    /** Defaults, then {@code --config}, then the flags; throws IllegalArgumentException naming the bad key. */
    public JobConfig config() {
        return JobConfig.load(config, overrides());
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
