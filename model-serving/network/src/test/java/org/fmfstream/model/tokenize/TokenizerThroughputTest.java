package org.fmfstream.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Micro-benchmark style: prints the time to tokenize one window into batch buffers. The time is
 * reported, not asserted (the build machine is shared); the test only checks the timed work really
 * produced the window's tokens.
 */
class TokenizerThroughputTest {

    private static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;
    private static final int BATCH = 64;

    @Test
    void printsMicrosecondsPerWindow() {
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(SPEC);
        Clip clip = Windows.clip((t, y, x, c) -> (t * 7 + y * 5 + x * 3 + c * 11 + x * y) & 0xFF);
        CurrentWindow current = Windows.ramp(240, 8000f);
        float[] standard = new float[BATCH * SPEC.standardLength()];
        float[] dilated = new float[BATCH * SPEC.dilatedLength()];
        float[] currents = new float[BATCH * SPEC.currentLength()];

        fill(tokenizer, clip, current, standard, dilated, currents, 3_000);   // warm-up for the JIT
        // Several rounds, best and median: the build machine's cores are shared, so one long
        // run mostly measures the neighbours.
        int rounds = 7;
        int windows = 1_280;
        double[] micros = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            fill(tokenizer, clip, current, standard, dilated, currents, windows);
            micros[r] = (System.nanoTime() - start) / 1_000.0 / windows;
        }
        Arrays.sort(micros);
        System.out.printf("MultiScaleTokenizer: %.1f us/window best, %.1f median (%d rounds of %d windows,"
                + " batch buffers of %d)%n", micros[0], micros[rounds / 2], rounds, windows, BATCH);

        TokenizedWindow alone = tokenizer.tokenize(clip, current);
        int last = BATCH - 1;
        assertThat(Arrays.copyOfRange(standard, last * SPEC.standardLength(), BATCH * SPEC.standardLength()))
                .isEqualTo(alone.standard());
        assertThat(Arrays.copyOfRange(currents, last * SPEC.currentLength(), BATCH * SPEC.currentLength()))
                .isEqualTo(alone.current());
    }

    private static void fill(MultiScaleTokenizer tokenizer, Clip clip, CurrentWindow current,
                             float[] standard, float[] dilated, float[] currents, int windows) {
        for (int i = 0; i < windows; i++) {
            int b = i % BATCH;
            tokenizer.tokenizeInto(clip, current, new TokenBuffers(SPEC, standard, dilated, currents), b);
        }
    }
}
