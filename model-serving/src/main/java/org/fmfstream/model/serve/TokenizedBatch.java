package org.fmfstream.model.serve;

import java.util.SplittableRandom;
import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * The three contiguous token buffers of one batch, filled by {@link MultiScaleTokenizer} from
 * synthetic windows; {@link #tokenizeNanosPerWindow} times that filling on its own.
 */
public final class TokenizedBatch {

    private final int batch;
    private final float[] standard;
    private final float[] dilated;
    private final float[] current;
    private final long tokenizeNanosPerWindow;

    private TokenizedBatch(int batch, float[] standard, float[] dilated, float[] current, long nanosPerWindow) {
        this.batch = batch;
        this.standard = standard;
        this.dilated = dilated;
        this.current = current;
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
        float[] standard = new float[batch * spec.standardLength()];
        float[] dilated = new float[batch * spec.dilatedLength()];
        float[] current = new float[batch * spec.currentLength()];
        long[] nanos = new long[repetitions];
        int warmupRounds = (WARMUP_WINDOWS + batch - 1) / batch;
        for (int r = -warmupRounds; r < repetitions; r++) {
            long start = System.nanoTime();
            for (int b = 0; b < batch; b++) {
                tokenizer.tokenizeInto(clips[b], currents[b], standard, b * spec.standardLength(),
                        dilated, b * spec.dilatedLength(), current, b * spec.currentLength());
            }
            if (r >= 0) {
                nanos[r] = System.nanoTime() - start;
            }
        }
        return new TokenizedBatch(batch, standard, dilated, current, Medians.of(nanos) / batch);
    }

    public int batch() {
        return batch;
    }

    public float[] standard() {
        return standard;
    }

    public float[] dilated() {
        return dilated;
    }

    public float[] current() {
        return current;
    }

    /** Median over the repetitions of the time to tokenize one window into the batch buffers. */
    public long tokenizeNanosPerWindow() {
        return tokenizeNanosPerWindow;
    }
}
