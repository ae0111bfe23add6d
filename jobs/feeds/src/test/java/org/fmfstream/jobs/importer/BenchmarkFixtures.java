package org.fmfstream.jobs.importer;

import java.io.IOException;
import java.nio.file.Path;
import org.fmfstream.model.dataset.BenchmarkWriter;

/** Small layouts written with {@link BenchmarkWriter} for the importer and command tests. */
final class BenchmarkFixtures {
    /** 2023-05-10 21:33:27 UTC. */
    static final long T0_MILLIS = 1_683_754_407_000L;
    static final long T0_MICROS = T0_MILLIS * 1000;
    static final int W = 4;
    static final int H = 3;

    private BenchmarkFixtures() {}

    /**
     * Recording {@code name}: {@code seconds} seconds with {@code framesPerSecond} frames and two current
     * readings each. Frame i has every byte = i and a mask marking pixel i % (W*H); readings are
     * 1000*second + half on phase A.
     */
    static void recording(Path dir, String name, int seconds, int framesPerSecond) throws IOException {
        try (BenchmarkWriter writer = BenchmarkWriter.create(dir, name, W, H)) {
            int i = 0;
            for (int s = 0; s < seconds; s++) {
                for (int k = 0; k < framesPerSecond; k++, i++) {
                    byte[] rgb = new byte[W * H * 3];
                    java.util.Arrays.fill(rgb, (byte) i);
                    byte[] mask = new byte[W * H];
                    mask[i % (W * H)] = 1;
                    writer.addFrame(T0_MILLIS + s * 1000L + k * 1000L / framesPerSecond, rgb, mask);
                }
                writer.addCurrent(T0_MILLIS + s * 1000L, 1000f * s, 2f, 3f);
                writer.addCurrent(T0_MILLIS + s * 1000L + 500, 1000f * s + 1, 2f, 3f);
            }
        }
    }
}
