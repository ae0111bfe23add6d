package org.fmfstream.operators.infer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.fmfstream.operators.window.AlignedWindow;
import org.fmfstream.operators.window.ScoredWindow;

/** Test fixtures: reproducible aligned windows and a ResultFuture backed by a CompletableFuture. */
final class TestWindows {

    static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;

    private TestWindows() {}

    /**
     * A complete window: 10 random frames whose very first byte is {@code marker} (so token 0 of
     * the standard buffer is marker / 255) and 240 current readings around 10 kA.
     */
    static AlignedWindow window(String furnace, int index, int marker, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        AlignedWindow w = new AlignedWindow();
        w.furnaceId = furnace;
        int n = SPEC.frames();
        w.frames = new byte[n][SPEC.frameBytes()];
        w.frameSeqs = new long[n];
        w.frameTimesMicros = new long[n];
        long base = 1_000_000L * index;
        for (int t = 0; t < n; t++) {
            random.nextBytes(w.frames[t]);
            w.frameSeqs[t] = index * 100L + t;
            w.frameTimesMicros[t] = base + t * 40_000L;
        }
        w.frames[0][0] = (byte) marker;
        w.windowStartMicros = w.frameTimesMicros[0];
        w.windowEndMicros = w.frameTimesMicros[n - 1];
        int steps = SPEC.currentSteps();
        w.phaseA = new float[steps];
        w.phaseB = new float[steps];
        w.phaseC = new float[steps];
        for (int k = 0; k < steps; k++) {
            w.phaseA[k] = (float) (10_000 + 1_500 * random.nextGaussian());
            w.phaseB[k] = (float) (10_000 + 1_500 * random.nextGaussian());
            w.phaseC[k] = (float) (10_000 + 1_500 * random.nextGaussian());
        }
        w.lastIngestMillis = 1_700_000_000_000L + index;
        w.decidedMillis = 1_700_000_000_100L + index;
        return w;
    }

    static List<AlignedWindow> windows(int count, long seed) {
        List<AlignedWindow> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(window("f" + (i % 3), i, i, seed + i));
        }
        return out;
    }

    /** Records what the operator completes a window with. */
    static final class Future implements ResultFuture<ScoredWindow> {
        final CompletableFuture<ScoredWindow> result = new CompletableFuture<>();

        @Override
        public void complete(Collection<ScoredWindow> values) {
            if (values.size() != 1) {
                result.completeExceptionally(new AssertionError("expected one result, got " + values.size()));
            }
            result.complete(values.iterator().next());
        }

        @Override
        public void completeExceptionally(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void complete(CollectionSupplier<ScoredWindow> supplier) {
            try {
                complete(supplier.get());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }
    }
}
