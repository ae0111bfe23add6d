package org.fmfstream.operators.input;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;

/** Good and bad input records for the source tests. */
final class InputSamples {
    /** 2025-01-01T00:00:00Z, microseconds. */
    static final long T0_MICROS = 1_735_689_600_000_000L;
    /** The tests' wall clock: one minute after T0. */
    static final long NOW_MILLIS = T0_MICROS / 1000 + 60_000;

    private InputSamples() {}

    static VideoFrame frame(String furnace, long seq, long eventMicros) {
        byte[] rgb = new byte[64 * 64 * 3];
        Arrays.fill(rgb, (byte) seq);
        return VideoFrame.newBuilder().setFurnaceId(furnace).setCameraId(furnace + "-cam").setFrameSeq(seq)
                .setEventTimeMicros(eventMicros).setWidth(64).setHeight(64).setEncoding(PixelEncoding.RGB8)
                .setPayload(ByteBuffer.wrap(rgb)).setGroundTruthMask(null).build();
    }

    static CurrentSample current(String furnace, long eventMicros, float... a) {
        List<Float> l = new ArrayList<>();
        for (float f : a) {
            l.add(f);
        }
        return CurrentSample.newBuilder().setFurnaceId(furnace).setEventTimeMicros(eventMicros).setSampleRateHz(2.0)
                .setPhaseA(l).setPhaseB(l).setPhaseC(l).build();
    }

    static byte[] encode(VideoFrame f) {
        return RecordCodec.videoFrames(0, 0).encode(f);
    }

    static byte[] encode(CurrentSample s) {
        return RecordCodec.currentSamples().encode(s);
    }

    static ConsumerRecord<byte[], byte[]> record(String topic, long offset, String key, byte[] value) {
        return new ConsumerRecord<>(topic, 0, offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }
}
