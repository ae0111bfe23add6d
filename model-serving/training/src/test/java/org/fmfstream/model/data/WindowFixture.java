package org.fmfstream.model.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkWriter;

/**
 * A hand-made layout whose values say where they came from.
 *
 * <p>Recording R1: 30 frames, 3 a second from second {@link #T0} (frame f in second T0 + f/3). Pixel
 * (y, x) of frame f is (R, G, B) = (f, x, y). Frames with f % 5 == 4 are abnormal, with exactly one
 * abnormal pixel at row 2, column 3. Currents: two readings a second from T0 - 200 s to T0 + 15 s;
 * the k-th reading (0 or 1) of second T0 + d has phase A = 2d + k, B = -(2d + k), C = 5000 + 2d + k.
 * Sidecar simulator/R1.csv gives mist f / 100.
 *
 * <p>Recording R2: 10 frames, same pixel rule, none abnormal; currents only from second T0 (two a
 * second up to T0 + 5), so early windows have fewer than 240 readings; no sidecar.
 *
 * <p>Splits: train {R1: [0, 5, 12, 29], R2: [6]}, test {R1: [4, 9]}.
 */
public final class WindowFixture {
    public static final long T0 = 1_700_000_000L;

    private WindowFixture() {}

    public static Path write(Path dir) throws IOException {
        try (BenchmarkWriter w = BenchmarkWriter.create(dir, "R1", 64, 64)) {
            for (int f = 0; f < 30; f++) {
                w.addFrame(frameMillis(f), pixels(f), f % 5 == 4 ? onePixelMask() : null);
            }
            addCurrents(w, -200, 15);
        }
        try (BenchmarkWriter w = BenchmarkWriter.create(dir, "R2", 64, 64)) {
            for (int f = 0; f < 10; f++) {
                w.addFrame(frameMillis(f), pixels(f), null);
            }
            addCurrents(w, 0, 5);
        }
        Files.createDirectories(dir.resolve("simulator"));
        StringBuilder sidecar = new StringBuilder("frame,mist,episode\n");
        for (int f = 0; f < 30; f++) {
            sidecar.append(f).append(',').append(f / 100.0).append(",-1\n");
        }
        Files.writeString(dir.resolve("simulator/R1.csv"), sidecar.toString(), StandardCharsets.UTF_8);
        Map<String, int[]> train = new LinkedHashMap<>();
        train.put("R1", new int[] {0, 5, 12, 29});
        train.put("R2", new int[] {6});
        BenchmarkWriter.writeSplit(dir, BenchmarkLayout.Split.TRAIN, train);
        BenchmarkWriter.writeSplit(dir, BenchmarkLayout.Split.TEST, Map.of("R1", new int[] {4, 9}));
        return dir;
    }

    static long frameMillis(int f) {
        return (T0 + f / 3) * 1000L + (f % 3) * 300L;
    }

    /** Phase A of reading k of second T0 + d. */
    static float phaseA(int d, int k) {
        return 2f * d + k;
    }

    private static void addCurrents(BenchmarkWriter w, int fromOffset, int toOffset) throws IOException {
        for (int d = fromOffset; d <= toOffset; d++) {
            for (int k = 0; k < 2; k++) {
                float a = phaseA(d, k);
                w.addCurrent((T0 + d) * 1000L + k * 500L, a, -a, 5000f + a);
            }
        }
    }

    static byte[] pixels(int f) {
        byte[] rgb = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int p = (y * 64 + x) * 3;
                rgb[p] = (byte) f;
                rgb[p + 1] = (byte) x;
                rgb[p + 2] = (byte) y;
            }
        }
        return rgb;
    }

    private static byte[] onePixelMask() {
        byte[] mask = new byte[64 * 64];
        mask[2 * 64 + 3] = 1;
        return mask;
    }
}
