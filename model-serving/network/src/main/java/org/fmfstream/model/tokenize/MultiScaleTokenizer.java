package org.fmfstream.model.tokenize;

import java.util.Objects;

/**
 * Turns one aligned window (clip + current) into the three token sets FmFormer takes: standard
 * and dilated video tokens and current tokens, laid out exactly as the reference implementation
 * builds them (see model-serving/network/README.md, "Tokenizer").
 *
 * <p>Stateless and thread-safe. {@link #tokenizeInto} writes into caller buffers so a batch of B
 * windows fills contiguous {@code [B, tokens, values]} arrays without allocating per window.
 * Training augmentation (horizontal flip) is not done here: flip the {@link Clip} and its
 * {@link MaskTarget} before tokenizing.
 */
public final class MultiScaleTokenizer {

    private final TokenizerSpec spec;
    private final VideoTokenizer video;
    private final CurrentTokenizer current;

    public MultiScaleTokenizer(TokenizerSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.video = new VideoTokenizer(spec);
        this.current = new CurrentTokenizer(spec);
    }

    public TokenizerSpec spec() {
        return spec;
    }

    /** Tokenizes into fresh buffers of one window. */
    public TokenizedWindow tokenize(Clip clip, CurrentWindow currentWindow) {
        TokenBuffers tokens = TokenBuffers.forWindows(spec, 1);
        return new TokenizedWindow(tokens, tokenizeInto(clip, currentWindow, tokens, 0));
    }

    /**
     * Writes one window's tokens as window {@code window} of the batch buffers {@code into}. Only
     * that window's slices are written. Everything is validated before the first write, so a
     * rejected window leaves the buffers untouched.
     *
     * @return what the window lacked
     * @throws IllegalArgumentException when an input or the buffers were built for another spec, or
     *                                  {@code window} is outside the buffers
     */
    public WindowFlags tokenizeInto(Clip clip, CurrentWindow currentWindow, TokenBuffers into, int window) {
        if (!into.spec().equals(spec)) {
            throw new IllegalArgumentException("token buffers were made for " + into.spec() + ", this tokenizer is for " + spec);
        }
        if (window < 0 || window >= into.windows()) {
            throw new IllegalArgumentException("window " + window + " is outside the buffers' 0.." + (into.windows() - 1));
        }
        return write(clip, currentWindow, into.standard(), window * spec.standardLength(),
                into.dilated(), window * spec.dilatedLength(), into.current(), window * spec.currentLength());
    }

    private WindowFlags write(Clip clip, CurrentWindow currentWindow,
                              float[] standardOut, int standardOffset,
                              float[] dilatedOut, int dilatedOffset,
                              float[] currentOut, int currentOffset) {
        video.check(clip, standardOut, standardOffset, dilatedOut, dilatedOffset);
        current.check(currentWindow, currentOut, currentOffset);
        video.write(clip, standardOut, standardOffset, dilatedOut, dilatedOffset);
        current.write(currentWindow, currentOut, currentOffset);
        return new WindowFlags(clip.isMissing(), currentWindow.isMissing(), currentWindow.isStretched(),
                currentWindow.count());
    }
}
