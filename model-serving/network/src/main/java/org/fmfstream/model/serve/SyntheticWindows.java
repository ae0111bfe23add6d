package org.fmfstream.model.serve;

import java.util.SplittableRandom;
import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * Random but well-formed windows for benchmarks: full clips of random pixels and full current
 * windows around the plant's 6-14 kA, so the tokenizer takes its ordinary path.
 */
final class SyntheticWindows {

    private SyntheticWindows() {}

    static Clip clip(TokenizerSpec spec, SplittableRandom random) {
        byte[][] frames = new byte[spec.frames()][spec.frameBytes()];
        long[] seqs = new long[spec.frames()];
        long[] times = new long[spec.frames()];
        for (int t = 0; t < spec.frames(); t++) {
            random.nextBytes(frames[t]);
            seqs[t] = t;
            times[t] = t * 40_000L;
        }
        return Clip.of(spec, frames, seqs, times);
    }

    static CurrentWindow current(TokenizerSpec spec, SplittableRandom random) {
        float[][] phases = new float[spec.phases()][spec.currentSteps()];
        for (float[] phase : phases) {
            for (int k = 0; k < phase.length; k++) {
                phase[k] = (float) (10_000 + 2_000 * random.nextGaussian());
            }
        }
        return CurrentWindow.of(spec, phases);
    }
}
