package org.fmfstream.operators.output;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.codec.AvroBytes;

/**
 * Kafka sinks of the three output contracts, values in {@link org.fmfstream.schemas.codec.RecordCodec}
 * single-object encoding, keyed by furnace id (UTF-8), timestamped as docs/topics.md says
 * ({@code windowEndMicros} for events and masks, {@code failedAtMillis} for dead letters).
 *
 * <p>Exactly-once (the default) writes in Kafka transactions committed when a checkpoint completes,
 * so read_committed consumers see output only after the checkpoint and never twice; the job must
 * checkpoint. Each sink needs its own transactional-id prefix: the factories append the contract
 * name ({@code <prefix>-events}, {@code -masks}, {@code -deadletters}) to the prefix in the settings.
 */
public final class FurnaceSinks {
    /**
     * Producer request limit of every sink: the 9 MiB {@code max.message.bytes} of the fmf topics.
     * Events and masks (64x64 PNGs) are far smaller; a dead letter carries the original value.
     */
    public static final int MAX_REQUEST_BYTES = 9_437_184;
    /**
     * Original values above this are cut in dead letters (the reason says so), so that a dead letter
     * of an oversized input still fits the topic's 9 MiB limit with its key, reason and framing.
     */
    public static final int MAX_DEAD_LETTER_VALUE_BYTES = 8 * 1024 * 1024;

    private FurnaceSinks() {}

    public static KafkaSink<AnomalyEvent> events(SinkSettings settings) {
        return build(settings, "events", new CodecRecordSerializer<>(AnomalyEvent.class, settings.topic(),
                e -> utf8(e.getFurnaceId()), e -> Math.floorDiv(e.getWindowEndMicros(), 1000L)));
    }

    public static KafkaSink<AnomalyMask> masks(SinkSettings settings) {
        return build(settings, "masks", new CodecRecordSerializer<>(AnomalyMask.class, settings.topic(),
                m -> utf8(m.getFurnaceId()), m -> Math.floorDiv(m.getWindowEndMicros(), 1000L)));
    }

    /** Incidents (fmf.alerts), timestamped with the incident's {@code eventTimeMicros}; transactional id {@code <prefix>-incidents}. */
    public static KafkaSink<Incident> incidents(SinkSettings settings) {
        return build(settings, "incidents", new CodecRecordSerializer<>(Incident.class, settings.topic(),
                i -> utf8(i.getFurnaceId()), i -> Math.floorDiv(i.getEventTimeMicros(), 1000L)));
    }

    /**
     * Dead letters keep the original record's key (null stays null); an original value above
     * {@link #MAX_DEAD_LETTER_VALUE_BYTES} is cut ({@link #capped}).
     */
    public static KafkaSink<DeadLetter> deadLetters(SinkSettings settings) {
        return build(settings, "deadletters", new CodecRecordSerializer<>(DeadLetter.class, settings.topic(),
                d -> d.getOriginalKey() == null ? null : AvroBytes.copy(d.getOriginalKey()), DeadLetter::getFailedAtMillis,
                FurnaceSinks::capped));
    }

    /**
     * The dead letter as written: an original value above {@link #MAX_DEAD_LETTER_VALUE_BYTES} is cut
     * to that length and the reason notes it. The dead-letter sink applies it to every record.
     */
    public static DeadLetter capped(DeadLetter d) {
        ByteBuffer v = d.getOriginalValue();
        if (v == null || v.remaining() <= MAX_DEAD_LETTER_VALUE_BYTES) {
            return d;
        }
        int full = v.remaining();
        ByteBuffer cut = v.duplicate();
        cut.limit(cut.position() + MAX_DEAD_LETTER_VALUE_BYTES);
        byte[] head = new byte[MAX_DEAD_LETTER_VALUE_BYTES];
        cut.get(head);
        return DeadLetter.newBuilder(d)
                .setOriginalValue(ByteBuffer.wrap(head))
                .setReason(d.getReason() + " [original value of " + full + " bytes cut to the first "
                        + MAX_DEAD_LETTER_VALUE_BYTES + "]")
                .build();
    }

    /** Producer properties a sink gets: pass-through, then ours (request size, transaction timeout). */
    static Properties producerProperties(SinkSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.producerProperties());
        p.putIfAbsent("max.request.size", String.valueOf(MAX_REQUEST_BYTES));
        p.setProperty("transaction.timeout.ms", String.valueOf(settings.transactionTimeout().toMillis()));
        return p;
    }

    private static <T extends SpecificRecordBase> KafkaSink<T> build(SinkSettings settings, String contract,
                                                                    KafkaRecordSerializationSchema<T> serializer) {
        KafkaSinkBuilder<T> b = KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setKafkaProducerConfig(producerProperties(settings))
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(settings.deliveryGuarantee());
        if (settings.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            b.setTransactionalIdPrefix(settings.transactionalIdPrefix() + "-" + contract);
        }
        return b.build();
    }

    private static byte[] utf8(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
