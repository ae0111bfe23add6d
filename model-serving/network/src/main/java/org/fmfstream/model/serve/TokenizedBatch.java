package org.fmfstream.model.serve;

import java.util.SplittableRandom;
import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * The token buffers of one batch, filled by {@link MultiScaleTokenizer} from
 * synthetic windows; {@link #tokenizeNanosPerWindow} times that filling on its own.
 */
public final class TokenizedBatch {

    private final TokenBuffers buffers;
    private final long tokenizeNanosPerWindow;

    private TokenizedBatch(TokenBuffers buffers, long nanosPerWindow) {
        this.buffers = buffers;
        this.tokenizeNanosPerWindow = nanosPerWindow;
    }

    /** Untimed windows tokenized first, so the timed ones run compiled code rather than the interpreter. */
    private static final int WARMUP_WINDOWS = 256;

    /**
     * Tokenizes {@code batch} synthetic windows into the batch buffers {@code repetitions} times
     * (after an untimed warm-up) and reports the median time per window.
     */
    public static TokenizedBatch synthetic(int batch, int repetitions, long seed) {
        if (batch < 1 || repetitions < 1) {
            throw new IllegalArgumentException("batch and repetitions must be at least 1, got " + batch
                    + " and " + repetitions);
        }
        TokenizerSpec spec = TokenizerSpec.FMFORMER;
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(spec);
        SplittableRandom random = new SplittableRandom(seed);
        Clip[] clips = new Clip[batch];
        CurrentWindow[] currents = new CurrentWindow[batch];
        for (int b = 0; b < batch; b++) {
            clips[b] = SyntheticWindows.clip(spec, random);
            currents[b] = SyntheticWindows.current(spec, random);
        }
        TokenBuffers buffers = TokenBuffers.forWindows(spec, batch);
        long[] nanos = new long[repetitions];
        int warmupRounds = (WARMUP_WINDOWS + batch - 1) / batch;
        for (int r = -warmupRounds; r < repetitions; r++) {
            long start = System.nanoTime();
            for (int b = 0; b < batch; b++) {
                tokenizer.tokenizeInto(clips[b], currents[b], buffers, b);
            }
            if (r >= 0) {
                nanos[r] = System.nanoTime() - start;
            }
        }
        return new TokenizedBatch(buffers, Medians.of(nanos) / batch);
    }

    public int batch() {
        return buffers.windows();
    }

    public TokenBuffers buffers() {
        return buffers;
    }

    /** Median over the repetitions of the time to tokenize one window into the batch buffers. */
    public long tokenizeNanosPerWindow() {
        return tokenizeNanosPerWindow;
    }
}
