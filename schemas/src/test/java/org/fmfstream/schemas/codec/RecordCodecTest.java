package org.fmfstream.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecordBase;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    @Test
    void everyContractRoundTrips() {
        assertRoundTrip(RecordCodec.videoFrames(), Samples.frame(64, 64, true));
        assertRoundTrip(RecordCodec.videoFrames(), Samples.frame(64, 64, false));
        assertRoundTrip(RecordCodec.currentSamples(), Samples.current(6000f, 6100.5f, 13999f));
        assertRoundTrip(RecordCodec.anomalyEvents(), Samples.event());
        assertRoundTrip(RecordCodec.anomalyMasks(), Samples.mask());
        assertRoundTrip(RecordCodec.deadLetters(), Samples.deadLetter());
        assertRoundTrip(RecordCodec.incidents(), Samples.incident());
    }

    @Test
    void incidentClearedWithoutClearTimeIsInvalid() {
        var incident = Samples.incident();
        incident.setClearedAtMicros(null);
        assertInvalid(RecordCodec.incidents(), incident, "clearedAtMicros must be set exactly when kind is INCIDENT_CLEARED");
        var open = Samples.incident();
        open.setKind(org.fmfstream.schemas.IncidentKind.INCIDENT_OPENED);
        assertInvalid(RecordCodec.incidents(), open, "clearedAtMicros must be set exactly when kind is INCIDENT_CLEARED");
    }

    @Test
    void valuesUseSingleObjectEncodingWithTheSchemaFingerprint() {
        RecordCodec<CurrentSample> codec = RecordCodec.currentSamples();
        byte[] bytes = codec.encode(Samples.current(7000f));
        assertThat(bytes[0] & 0xFF).isEqualTo(0xC3);
        assertThat(bytes[1] & 0xFF).isEqualTo(0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaHistory.fingerprint(CurrentSample.getClassSchema()));
    }

    @Test
    void emptyValueIsTypedError() {
        assertKind(RecordCodec.videoFrames().decode(new byte[0]), DecodeError.Kind.EMPTY);
        assertKind(RecordCodec.videoFrames().decode(null), DecodeError.Kind.EMPTY);
    }

    @Test
    void garbageWithoutMarkerIsNotSingleObject() {
        byte[] json = "{\"furnaceId\":\"F01\"}".getBytes();
        assertKind(RecordCodec.currentSamples().decode(json), DecodeError.Kind.NOT_SINGLE_OBJECT);
    }

    @Test
    void unknownFingerprintIsNamed() {
        byte[] bytes = RecordCodec.currentSamples().encode(Samples.current(7000f));
        bytes[5] ^= 0x5A;
        Decoded<CurrentSample> decoded = RecordCodec.currentSamples().decode(bytes);
        assertKind(decoded, DecodeError.Kind.UNKNOWN_FINGERPRINT);
        assertThat(decoded.errorOrNull().message()).contains("fingerprint");
    }

    @Test
    void recordOfAnotherContractIsUnknownFingerprint() {
        byte[] eventBytes = RecordCodec.anomalyEvents().encode(Samples.event());
        assertKind(RecordCodec.videoFrames().decode(eventBytes), DecodeError.Kind.UNKNOWN_FINGERPRINT);
    }

    @Test
    void everyTruncationIsATypedError() {
        RecordCodec<VideoFrame> codec = RecordCodec.videoFrames();
        byte[] bytes = codec.encode(Samples.frame(64, 64, true));
        for (int length = 1; length < bytes.length; length += 97) {
            Decoded<VideoFrame> decoded = codec.decode(Arrays.copyOf(bytes, length));
            assertThat(decoded.isOk()).as("prefix of %d bytes", length).isFalse();
            assertThat(decoded.errorOrNull().kind()).as("prefix of %d bytes", length)
                    .isIn(DecodeError.Kind.TRUNCATED, DecodeError.Kind.MALFORMED, DecodeError.Kind.INVALID);
        }
        assertKind(codec.decode(Arrays.copyOf(bytes, bytes.length - 1)), DecodeError.Kind.TRUNCATED);
        assertKind(codec.decode(Arrays.copyOf(bytes, 6)), DecodeError.Kind.TRUNCATED);
    }

    @Test
    void randomGarbageAfterAValidHeaderNeverThrows() {
        SplittableRandom random = new SplittableRandom(42);
        RecordCodec<VideoFrame> frames = RecordCodec.videoFrames();
        RecordCodec<CurrentSample> currents = RecordCodec.currentSamples();
        byte[] frameHeader = Arrays.copyOf(frames.encode(Samples.frame(64, 64, false)), 10);
        byte[] currentHeader = Arrays.copyOf(currents.encode(Samples.current(7000f)), 10);
        for (int i = 0; i < 20_000; i++) {
            byte[] tail = new byte[random.nextInt(1, 64)];
            random.nextBytes(tail);
            assertThat(frames.decode(concat(frameHeader, tail)).isOk()).isFalse();
            Decoded<CurrentSample> current = currents.decode(concat(currentHeader, tail));
            if (current.isOk()) {
                // Rarely garbage forms a structurally valid block; it must then have passed validation.
                assertThat(Validators.currentSample().problem(current.orElseThrow())).isNull();
            }
        }
    }

    @Test
    void corruptLengthPrefixesDoNotAllocateWhatTheyClaim() {
        // Avro would allocate a bytes field as large as its length prefix claims; a few corrupt
        // bytes could then exhaust a TaskManager's heap. The codec must refuse them cheaply.
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        RecordCodec<VideoFrame> frames = RecordCodec.videoFrames();
        byte[] header = Arrays.copyOf(frames.encode(Samples.frame(64, 64, false)), 10);
        SplittableRandom random = new SplittableRandom(7);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 5_000; i++) {
            byte[] tail = new byte[random.nextInt(1, 64)];
            random.nextBytes(tail);
            frames.decode(concat(header, tail));
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated decoding 5,000 garbage values").isLessThan(64L << 20);
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] bytes = RecordCodec.currentSamples().encode(Samples.current(7000f));
        assertKind(RecordCodec.currentSamples().decode(concat(bytes, new byte[] {1, 2, 3})),
                DecodeError.Kind.MALFORMED);
    }

    @Test
    void wrongFrameSizeIsInvalid() {
        Decoded<VideoFrame> decoded = RecordCodec.videoFrames().decode(
                RecordCodec.videoFrames(0, 0).encode(Samples.frame(32, 48, false)));
        assertKind(decoded, DecodeError.Kind.INVALID);
        assertThat(decoded.errorOrNull().message()).contains("32x48").contains("64x64");
        assertThat(RecordCodec.videoFrames(32, 48).decode(
                RecordCodec.videoFrames(0, 0).encode(Samples.frame(32, 48, false))).isOk()).isTrue();
    }

    @Test
    void payloadThatDisagreesWithDeclaredSizeIsInvalid() {
        VideoFrame frame = Samples.frame(64, 64, false);
        frame.setPayload(ByteBuffer.wrap(new byte[64 * 64 * 3 - 3]));
        assertInvalid(RecordCodec.videoFrames(), frame, "RGB8 payload has 12285 bytes");

        VideoFrame jpeg = Samples.frame(64, 64, false);
        jpeg.setEncoding(PixelEncoding.JPEG);
        assertInvalid(RecordCodec.videoFrames(), jpeg, "JPEG");

        VideoFrame badMask = Samples.frame(64, 64, true);
        badMask.setGroundTruthMask(ByteBuffer.wrap(new byte[10]));
        assertInvalid(RecordCodec.videoFrames(), badMask, "groundTruthMask has 10 bytes");

        VideoFrame nonBinaryMask = Samples.frame(64, 64, false);
        byte[] mask = new byte[64 * 64];
        mask[100] = 7;
        nonBinaryMask.setGroundTruthMask(ByteBuffer.wrap(mask));
        assertInvalid(RecordCodec.videoFrames(), nonBinaryMask, "pixel 100");
    }

    @Test
    void nonFiniteCurrentsAreInvalid() {
        assertInvalid(RecordCodec.currentSamples(), Samples.current(7000f, Float.NaN), "phaseA[1] is NaN");
        assertInvalid(RecordCodec.currentSamples(), Samples.current(Float.POSITIVE_INFINITY), "phaseA[0] is Infinity");
        CurrentSample badB = Samples.current(7000f);
        badB.getPhaseB().set(0, Float.NEGATIVE_INFINITY);
        assertInvalid(RecordCodec.currentSamples(), badB, "phaseB[0]");
    }

    @Test
    void inconsistentCurrentBlocksAreInvalid() {
        assertInvalid(RecordCodec.currentSamples(), Samples.current(), "no readings");
        CurrentSample ragged = Samples.current(7000f, 7100f);
        ragged.getPhaseC().remove(1);
        assertInvalid(RecordCodec.currentSamples(), ragged, "differ in length");
        CurrentSample rate = Samples.current(7000f);
        rate.setSampleRateHz(0.0);
        assertInvalid(RecordCodec.currentSamples(), rate, "sampleRateHz");
    }

    @Test
    void impossibleOutputsAreInvalid() {
        var event = Samples.event();
        event.setAnomalyProbability(Double.NaN);
        assertInvalid(RecordCodec.anomalyEvents(), event, "anomalyProbability");
        var mask = Samples.mask();
        mask.setPayload(ByteBuffer.wrap(new byte[3]));
        assertInvalid(RecordCodec.anomalyMasks(), mask, "BITMAP payload has 3 bytes");
    }

    @Test
    void encodingAnIncompleteRecordIsAClearError() {
        VideoFrame frame = Samples.frame(64, 64, false);
        frame.setFurnaceId(null);
        assertThatThrownBy(() -> RecordCodec.videoFrames().encode(frame))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot encode VideoFrame");
    }

    private static <T extends SpecificRecordBase> void assertRoundTrip(RecordCodec<T> codec, T record) {
        Decoded<T> decoded = codec.decode(codec.encode(record));
        assertThat(decoded.errorOrNull()).isNull();
        assertThat(decoded.orElseThrow()).isEqualTo(record);
    }

    private static <T extends SpecificRecordBase> void assertInvalid(RecordCodec<T> codec, T record, String text) {
        Decoded<T> decoded = codec.decode(codec.encode(record));
        assertKind(decoded, DecodeError.Kind.INVALID);
        assertThat(decoded.errorOrNull().message()).contains(text);
    }

    private static void assertKind(Decoded<?> decoded, DecodeError.Kind kind) {
        assertThat(decoded.isOk()).isFalse();
        assertThat(decoded.errorOrNull().kind()).isEqualTo(kind);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
