package org.fmfstream.jobs.kafka;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
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

/** Valid records of every contract, with content derived from a seed so each one differs. */
public final class ContractSamples {
    static final int SIZE = 64;
    /** 2025-01-01T00:00:00Z in microseconds, plus a sub-millisecond part that Kafka timestamps drop. */
    static final long EPOCH_MICROS = 1_735_689_600_000_000L + 123;

    private ContractSamples() {}

    public static VideoFrame frame(String furnaceId, long seq, boolean withMask) {
        Random random = new Random(seq * 31 + furnaceId.hashCode());
        byte[] pixels = new byte[SIZE * SIZE * 3];
        random.nextBytes(pixels);
        ByteBuffer mask = null;
        if (withMask) {
            byte[] m = new byte[SIZE * SIZE];
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) (random.nextInt(10) == 0 ? 1 : 0);
            }
            mask = ByteBuffer.wrap(m);
        }
        return VideoFrame.newBuilder()
                .setFurnaceId(furnaceId)
                .setCameraId(furnaceId + "-cam1")
                .setFrameSeq(seq)
                .setEventTimeMicros(EPOCH_MICROS + seq * 40_000L)
                .setWidth(SIZE)
                .setHeight(SIZE)
                .setEncoding(PixelEncoding.RGB8)
                .setPayload(ByteBuffer.wrap(pixels))
                .setGroundTruthMask(mask)
                .build();
    }

    public static CurrentSample currentBlock(String furnaceId, int block, int readings) {
        List<Float> a = new ArrayList<>();
        List<Float> b = new ArrayList<>();
        List<Float> c = new ArrayList<>();
        for (int k = 0; k < readings; k++) {
            a.add(9_000f + block * 10 + k);
            b.add(9_500f + block * 10 + k);
            c.add(10_000f + block * 10 + k);
        }
        return CurrentSample.newBuilder()
                .setFurnaceId(furnaceId)
                .setEventTimeMicros(EPOCH_MICROS + block * 1_000_000L * readings / 2)
                .setSampleRateHz(2.0)
                .setPhaseA(a)
                .setPhaseB(b)
                .setPhaseC(c)
                .build();
    }

    public static AnomalyEvent event(String furnaceId, long window, boolean anomalous) {
        long end = EPOCH_MICROS + window * 400_000L;
        List<Long> seqs = new ArrayList<>();
        for (long s = window; s < window + 10; s++) {
            seqs.add(s);
        }
        return AnomalyEvent.newBuilder()
                .setFurnaceId(furnaceId)
                .setWindowStartMicros(end - 360_000L)
                .setWindowEndMicros(end)
                .setClipFrameSeqs(seqs)
                .setAnomalyProbability(anomalous ? 0.93 : 0.04)
                .setDecision(anomalous ? Decision.ANOMALY : Decision.NORMAL)
                .setThreshold(0.5)
                .setVideoLogits(List.of(0.1f, anomalous ? 2.0f : -1.0f))
                .setCurrentLogits(List.of(0.2f, anomalous ? 0.5f : -0.5f))
                .setDegradations(anomalous ? List.of() : List.of(Degradation.CURRENT_STRETCHED))
                .setModel(new ModelInfo("fmformer-s", "1.0.0", "ab".repeat(32)))
                .setIngestTimeMillis(1_735_689_700_000L + window)
                .setEmitTimeMillis(1_735_689_700_050L + window)
                .build();
    }

    public static AnomalyMask mask(String furnaceId, long window) {
        return AnomalyMask.newBuilder()
                .setFurnaceId(furnaceId)
                .setWindowEndMicros(EPOCH_MICROS + window * 400_000L)
                .setFrameSeq(window + 9)
                .setWidth(SIZE)
                .setHeight(SIZE)
                .setEncoding(MaskEncoding.PNG_PROBABILITY)
                .setPayload(ByteBuffer.wrap(probabilityPng(window)))
                .setAnomalyAreaFraction(0.0625f)
                .setRegions(List.of(new BoundingBox(8, 8, 16, 16, 256, 0.97f)))
                .build();
    }

    static DeadLetter deadLetter(String furnaceId, long offset) {
        return DeadLetter.newBuilder()
                .setSourceTopic("fmf.video.frames")
                .setSourcePartition(1)
                .setSourceOffset(offset)
                .setErrorKind("NOT_SINGLE_OBJECT")
                .setReason("value does not start with the Avro single-object marker C3 01 (5 bytes)")
                .setOriginalKey(ByteBuffer.wrap(furnaceId.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, (byte) offset}))
                .setFailedAtMillis(1_735_689_800_000L + offset)
                .build();
    }

    /** A real 8-bit grayscale PNG, a bright square on dark ground, as the job writes masks. */
    private static byte[] probabilityPng(long window) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean inside = x >= 8 && x < 24 && y >= 8 && y < 24;
                int p = inside ? 247 : (int) (window % 20);
                image.getRaster().setSample(x, y, 0, p);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An incident opened at the given window of {@link #event}'s timeline. */
    static org.fmfstream.schemas.Incident incident(String furnaceId, long window) {
        long end = EPOCH_MICROS + window * 400_000L;
        return org.fmfstream.schemas.Incident.newBuilder()
                .setFurnaceId(furnaceId).setIncidentId(furnaceId + "-" + end)
                .setKind(org.fmfstream.schemas.IncidentKind.INCIDENT_OPENED).setEventTimeMicros(end)
                .setOpenedAtMicros(end).setFirstAnomalyMicros(end - 800_000L).setLastAnomalyMicros(end)
                .setClearedAtMicros(null).setAnomalousWindows(3).setTotalWindows(3).setPeakProbability(0.93)
                .setPeakWindowEndMicros(end).setPeakAreaFraction(null).setPeakRegion(null)
                .setDegraded(false).setDegradations(List.of()).setDegradedWindows(0)
                .setModel(new ModelInfo("fmformer-s", "1.0.0", "ab".repeat(32)))
                .setEmitTimeMillis(1_735_689_700_100L + window).build();
    }
}
