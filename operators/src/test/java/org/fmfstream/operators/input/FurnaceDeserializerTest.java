package org.fmfstream.operators.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fmfstream.operators.input.InputSamples.NOW_MILLIS;
import static org.fmfstream.operators.input.InputSamples.T0_MICROS;
import static org.fmfstream.operators.input.InputSamples.current;
import static org.fmfstream.operators.input.InputSamples.encode;
import static org.fmfstream.operators.input.InputSamples.frame;
import static org.fmfstream.operators.input.InputSamples.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.junit.jupiter.api.Test;

class FurnaceDeserializerTest {
    private static final InputRules ANY = InputRules.defaults();
    private final FurnaceDeserializer<?, FurnaceFrame> frames = FurnaceDeserializer.frames(ANY, () -> NOW_MILLIS);
    private final FurnaceDeserializer<?, CurrentBlock> currents = FurnaceDeserializer.currents(ANY, () -> NOW_MILLIS);

    @Test
    void goodFrameBecomesFurnaceFrameStampedWithTheWallClock() {
        Ingested<FurnaceFrame> in = frames.ingest(record("frames", 7, "F01", encode(frame("F01", 3, T0_MICROS + 5))));
        assertThat(in.isOk()).isTrue();
        FurnaceFrame f = in.value;
        assertThat(f.furnaceId).isEqualTo("F01");
        assertThat(f.frameSeq).isEqualTo(3);
        assertThat(f.eventTimeMicros).isEqualTo(T0_MICROS + 5);
        assertThat(f.rgb).hasSize(64 * 64 * 3).containsOnly((byte) 3);
        assertThat(f.groundTruthMask).isNull();
        assertThat(f.ingestMillis).isEqualTo(NOW_MILLIS);
        assertThat(frames.eventTimeMillis(f)).isEqualTo(T0_MICROS / 1000);
        // Where it came from, so a late arrival can be named in its dead letter.
        assertThat(f.sourcePartition).isZero();
        assertThat(f.sourceOffset).isEqualTo(7L);
    }

    @Test
    void goodCurrentBecomesCurrentBlock() {
        Ingested<CurrentBlock> in = currents.ingest(record("cur", 0, "F02", encode(current("F02", T0_MICROS, 1f, 2f))));
        assertThat(in.isOk()).isTrue();
        assertThat(in.value.furnaceId).isEqualTo("F02");
        assertThat(in.value.phaseA).containsExactly(1f, 2f);
        assertThat(in.value.sampleRateHz).isEqualTo(2.0);
        assertThat(in.value.ingestMillis).isEqualTo(NOW_MILLIS);
        assertThat(in.value.sourceOffset).isEqualTo(0L);
    }

    @Test
    void garbageIsADeadLetterWithItsCoordinatesAndBytes() {
        byte[] garbage = "hello, not avro".getBytes(StandardCharsets.UTF_8);
        Rejected r = frames.ingest(record("frames", 42, "F01", garbage)).rejected;
        assertThat(r.errorKind).isEqualTo("NOT_SINGLE_OBJECT");
        assertThat(r.sourceTopic).isEqualTo("frames");
        assertThat(r.sourcePartition).isZero();
        assertThat(r.sourceOffset).isEqualTo(42);
        assertThat(r.originalKey).isEqualTo("F01".getBytes(StandardCharsets.UTF_8));
        assertThat(r.originalValue).isEqualTo(garbage);
        assertThat(r.failedAtMillis).isEqualTo(NOW_MILLIS);
        assertThat(r.reason).isNotBlank();
    }

    @Test
    void emptyAndNullValuesAreDeadLetters() {
        assertThat(frames.ingest(record("frames", 1, "F01", new byte[0])).rejected.errorKind).isEqualTo("EMPTY");
        assertThat(currents.ingest(record("cur", 1, null, null)).rejected.errorKind).isEqualTo("EMPTY");
    }

    @Test
    void truncatedAvroIsADeadLetter() {
        byte[] good = encode(frame("F01", 1, T0_MICROS));
        byte[] cut = Arrays.copyOf(good, good.length - 100);
        Rejected r = frames.ingest(record("frames", 2, "F01", cut)).rejected;
        assertThat(r.errorKind).isEqualTo("TRUNCATED");
        assertThat(r.originalValue).isEqualTo(cut);
    }

    @Test
    void wrongFrameSizeIsInvalid() {
        VideoFrame small = frame("F01", 1, T0_MICROS);
        small.setWidth(32);
        small.setHeight(32);
        small.setPayload(ByteBuffer.wrap(new byte[32 * 32 * 3]));
        Rejected r = frames.ingest(record("frames", 3, "F01", encode(small))).rejected;
        assertThat(r.errorKind).isEqualTo("INVALID");
        assertThat(r.reason).contains("32x32");
    }

    @Test
    void jpegFramesAreInvalidBecauseTheJobReadsRgb8() {
        VideoFrame jpeg = frame("F01", 1, T0_MICROS);
        jpeg.setEncoding(PixelEncoding.JPEG);
        jpeg.setPayload(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
        Rejected r = frames.ingest(record("frames", 3, "F01", encode(jpeg))).rejected;
        assertThat(r.errorKind).isEqualTo("INVALID");
        assertThat(r.reason).contains("RGB8");
    }

    @Test
    void nanCurrentIsInvalid() {
        Rejected r = currents.ingest(record("cur", 4, "F01", encode(current("F01", T0_MICROS, 1f, Float.NaN)))).rejected;
        assertThat(r.errorKind).isEqualTo("INVALID");
        assertThat(r.reason).contains("phaseA[1]").contains("NaN");
    }

    @Test
    void anImpossibleCurrentIsImplausibleAndTheRangeIsConfigurable() {
        Rejected r = currents.ingest(record("cur", 4, "F01", encode(current("F01", T0_MICROS, 9_000f, 1e30f)))).rejected;
        assertThat(r.errorKind).isEqualTo(RejectKinds.IMPLAUSIBLE_VALUE);
        assertThat(r.reason).contains("phaseA[1] = 1.0E30 A").contains("input.current-range");
        assertThat(r.sourceOffset).isEqualTo(4);
        assertThat(currents.ingest(record("cur", 5, "F01", encode(current("F01", T0_MICROS, -2_000f)))).rejected.errorKind)
                .isEqualTo(RejectKinds.IMPLAUSIBLE_VALUE);
        // Sensor offsets below zero and the heaviest furnaces are plausible by default.
        assertThat(currents.ingest(record("cur", 6, "F01", encode(current("F01", T0_MICROS, -50f, 45_000f)))).isOk())
                .isTrue();

        var narrow = FurnaceDeserializer.currents(new InputRules(Duration.ofHours(1), Set.of(), 0f, 20_000f),
                () -> NOW_MILLIS);
        assertThat(narrow.ingest(record("cur", 7, "F01", encode(current("F01", T0_MICROS, 25_000f)))).rejected.errorKind)
                .isEqualTo(RejectKinds.IMPLAUSIBLE_VALUE);
        assertThat(narrow.ingest(record("cur", 8, "F01", encode(current("F01", T0_MICROS, 12_000f)))).isOk()).isTrue();
    }

    @Test
    void farFutureTimeIsRejectedAndTheHorizonIsConfigurable() {
        long nowMicros = NOW_MILLIS * 1000;
        long in59m = nowMicros + Duration.ofMinutes(59).toNanos() / 1000;
        long in61m = nowMicros + Duration.ofMinutes(61).toNanos() / 1000;
        assertThat(frames.ingest(record("frames", 5, "F01", encode(frame("F01", 1, in59m)))).isOk()).isTrue();
        Rejected r = frames.ingest(record("frames", 6, "F01", encode(frame("F01", 2, in61m)))).rejected;
        assertThat(r.errorKind).isEqualTo(RejectKinds.FAR_FUTURE_TIMESTAMP);
        assertThat(currents.ingest(record("cur", 6, "F01", encode(current("F01", in61m, 1f)))).rejected.errorKind)
                .isEqualTo(RejectKinds.FAR_FUTURE_TIMESTAMP);

        var strict = FurnaceDeserializer.frames(new InputRules(Duration.ofSeconds(10), Set.of()), () -> NOW_MILLIS);
        assertThat(strict.ingest(record("frames", 5, "F01", encode(frame("F01", 1, in59m)))).rejected.errorKind)
                .isEqualTo(RejectKinds.FAR_FUTURE_TIMESTAMP);
        // Old event times (replays) are fine.
        assertThat(strict.ingest(record("frames", 5, "F01", encode(frame("F01", 1, 0)))).isOk()).isTrue();
    }

    @Test
    void furnaceOutsideTheAllowListIsUnknown() {
        InputRules rules = new InputRules(Duration.ofHours(1), List.of("F01", "F02"));
        var d = FurnaceDeserializer.currents(rules, () -> NOW_MILLIS);
        assertThat(d.ingest(record("cur", 0, "F02", encode(current("F02", T0_MICROS, 1f)))).isOk()).isTrue();
        Rejected r = d.ingest(record("cur", 1, "F09", encode(current("F09", T0_MICROS, 1f)))).rejected;
        assertThat(r.errorKind).isEqualTo(RejectKinds.UNKNOWN_FURNACE);
        assertThat(r.reason).contains("F09");
    }

    @Test
    void envelopesAreFlinkPojosNotKryo() {
        TypeInformation<?> t = frames.getProducedType();
        assertThat(t).isInstanceOf(PojoTypeInfo.class);
        assertThat(currents.getProducedType()).isInstanceOf(PojoTypeInfo.class);
        assertThat(((PojoTypeInfo<?>) t).getTypeAt("value")).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void aDeserializerSurvivesJavaSerialization() throws Exception {
        var copy = org.apache.flink.util.InstantiationUtil.clone(frames);
        assertThat(copy.ingest(record("frames", 0, "F01", encode(frame("F01", 1, T0_MICROS)))).isOk()).isTrue();
    }
}
