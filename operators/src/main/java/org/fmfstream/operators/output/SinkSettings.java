package org.fmfstream.operators.output;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * How one furnace sink writes Kafka.
 *
 * @param bootstrapServers      Kafka bootstrap servers
 * @param producerProperties    pass-through producer properties (security.protocol, sasl.*, ssl.*...)
 * @param topic                 the output topic
 * @param deliveryGuarantee     EXACTLY_ONCE (default: Kafka transactions committed on checkpoints)
 *                              or AT_LEAST_ONCE (flush on checkpoints)
 * @param transactionalIdPrefix prefix of the sink's transactional ids; must be unique per job and
 *                              sink on a cluster (two jobs sharing one abort each other's
 *                              transactions)
 * @param transactionTimeout    {@code transaction.timeout.ms}; must not exceed the broker's
 *                              {@code transaction.max.timeout.ms} (15 min by default) and must exceed
 *                              the longest checkpoint interval plus restart time
 */
public record SinkSettings(String bootstrapServers, Properties producerProperties, String topic,
                           DeliveryGuarantee deliveryGuarantee, String transactionalIdPrefix,
                           Duration transactionTimeout) {

    /** 10 minutes: under the broker's 15-minute maximum, far above the job's checkpoint interval (seconds). */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    public SinkSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be given");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must be given");
        }
        Objects.requireNonNull(deliveryGuarantee, "deliveryGuarantee");
        if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE
                && (transactionalIdPrefix == null || transactionalIdPrefix.isBlank())) {
            throw new IllegalArgumentException("exactly-once delivery needs a transactional id prefix");
        }
        if (transactionTimeout == null) {
            transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
        }
        if (transactionTimeout.isNegative() || transactionTimeout.isZero()
                || transactionTimeout.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException("transaction timeout " + transactionTimeout
                    + " must be > 0 and at most 15 min (the broker's default transaction.max.timeout.ms)");
        }
        Properties copy = new Properties();
        if (producerProperties != null) {
            copy.putAll(producerProperties);
        }
        producerProperties = copy;
    }

    /** Exactly-once with the default transaction timeout. */
    public static SinkSettings exactlyOnce(String bootstrapServers, Properties producerProperties, String topic,
                                           String transactionalIdPrefix) {
        return new SinkSettings(bootstrapServers, producerProperties, topic, DeliveryGuarantee.EXACTLY_ONCE,
                transactionalIdPrefix, DEFAULT_TRANSACTION_TIMEOUT);
    }

    public SinkSettings withTopic(String otherTopic, String otherPrefix) {
        return new SinkSettings(bootstrapServers, producerProperties, otherTopic, deliveryGuarantee, otherPrefix,
                transactionTimeout);
    }
}
