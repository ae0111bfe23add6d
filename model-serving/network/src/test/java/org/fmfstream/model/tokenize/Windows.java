package org.fmfstream.model.tokenize;

/**
 * Test fixtures: clips whose pixels follow a formula, and the expected tokens computed straight
 * from the reference's einops pattern {@code c (f pf) (h p1) (w p2) -> (f h w) (p1 p2 pf c)}
 * with the released sizes written out as literals (pf = 2, p1 = p2 = 8, c = 3), so the
 * expectation does not share code or spec arithmetic with the tokenizer.
 */
final class Windows {

    static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;

    /** Byte value (0..255) of frame t, row y, column x, channel c. */
    @FunctionalInterface
    interface Pixels {
        int value(int t, int y, int x, int c);
    }

    private Windows() {
    }

    static Clip clip(Pixels pixels) {
        byte[][] frames = new byte[10][64 * 64 * 3];
        long[] seqs = new long[10];
        long[] times = new long[10];
        for (int t = 0; t < 10; t++) {
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    for (int c = 0; c < 3; c++) {
                        frames[t][(y * 64 + x) * 3 + c] = (byte) pixels.value(t, y, x, c);
                    }
                }
            }
            seqs[t] = 1000 + t;
            times[t] = 1_700_000_000_000_000L + t * 40_000L;
        }
        return Clip.of(SPEC, frames, seqs, times);
    }

    /** Expected standard tokens, [320][384] flattened, from the einops formula. */
    static float[] einopsStandard(Pixels pixels) {
        float[] out = new float[320 * 384];
        for (int n = 0; n < 320; n++) {
            int f = n / 64;
            int h = n / 8 % 8;
            int w = n % 8;
            for (int v = 0; v < 384; v++) {
                int p1 = v / 48;
                int p2 = v / 6 % 8;
                int pf = v / 3 % 2;
                int c = v % 3;
                out[n * 384 + v] = pixels.value(2 * f + pf, 8 * h + p1, 8 * w + p2, c) / 255f;
            }
        }
        return out;
    }

    /**
     * Expected dilated tokens, [80][384] flattened: nearest interpolation to 32x32 keeps source
     * pixel (2 * row, 2 * col), then the same einops pattern over a 4x4 grid of patches.
     */
    static float[] einopsDilated(Pixels pixels) {
        float[] out = new float[80 * 384];
        for (int n = 0; n < 80; n++) {
            int f = n / 16;
            int h = n / 4 % 4;
            int w = n % 4;
            for (int v = 0; v < 384; v++) {
                int p1 = v / 48;
                int p2 = v / 6 % 8;
                int pf = v / 3 % 2;
                int c = v % 3;
                out[n * 384 + v] = pixels.value(2 * f + pf, 2 * (8 * h + p1), 2 * (8 * w + p2), c) / 255f;
            }
        }
        return out;
    }

    /** Readings 0..n-1 of phase p are base + 10 * k + p (amperes). */
    static CurrentWindow ramp(int n, float base) {
        float[][] phases = new float[3][n];
        for (int p = 0; p < 3; p++) {
            for (int k = 0; k < n; k++) {
                phases[p][k] = base + 10f * k + p;
            }
        }
        return CurrentWindow.of(SPEC, phases);
    }
}
