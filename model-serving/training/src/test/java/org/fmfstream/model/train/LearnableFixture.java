package org.fmfstream.model.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkWriter;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.Modality;

/**
 * A trivially learnable layout: 64 frames of dark noise, 4 frames a second; frames in every other
 * block of 4 (f / 4 odd) are abnormal and carry a bright 12x12 square, which is also their mask.
 * Currents are noise around 10 kA. Train split: every frame; test split: every other frame.
 */
public final class LearnableFixture {
    public static final int FRAMES = 64;

    private LearnableFixture() {}

    /** A network small enough for a few dozen CPU steps in a test: D 32, one layer, dense head on. */
    public static FmFormerConfig tinyModel() {
        return new FmFormerConfig("tiny", 32, 1, 2, 16, 64, 2, List.of(8, 8, 8), 10, 64, 8, 2, 3, 240, 3,
                Modality.CROSS_MODAL, true);
    }

    public static boolean abnormal(int f) {
        return (f / 4) % 2 == 1;
    }

    public static Path write(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(99);
        long t0 = 1_700_000_000_000L;
        try (BenchmarkWriter w = BenchmarkWriter.create(dir, "L", 64, 64)) {
            for (int f = 0; f < FRAMES; f++) {
                byte[] rgb = new byte[64 * 64 * 3];
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] = (byte) random.nextInt(60);
                }
                byte[] mask = null;
                if (abnormal(f)) {
                    mask = new byte[64 * 64];
                    int y0 = 20 + random.nextInt(20);
                    int x0 = 20 + random.nextInt(20);
                    for (int y = y0; y < y0 + 12; y++) {
                        for (int x = x0; x < x0 + 12; x++) {
                            mask[y * 64 + x] = 1;
                            for (int c = 0; c < 3; c++) {
                                rgb[(y * 64 + x) * 3 + c] = (byte) 250;
                            }
                        }
                    }
                }
                w.addFrame(t0 + f * 250L, rgb, mask);
            }
            for (int k = 0; k < 2 * (FRAMES / 4 + 1); k++) {
                w.addCurrent(t0 + k * 500L, 10_000f + (float) random.nextGaussian() * 500,
                        10_000f + (float) random.nextGaussian() * 500, 10_000f + (float) random.nextGaussian() * 500);
            }
        }
        int[] all = new int[FRAMES];
        int[] half = new int[FRAMES / 2];
        for (int f = 0; f < FRAMES; f++) {
            all[f] = f;
            if (f % 2 == 0) {
                half[f / 2] = f;
            }
        }
        BenchmarkWriter.writeSplit(dir, BenchmarkLayout.Split.TRAIN, Map.of("L", all));
        BenchmarkWriter.writeSplit(dir, BenchmarkLayout.Split.TEST, Map.of("L", half));
        return dir;
    }
}
