package org.fmfstream.operators.output;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fmfstream.operators.records.RecordCodecTypeInfo;
import org.fmfstream.schemas.codec.RecordCodec;

/** Value = the record's single-object bytes; key and timestamp from the record. */
final class CodecRecordSerializer<T extends SpecificRecordBase> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String topic;
    private final SerializableFunction<T, byte[]> key;
    private final SerializableFunction<T, Long> timestampMillis;
    private final SerializableFunction<T, T> prepare;
    private transient RecordCodec<T> codec;

    CodecRecordSerializer(Class<T> type, String topic, SerializableFunction<T, byte[]> key,
                          SerializableFunction<T, Long> timestampMillis) {
        this(type, topic, key, timestampMillis, t -> t);
    }

    CodecRecordSerializer(Class<T> type, String topic, SerializableFunction<T, byte[]> key,
                          SerializableFunction<T, Long> timestampMillis, SerializableFunction<T, T> prepare) {
        this.prepare = prepare;
        this.type = type;
        this.topic = topic;
        this.key = key;
        this.timestampMillis = timestampMillis;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = RecordCodecTypeInfo.codecFor(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        T element = prepare.apply(record);
        if (codec == null) {
            codec = RecordCodecTypeInfo.codecFor(type);
        }
        return new ProducerRecord<>(topic, null, timestampMillis.apply(element), key.apply(element),
                codec.encode(element));
    }
}
