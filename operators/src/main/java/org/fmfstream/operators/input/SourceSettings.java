package org.fmfstream.operators.input;

import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/**
 * How one furnace source reads Kafka.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param clientProperties pass-through consumer properties (security.protocol, sasl.*, ssl.*...)
 * @param topic            the input topic
 * @param groupId          consumer group; offsets are committed to it on checkpoints
 * @param startingOffsets  where to start without a checkpoint
 * @param stoppingOffsets  null for an unbounded source; e.g. {@code OffsetsInitializer.latest()} to
 *                         read up to the offsets at start and finish (replay, tests)
 * @param rules            max-future horizon and furnace allow-list
 */
public record SourceSettings(String bootstrapServers, Properties clientProperties, String topic, String groupId,
                             StartingOffsets startingOffsets, OffsetsInitializer stoppingOffsets,
                             InputRules rules) {

    public SourceSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be given");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must be given");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("group id must be given");
        }
        Objects.requireNonNull(startingOffsets, "startingOffsets");
        Objects.requireNonNull(rules, "rules");
        Properties copy = new Properties();
        if (clientProperties != null) {
            copy.putAll(clientProperties);
        }
        clientProperties = copy;
    }

    public SourceSettings withTopic(String otherTopic) {
        return new SourceSettings(bootstrapServers, clientProperties, otherTopic, groupId, startingOffsets,
                stoppingOffsets, rules);
    }

    public SourceSettings bounded(OffsetsInitializer stop) {
        return new SourceSettings(bootstrapServers, clientProperties, topic, groupId, startingOffsets, stop, rules);
    }
}
