package org.fmfstream.model.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The array order against an independent implementation: h5py, i.e. what the public loader uses.
 * W != H and every value encodes its position, so a transpose or a channel swap cannot pass.
 */
class BenchmarkDimensionOrderTest {
    static final int T = 2;
    static final int W = 5;
    static final int H = 4;

    /** Same formulas as h5py_pattern.py. */
    static int pixel(int t, int c, int x, int y) {
        return 10 + 2 * (((t * 3 + c) * W + x) * H + y);
    }

    static int label(int t, int x, int y) {
        return ((x * 7 + y * 3 + t) % 4) * 85;
    }

    /** Chunked and compressed as MATLAB writes, and contiguous; both behind a 512-byte user block. */
    @Test
    void readerGivesTheRgbAtXyOfFilesWrittenByH5pyLikeMatlab(@TempDir Path dir) throws Exception {
        H5py.run(dir, "write", dir.resolve("layout"), T, W, H);

        BenchmarkReader reader = BenchmarkReader.open(dir.resolve("layout"), ZoneOffset.UTC, w -> {
            throw new AssertionError("unexpected warning: " + w);
        });
        assertThat(reader.names()).containsExactly("chunked", "contiguous");
        for (String name : reader.names()) {
            checkPattern(reader, name);
        }
    }

    private static void checkPattern(BenchmarkReader reader, String name) {
        try (BenchmarkRecording rec = reader.recording(name)) {
            assertThat(rec.frameCount()).isEqualTo(T);
            assertThat(rec.width()).isEqualTo(W);
            assertThat(rec.height()).isEqualTo(H);
            List<BenchmarkFrame> frames = rec.readFrames(0, T);
            for (int t = 0; t < T; t++) {
                BenchmarkFrame f = frames.get(t);
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        for (int c = 0; c < 3; c++) {
                            assertThat(f.rgb()[(y * W + x) * 3 + c] & 0xff)
                                    .as("%s t=%d c=%d x=%d y=%d", name, t, c, x, y).isEqualTo(pixel(t, c, x, y));
                        }
                        assertThat(f.mask()[y * W + x])
                                .as("%s mask t=%d x=%d y=%d", name, t, x, y).isEqualTo((byte) (label(t, x, y) > 0 ? 1 : 0));
                    }
                }
            }
            // A slice of the second frame alone, starting inside a chunk.
            assertThat(rec.readFrames(1, 1).get(0).rgb()).isEqualTo(frames.get(1).rgb());
            assertThat(rec.readFrames(1, 1).get(0).mask()).isEqualTo(frames.get(1).mask());
            // Both frames fall in 21:33:27: spread to s and s + 0.5 s.
            long s = Instant.parse("2023-05-10T21:33:27Z").getEpochSecond() * 1_000_000L;
            assertThat(frames.get(0).eventTimeMicros()).isEqualTo(s);
            assertThat(frames.get(1).eventTimeMicros()).isEqualTo(s + 500_000L);
            assertThat(rec.currents()).hasSize(2);
            assertThat(rec.currents().get(0)).isEqualTo(new CurrentReading(s, 6000.5f, 7000.25f, 8000.75f));
            assertThat(rec.currents().get(1)).isEqualTo(new CurrentReading(s + 500_000L, 6000.5f, 7001.25f, 8000.75f));
        }
    }

    @Test
    void h5pyReadsTheJavaWrittenFileAsUint8WithTheSameShapesAndValues(@TempDir Path dir) throws Exception {
        Path layout = dir.resolve("layout");
        try (BenchmarkWriter writer = BenchmarkWriter.create(layout, "pattern", W, H)) {
            for (int t = 0; t < T; t++) {
                byte[] rgb = new byte[W * H * 3];
                byte[] mask = new byte[W * H];
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        for (int c = 0; c < 3; c++) {
                            rgb[(y * W + x) * 3 + c] = (byte) pixel(t, c, x, y);
                        }
                        mask[y * W + x] = (byte) label(t, x, y);
                    }
                }
                writer.addFrame(1_683_754_407_000L + 40L * t, rgb, mask);
            }
            writer.addCurrent(1_683_754_407_000L, 1f, 2f, 3f);
        }

        String out = H5py.run(dir, "check", layout.resolve("videos/pattern.mat"), T, W, H);
        assertThat(out.trim()).isEqualTo("ok");
    }
}
