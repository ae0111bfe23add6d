package org.fmfstream.operators.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fmfstream.operators.records.RecordCodecTypeInfo;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;

class FurnaceSinksTest {
    static DeadLetter letter(byte[] key, byte[] value) {
        return DeadLetter.newBuilder().setSourceTopic("t").setSourcePartition(1).setSourceOffset(9)
                .setErrorKind("TRUNCATED").setReason("short").setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value)).setFailedAtMillis(1234).build();
    }

    @Test
    void deadLetterRecordKeepsTheOriginalKeyAndIsStampedWithFailedAt() {
        var s = new CodecRecordSerializer<>(DeadLetter.class, "dl", d -> d.getOriginalKey() == null ? null
                : new byte[] {d.getOriginalKey().get(0)}, DeadLetter::getFailedAtMillis, FurnaceSinks::capped);
        ProducerRecord<byte[], byte[]> r = s.serialize(letter("F".getBytes(), new byte[] {1}), null, null);
        assertThat(r.topic()).isEqualTo("dl");
        assertThat(r.key()).isEqualTo("F".getBytes());
        assertThat(r.timestamp()).isEqualTo(1234L);
        DeadLetter back = RecordCodec.deadLetters().decode(r.value()).orElseThrow();
        assertThat(back.getSourceOffset()).isEqualTo(9);
    }

    @Test
    void oversizedOriginalValuesAreCutAndSaidSo() {
        byte[] big = new byte[FurnaceSinks.MAX_DEAD_LETTER_VALUE_BYTES + 10];
        DeadLetter cut = FurnaceSinks.capped(letter(null, big));
        assertThat(cut.getOriginalValue().remaining()).isEqualTo(FurnaceSinks.MAX_DEAD_LETTER_VALUE_BYTES);
        assertThat(cut.getReason().toString()).contains("cut");
        DeadLetter small = letter(null, new byte[5]);
        assertThat(FurnaceSinks.capped(small)).isSameAs(small);
    }

    @Test
    void producerPropertiesPassThroughAndCarryTheTransactionTimeout() {
        Properties extra = new Properties();
        extra.setProperty("security.protocol", "SASL_SSL");
        var settings = new SinkSettings("h:1", extra, "t", DeliveryGuarantee.EXACTLY_ONCE, "job1", null);
        Properties p = FurnaceSinks.producerProperties(settings);
        assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("transaction.timeout.ms", "600000")
                .containsEntry("max.request.size", String.valueOf(FurnaceSinks.MAX_REQUEST_BYTES));
        assertThat(FurnaceSinks.deadLetters(settings)).isNotNull();
        assertThat(FurnaceSinks.events(settings)).isNotNull();
        assertThat(FurnaceSinks.masks(settings)).isNotNull();
    }

    @Test
    void settingsRefuseWhatKafkaWouldRefuseLater() {
        assertThatThrownBy(() -> new SinkSettings("h:1", null, "t", DeliveryGuarantee.EXACTLY_ONCE, " ", null))
                .hasMessageContaining("transactional id prefix");
        assertThatThrownBy(() -> new SinkSettings("h:1", null, "t", DeliveryGuarantee.EXACTLY_ONCE, "p",
                Duration.ofMinutes(16))).hasMessageContaining("15 min");
        assertThat(new SinkSettings("h:1", null, "t", DeliveryGuarantee.AT_LEAST_ONCE, null, null)
                .transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void recordCodecSerializerRoundTripsAndCopies() throws Exception {
        TypeSerializer<DeadLetter> s = RecordCodecTypeInfo.deadLetters().createSerializer(new SerializerConfigImpl());
        DeadLetter d = letter("k".getBytes(), new byte[] {4, 5});
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(d, out);
        DeadLetter back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(d);
        assertThat(s.copy(d)).isEqualTo(d).isNotSameAs(d);
        var snapshot = s.snapshotConfiguration();
        assertThat(snapshot.restoreSerializer()).isEqualTo(s);
        assertThat(snapshot.resolveSchemaCompatibility(s.snapshotConfiguration()).isCompatibleAsIs()).isTrue();
    }
}
