package org.fmfstream.model.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkRoundTripTest {
    static final int W = 6;
    static final int H = 4;
    /** 2023-05-10 21:33:27 UTC. */
    static final long T0_MILLIS = 1_683_754_407_000L;

    @Test
    void framesMasksTimestampsCurrentsAndSplitsSurviveWriteThenRead(@TempDir Path dir) throws Exception {
        Random random = new Random(42);
        // 7 frames: 3 in the first second, 4 in the next; every other frame has a mask.
        long[] frameMillis = {0, 300, 700, 1000, 1250, 1500, 1750};
        List<byte[]> rgbs = new ArrayList<>();
        List<byte[]> masks = new ArrayList<>();
        try (BenchmarkWriter writer = BenchmarkWriter.create(dir, "batch1", W, H)) {
            for (int i = 0; i < frameMillis.length; i++) {
                byte[] rgb = new byte[W * H * 3];
                random.nextBytes(rgb);
                byte[] mask = null;
                if (i % 2 == 0) {
                    mask = new byte[W * H];
                    for (int p = 0; p < mask.length; p++) {
                        mask[p] = (byte) (random.nextInt(3) == 0 ? 1 : 0);
                    }
                }
                rgbs.add(rgb);
                masks.add(mask);
                writer.addFrame(T0_MILLIS + frameMillis[i], rgb, mask);
            }
            writer.addCurrent(T0_MILLIS, 6343.75f, 8157.79f, 6149.69f);
            writer.addCurrent(T0_MILLIS + 500, 11369.2f, 13860f, 12341.4f);
            writer.addCurrents(CurrentSample.newBuilder().setFurnaceId("F1").setEventTimeMicros((T0_MILLIS + 1000) * 1000)
                    .setSampleRateHz(2.0).setPhaseA(List.of(1f, 2f)).setPhaseB(List.of(3f, 4f))
                    .setPhaseC(List.of(5f, 6f)).build());
            assertThat(writer.frameCount()).isEqualTo(7);
            assertThat(writer.currentCount()).isEqualTo(4);
        }
        Map<String, int[]> train = new LinkedHashMap<>();
        train.put("batch1", new int[] {0, 2, 4, 6});
        BenchmarkWriter.writeSplit(dir, BenchmarkLayout.Split.TRAIN, train);
        BenchmarkWriter.writeSplit(dir, BenchmarkLayout.Split.TEST, Map.of("batch1", new int[] {1, 3}));

        // Only the final files remain: no spools or temporary files.
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted())
                    .containsExactly("currents/batch1.csv", "test.json", "timestamps/batch1.csv", "train.json",
                            "videos/batch1.mat");
        }
        assertThat(Files.readAllLines(dir.resolve("timestamps/batch1.csv")))
                .containsExactly("time", "2023-05-10 21:33:27", "2023-05-10 21:33:27", "2023-05-10 21:33:27",
                        "2023-05-10 21:33:28", "2023-05-10 21:33:28", "2023-05-10 21:33:28", "2023-05-10 21:33:28");
        assertThat(Files.readAllLines(dir.resolve("currents/batch1.csv"))).containsExactly("time,A,B,C",
                "2023-05-10 21:33:27,6343.75,8157.79,6149.69", "2023-05-10 21:33:27,11369.2,13860.0,12341.4",
                "2023-05-10 21:33:28,1.0,3.0,5.0", "2023-05-10 21:33:28,2.0,4.0,6.0");
        assertThat(Files.readString(dir.resolve("train.json"))).isEqualTo("{\"batch1.mat\": [0, 2, 4, 6]}\n");

        BenchmarkReader reader = BenchmarkReader.open(dir, ZoneOffset.UTC, w -> {
            throw new AssertionError("unexpected warning: " + w);
        });
        assertThat(reader.names()).containsExactly("batch1");
        assertThat(reader.split(BenchmarkLayout.Split.TRAIN).get("batch1")).containsExactly(0, 2, 4, 6);
        assertThat(reader.split(BenchmarkLayout.Split.TEST).get("batch1")).containsExactly(1, 3);
        try (BenchmarkRecording rec = reader.recording("batch1")) {
            assertThat(rec.frameCount()).isEqualTo(7);
            assertThat(rec.width()).isEqualTo(W);
            assertThat(rec.height()).isEqualTo(H);
            long s0 = T0_MILLIS * 1000;
            long[] expectedTimes = {s0, s0 + 333_333, s0 + 666_666,
                    s0 + 1_000_000, s0 + 1_250_000, s0 + 1_500_000, s0 + 1_750_000};
            Iterator<BenchmarkFrame> it = rec.frames();
            for (int i = 0; i < 7; i++) {
                BenchmarkFrame f = it.next();
                assertThat(f.index()).isEqualTo(i);
                assertThat(f.eventTimeMicros()).isEqualTo(expectedTimes[i]);
                assertThat(f.rgb()).isEqualTo(rgbs.get(i));
                assertThat(f.mask()).isEqualTo(masks.get(i) == null ? new byte[W * H] : masks.get(i));
            }
            assertThat(it.hasNext()).isFalse();
            // A slice from the middle equals the same frames read whole.
            assertThat(rec.readFrames(3, 2).get(1).rgb()).isEqualTo(rgbs.get(4));
            assertThat(rec.currents()).containsExactly(
                    new CurrentReading(s0, 6343.75f, 8157.79f, 6149.69f),
                    new CurrentReading(s0 + 500_000, 11369.2f, 13860f, 12341.4f),
                    new CurrentReading(s0 + 1_000_000, 1f, 3f, 5f),
                    new CurrentReading(s0 + 1_500_000, 2f, 4f, 6f));
            VideoFrame vf = rec.readFrames(2, 1).get(0).toVideoFrame("F01", "cam0");
            assertThat(vf.getEncoding()).isEqualTo(PixelEncoding.RGB8);
            assertThat(vf.getFrameSeq()).isEqualTo(2);
            assertThat(bytes(vf.getPayload())).isEqualTo(rgbs.get(2));
            assertThat(bytes(vf.getGroundTruthMask())).isEqualTo(masks.get(2));
        }
    }

    @Test
    void timestampsAreWrittenAndReadInTheGivenZone(@TempDir Path dir) throws Exception {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        try (BenchmarkWriter writer = BenchmarkWriter.create(dir, "z", 2, 2, shanghai)) {
            writer.addFrame(T0_MILLIS, new byte[12], null);
            writer.addCurrent(T0_MILLIS, 1, 2, 3);
        }
        // 21:33:27 UTC is 05:33:27 the next morning in Shanghai.
        assertThat(Files.readAllLines(dir.resolve("timestamps/z.csv"))).containsExactly("time", "2023-05-11 05:33:27");
        try (BenchmarkRecording rec = BenchmarkReader.open(dir, shanghai, w -> { }).recording("z")) {
            assertThat(rec.frameTimeMicros(0)).isEqualTo(T0_MILLIS * 1000);
        }
        try (BenchmarkRecording rec = BenchmarkReader.open(dir, ZoneOffset.UTC, w -> { }).recording("z")) {
            long asUtc = LocalDateTime.parse("2023-05-11T05:33:27").toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
            assertThat(rec.frameTimeMicros(0)).isEqualTo(asUtc);
        }
    }

    @Test
    void abortLeavesNothingBehind(@TempDir Path dir) throws Exception {
        BenchmarkWriter writer = BenchmarkWriter.create(dir, "gone", 2, 2);
        writer.addFrame(T0_MILLIS, new byte[12], null);
        writer.abort();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
