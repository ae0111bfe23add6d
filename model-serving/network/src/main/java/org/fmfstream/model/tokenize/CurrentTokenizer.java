package org.fmfstream.model.tokenize;

import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a current window into {@code currentSteps} tokens of {@code phases} values (reading k's
 * phases A, B, C in kA), stretching short windows with {@link CurrentStretch} as the reference does.
 *
 * <p>Stateless: safe to share between threads.
 */
public final class CurrentTokenizer {

    private final TokenizerSpec spec;

    public CurrentTokenizer(TokenizerSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    public TokenizerSpec spec() {
        return spec;
    }

    /**
     * Writes {@code spec.currentLength()} floats at {@code offset}, token-major
     * ([step][phase]); zeros when the window has no reading.
     *
     * @throws IllegalArgumentException when the window has another spec or the buffer is too small
     */
    public void tokenizeInto(CurrentWindow window, float[] out, int offset) {
        check(window, out, offset);
        write(window, out, offset);
    }

    void check(CurrentWindow window, float[] out, int offset) {
        Objects.requireNonNull(window, "current");
        if (!window.spec().equals(spec)) {
            throw new IllegalArgumentException(
                    "current window was built for " + window.spec() + ", tokenizer uses " + spec);
        }
        BufferSlice.check("current", out, offset, spec.currentLength());
    }

    void write(CurrentWindow window, float[] out, int offset) {
        int steps = spec.currentSteps();
        int phases = spec.phases();
        int n = window.count();
        if (n == 0) {
            Arrays.fill(out, offset, offset + spec.currentLength(), 0f);
            return;
        }
        float divisor = spec.currentDivisor();
        int dst = offset;
        for (int k = 0; k < steps; k++) {
            int source = n == steps ? k : CurrentStretch.sourceIndex(k, n, steps);
            for (int p = 0; p < phases; p++) {
                out[dst++] = window.reading(p, source) / divisor;
            }
        }
    }
}
