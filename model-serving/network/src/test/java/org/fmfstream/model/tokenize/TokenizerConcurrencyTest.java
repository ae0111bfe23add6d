package org.fmfstream.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One shared tokenizer used by several threads gives the same tokens as one thread. */
class TokenizerConcurrencyTest {

    private static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;
    private static final int THREADS = 4;
    private static final int WINDOWS = 24;
    private static final int ROUNDS = 20;

    @Test
    void sharedTokenizerGivesTheSameTokensFromManyThreads() throws Exception {
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(SPEC);
        List<Clip> clips = new ArrayList<>();
        List<CurrentWindow> currents = new ArrayList<>();
        for (int i = 0; i < WINDOWS; i++) {
            int seed = i;
            clips.add(Windows.clip((t, y, x, c) -> (seed * 31 + t * 7 + y * 5 + x * 3 + c * 11 + x * y) & 0xFF));
            currents.add(Windows.ramp(1 + i * 10, 5000f + i));
        }
        // Expected, computed on this thread before any sharing.
        List<TokenizedWindow> expected = new ArrayList<>();
        for (int i = 0; i < WINDOWS; i++) {
            expected.add(tokenizer.tokenize(clips.get(i), currents.get(i)));
        }

        // Every thread fills its own batch buffers with all windows, ROUNDS times, all starting together.
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int offsetWindow = thread;
                results.add(pool.submit(() -> {
                    float[] standard = new float[WINDOWS * SPEC.standardLength()];
                    float[] dilated = new float[WINDOWS * SPEC.dilatedLength()];
                    float[] current = new float[WINDOWS * SPEC.currentLength()];
                    start.await();
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int j = 0; j < WINDOWS; j++) {
                            // Threads walk the windows from different starting points.
                            int i = (j + offsetWindow * 5) % WINDOWS;
                            tokenizer.tokenizeInto(clips.get(i), currents.get(i), new TokenBuffers(SPEC, standard, dilated, current), i);
                        }
                    }
                    return new float[][] {standard, dilated, current};
                }));
            }
            start.countDown();
            for (Future<float[][]> result : results) {
                float[][] buffers = result.get(60, TimeUnit.SECONDS);
                for (int i = 0; i < WINDOWS; i++) {
                    TokenizedWindow want = expected.get(i);
                    assertThat(slice(buffers[0], i, SPEC.standardLength())).as("standard %d", i)
                            .isEqualTo(want.standard());
                    assertThat(slice(buffers[1], i, SPEC.dilatedLength())).as("dilated %d", i)
                            .isEqualTo(want.dilated());
                    assertThat(slice(buffers[2], i, SPEC.currentLength())).as("current %d", i)
                            .isEqualTo(want.current());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static float[] slice(float[] buffer, int window, int length) {
        return Arrays.copyOfRange(buffer, window * length, (window + 1) * length);
    }
}
