package org.fmfstream.model.tokenize;

import java.util.Objects;

/**
 * Model input for a batch of windows: standard video tokens, dilated video tokens and current
 * tokens, each one contiguous array holding window {@code w} at {@code w} times its per-window
 * length ({@link TokenizerSpec#standardLength()}, {@link TokenizerSpec#dilatedLength()},
 * {@link TokenizerSpec#currentLength()}). The tokenizer fills them
 * ({@link MultiScaleTokenizer#tokenizeInto(Clip, CurrentWindow, TokenBuffers, int)}), the
 * predictor reads them; they travel together, so no call can pair one batch's video with
 * another's current.
 *
 * <p>The arrays are shared, not copied: a batch's buffers are reused from batch to batch.
 */
public record TokenBuffers(TokenizerSpec spec, float[] standard, float[] dilated, float[] current) {

    /** @throws IllegalArgumentException when the three arrays do not hold the same whole number of windows */
    public TokenBuffers {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(standard, "standard");
        Objects.requireNonNull(dilated, "dilated");
        Objects.requireNonNull(current, "current");
        int windows = standard.length / spec.standardLength();
        if (windows < 1 || standard.length != windows * spec.standardLength()
                || dilated.length != windows * spec.dilatedLength() || current.length != windows * spec.currentLength()) {
            throw new IllegalArgumentException("token buffers of " + standard.length + " / " + dilated.length + " / "
                    + current.length + " floats do not hold the same whole number (at least 1) of windows of "
                    + spec.standardLength() + " / " + spec.dilatedLength() + " / " + spec.currentLength() + " floats");
        }
    }

    /** Zeroed buffers for {@code windows} windows. */
    public static TokenBuffers forWindows(TokenizerSpec spec, int windows) {
        if (windows < 1) {
            throw new IllegalArgumentException("token buffers need room for at least 1 window, got " + windows);
        }
        return new TokenBuffers(spec, new float[windows * spec.standardLength()],
                new float[windows * spec.dilatedLength()], new float[windows * spec.currentLength()]);
    }

    /** How many windows the buffers hold. */
    public int windows() {
        return standard.length / spec.standardLength();
    }
}
