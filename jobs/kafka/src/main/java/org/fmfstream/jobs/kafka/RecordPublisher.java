package org.fmfstream.jobs.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * Publishes contract records to Kafka, keyed by furnace id, with the event time as the Kafka record
 * timestamp. Every send is checked: the first failure (an oversize record, an expired batch) is kept
 * and rethrown by the next {@link #send}, {@link #flush} or {@link #close}, so a tool can never
 * report success for records the broker did not take.
 */
public final class RecordPublisher implements AutoCloseable {
    /** Frames of a few MiB (uncompressed 1080p RGB) still fit; the broker topic limit matches. */
    public static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

    private final Producer<byte[], byte[]> producer;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();

    public RecordPublisher(KafkaSettings kafka) {
        this.producer = new KafkaProducer<>(kafka.clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                // One request in flight keeps order and avoids OUT_OF_ORDER_SEQUENCE right after
                // topic creation (KAFKA-15591).
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_REQUEST_BYTES),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000")),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends one record; {@code eventTimeMicros} becomes the Kafka timestamp (ms). */
    public <T extends SpecificRecordBase> void send(String topic, String furnaceId, long eventTimeMicros,
                                                    RecordCodec<T> codec, T record) {
        sendRaw(topic, furnaceId.getBytes(StandardCharsets.UTF_8), Math.floorDiv(eventTimeMicros, 1000L),
                codec.encode(record));
    }

    /** Sends bytes as they are (tests and tools that publish deliberately bad input use this). */
    public void sendRaw(String topic, byte[] key, Long timestampMillis, byte[] value) {
        rethrowFailure();
        producer.send(new ProducerRecord<>(topic, null, timestampMillis, key, value), (metadata, error) -> {
            if (error != null) {
                firstFailure.compareAndSet(null, error);
            } else {
                acknowledged.incrementAndGet();
            }
        });
    }

    /** Blocks until every record sent so far is acknowledged; throws if any was not. */
    public void flush() {
        producer.flush();
        rethrowFailure();
    }

    /** Records the broker has acknowledged so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            producer.close();
        }
    }

    private void rethrowFailure() {
        Exception e = firstFailure.get();
        if (e != null) {
            throw new PublishException("Kafka did not accept a record: " + e.getMessage(),
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /** A record was refused or lost by Kafka. */
    public static final class PublishException extends RuntimeException {
        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
