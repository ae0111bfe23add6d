package org.fmfstream.jobs.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the publishing tools find Kafka; a picocli mixin shared by the importer and the ingest bridges. */
public final class KafkaOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    public String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*) passed to the producer.")
    public Path kafkaConfig;

    /** The settings; a missing or unreadable properties file is a clear error. */
    public KafkaSettings settings() {
        if (kafkaConfig != null && !Files.isReadable(kafkaConfig)) {
            throw new IllegalArgumentException("--kafka-config " + kafkaConfig + " is not a readable file");
        }
        try {
            return KafkaSettings.of(bootstrapServers, kafkaConfig);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage(), e);
        }
    }
}
