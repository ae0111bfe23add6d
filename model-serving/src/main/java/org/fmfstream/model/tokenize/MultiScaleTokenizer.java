package org.fmfstream.model.tokenize;

import java.util.Objects;

/**
 * Turns one aligned window (clip + current) into the three token sets FmFormer takes: standard
 * and dilated video tokens and current tokens, laid out exactly as the reference implementation
 * builds them (see model-serving/README.md, "Tokenizer").
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

    /** Tokenizes into fresh arrays. */
    public TokenizedWindow tokenize(Clip clip, CurrentWindow currentWindow) {
        float[] standard = new float[spec.standardLength()];
        float[] dilated = new float[spec.dilatedLength()];
        float[] currentTokens = new float[spec.currentLength()];
        WindowFlags flags = tokenizeInto(clip, currentWindow, standard, 0, dilated, 0, currentTokens, 0);
        return new TokenizedWindow(standard, dilated, currentTokens, flags);
    }

    /**
     * Writes one window's tokens at the given float offsets (for window b of a batch:
     * {@code b * spec.standardLength()}, {@code b * spec.dilatedLength()},
     * {@code b * spec.currentLength()}). Only those slices are written. Everything is validated
     * before the first write, so a rejected window leaves the buffers untouched.
     *
     * @return what the window lacked
     * @throws IllegalArgumentException when an input was built for another spec or a buffer slice
     *                                  is out of range
     */
    public WindowFlags tokenizeInto(Clip clip, CurrentWindow currentWindow,
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
