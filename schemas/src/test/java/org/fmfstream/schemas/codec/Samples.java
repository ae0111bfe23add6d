package org.fmfstream.schemas.codec;

import java.nio.ByteBuffer;
import java.util.List;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.BoundingBox;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;
import org.fmfstream.schemas.MaskEncoding;
import org.fmfstream.schemas.ModelInfo;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;

/** Valid records of every contract, with distinct values in every field. */
final class Samples {
    private Samples() {}

    static VideoFrame frame(int width, int height, boolean withMask) {
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 31 + 7);
        }
        byte[] mask = null;
        if (withMask) {
            mask = new byte[width * height];
            for (int i = 0; i < mask.length; i += 5) {
                mask[i] = 1;
            }
        }
        return VideoFrame.newBuilder()
                .setFurnaceId("F01").setCameraId("cam-north").setFrameSeq(4711)
                .setEventTimeMicros(1_700_000_000_123_456L).setWidth(width).setHeight(height)
                .setEncoding(PixelEncoding.RGB8).setPayload(ByteBuffer.wrap(rgb))
                .setGroundTruthMask(mask == null ? null : ByteBuffer.wrap(mask))
                .build();
    }

    static CurrentSample current(float... phaseA) {
        List<Float> a = new java.util.ArrayList<>();
        List<Float> b = new java.util.ArrayList<>();
        List<Float> c = new java.util.ArrayList<>();
        for (float v : phaseA) {
            a.add(v);
            b.add(v + 1000f);
            c.add(v - 500f);
        }
        return CurrentSample.newBuilder().setFurnaceId("F01").setEventTimeMicros(1_700_000_000_000_000L)
                .setSampleRateHz(2.0).setPhaseA(a).setPhaseB(b).setPhaseC(c).build();
    }

    static AnomalyEvent event() {
        return AnomalyEvent.newBuilder()
                .setFurnaceId("F02").setWindowStartMicros(1_000_000L).setWindowEndMicros(1_360_000L)
                .setClipFrameSeqs(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L))
                .setAnomalyProbability(0.93).setDecision(Decision.ANOMALY).setThreshold(0.5)
                .setVideoLogits(List.of(-1.5f, 2.25f)).setCurrentLogits(List.of(0.5f, -0.25f))
                .setDegradations(List.of(Degradation.CURRENT_STRETCHED))
                .setModel(ModelInfo.newBuilder().setName("fmformer-s").setVersion("1")
                        .setSha256("ab".repeat(32)).build())
                .setIngestTimeMillis(1_700_000_000_000L).setEmitTimeMillis(1_700_000_000_250L)
                .build();
    }

    static AnomalyMask mask() {
        byte[] bitmap = new byte[64 * 64];
        bitmap[64 * 10 + 12] = 1;
        return AnomalyMask.newBuilder()
                .setFurnaceId("F02").setWindowEndMicros(1_360_000L).setFrameSeq(10L)
                .setWidth(64).setHeight(64).setEncoding(MaskEncoding.BITMAP)
                .setPayload(ByteBuffer.wrap(bitmap)).setAnomalyAreaFraction(1f / 4096)
                .setRegions(List.of(BoundingBox.newBuilder().setX(12).setY(10).setWidth(1).setHeight(1)
                        .setAreaPixels(1).setPeakProbability(0.8f).build()))
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("fmf.video.frames").setSourcePartition(3).setSourceOffset(99L)
                .setErrorKind("TRUNCATED").setReason("record ends early")
                .setOriginalKey(ByteBuffer.wrap(new byte[] {'F', '1'}))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 1, 2}))
                .setFailedAtMillis(5L).build();
    }

    static org.fmfstream.schemas.Incident incident() {
        return org.fmfstream.schemas.Incident.newBuilder()
                .setFurnaceId("F01").setIncidentId("F01-3000000").setKind(org.fmfstream.schemas.IncidentKind.INCIDENT_CLEARED)
                .setEventTimeMicros(33_000_000L).setOpenedAtMicros(3_000_000L).setFirstAnomalyMicros(1_000_000L)
                .setLastAnomalyMicros(3_000_000L).setClearedAtMicros(33_000_000L)
                .setAnomalousWindows(3).setTotalWindows(3).setPeakProbability(0.9).setPeakWindowEndMicros(2_000_000L)
                .setPeakAreaFraction(0.01f)
                .setPeakRegion(org.fmfstream.schemas.IncidentRegion.newBuilder().setX(1).setY(2).setWidth(3)
                        .setHeight(4).build())
                .setDegraded(true).setDegradations(List.of(Degradation.VIDEO_MISSING)).setDegradedWindows(1)
                .setModel(ModelInfo.newBuilder().setName("fmformer-xs").setVersion("1").setSha256("ab".repeat(32)).build())
                .setEmitTimeMillis(7L).build();
    }
}
