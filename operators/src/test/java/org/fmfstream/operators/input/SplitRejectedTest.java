package org.fmfstream.operators.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fmfstream.operators.input.InputSamples.NOW_MILLIS;
import static org.fmfstream.operators.input.InputSamples.T0_MICROS;
import static org.fmfstream.operators.input.InputSamples.current;
import static org.fmfstream.operators.input.InputSamples.encode;
import static org.fmfstream.operators.input.InputSamples.frame;
import static org.fmfstream.operators.input.InputSamples.record;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fmfstream.schemas.DeadLetter;
import org.junit.jupiter.api.Test;

class SplitRejectedTest {

    @Test
    void goodRecordsPassAndEachBadKindBecomesOneDeadLetter() throws Exception {
        var d = FurnaceDeserializer.currents(new InputRules(Duration.ofHours(1), Set.of("F01")), () -> NOW_MILLIS);
        byte[] good = encode(current("F01", T0_MICROS, 1f));
        List<ConsumerRecord<byte[], byte[]>> in = new ArrayList<>();
        in.add(record("cur", 0, "F01", good));
        in.add(record("cur", 1, "F01", new byte[] {1, 2, 3}));                                   // garbage
        in.add(record("cur", 2, "F01", java.util.Arrays.copyOf(good, 20)));                      // truncated
        in.add(record("cur", 3, "F01", encode(current("F01", T0_MICROS, Float.NaN))));           // NaN
        in.add(record("cur", 4, "F01", encode(current("F01", NOW_MILLIS * 1000 + 7_200_000_000L, 1f)))); // +2 h
        in.add(record("cur", 5, "F07", encode(current("F07", T0_MICROS, 1f))));                  // unknown furnace
        in.add(record("cur", 6, "F01", encode(current("F01", T0_MICROS + 500_000, 2f))));

        try (var h = new OneInputStreamOperatorTestHarness<Ingested<CurrentBlock>, CurrentBlock>(
                new ProcessOperator<>(new SplitRejected<>()))) {
            h.open();
            for (var r : in) {
                h.processElement(new StreamRecord<>(d.ingest(r)));
            }
            List<CurrentBlock> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(0).phaseA).containsExactly(1f);
            assertThat(out.get(1).phaseA).containsExactly(2f);

            ConcurrentLinkedQueue<StreamRecord<DeadLetter>> side = h.getSideOutput(FurnaceSources.DEAD_LETTERS);
            List<DeadLetter> letters = side.stream().map(StreamRecord::getValue).toList();
            assertThat(letters).extracting(l -> l.getErrorKind().toString())
                    .containsExactly("NOT_SINGLE_OBJECT", "TRUNCATED", "INVALID", "FAR_FUTURE_TIMESTAMP",
                            "UNKNOWN_FURNACE");
            assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(letters.get(0).getOriginalValue()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertThat(letters.get(4).getOriginalKey()).isEqualTo(ByteBuffer.wrap("F07".getBytes()));
            assertThat(letters).allSatisfy(l -> assertThat(l.getFailedAtMillis()).isEqualTo(NOW_MILLIS));
        }
    }

    @Test
    void deadLettersDoNotAdvanceTheWatermark() {
        var d = FurnaceDeserializer.frames(InputRules.defaults(), () -> NOW_MILLIS);
        var strategy = FurnaceSources.watermarks(d, Duration.ofSeconds(2), Duration.ZERO);
        WatermarkGenerator<Ingested<FurnaceFrame>> gen = strategy.createWatermarkGenerator(null);
        var assigner = strategy.createTimestampAssigner(null);
        List<Long> marks = new ArrayList<>();
        WatermarkOutput out = new WatermarkOutput() {
            public void emitWatermark(Watermark w) { marks.add(w.getTimestamp()); }
            public void markIdle() {}
            public void markActive() {}
        };
        Ingested<FurnaceFrame> good = d.ingest(record("f", 0, "F01", encode(frame("F01", 1, T0_MICROS))));
        Ingested<FurnaceFrame> bad = d.ingest(record("f", 1, "F01", new byte[] {9}));
        gen.onEvent(good, assigner.extractTimestamp(good, 0), out);
        gen.onEvent(bad, assigner.extractTimestamp(bad, Long.MAX_VALUE / 2), out);
        gen.onPeriodicEmit(out);
        assertThat(marks).last().isEqualTo(T0_MICROS / 1000 - 2000 - 1);
    }
}
