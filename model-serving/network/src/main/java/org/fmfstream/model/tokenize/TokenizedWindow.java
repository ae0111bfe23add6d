package org.fmfstream.model.tokenize;

/**
 * One window as model input: standard video tokens {@code [standardTokens][tokenValues]},
 * dilated video tokens {@code [dilatedTokens][tokenValues]} and current tokens
 * {@code [currentSteps][phases]}, each flattened row-major, plus what the window lacked.
 *
 * <p>The arrays belong to this object and are returned without copying; treat them as read-only.
 */
public final class TokenizedWindow {

    private final TokenBuffers tokens;
    private final WindowFlags flags;

    TokenizedWindow(TokenBuffers tokens, WindowFlags flags) {
        this.tokens = tokens;
        this.flags = flags;
    }

    /** The window as a batch of one, as the predictor takes it. */
    public TokenBuffers tokens() {
        return tokens;
    }

    /** Standard tokens, {@code [320][384]} flattened for the released spec. */
    public float[] standard() {
        return tokens.standard();
    }

    /** Dilated tokens, {@code [80][384]} flattened for the released spec. */
    public float[] dilated() {
        return tokens.dilated();
    }

    /** Current tokens, {@code [240][3]} flattened. */
    public float[] current() {
        return tokens.current();
    }

    public WindowFlags flags() {
        return flags;
    }

    public boolean videoMissing() {
        return flags.videoMissing();
    }

    public boolean currentMissing() {
        return flags.currentMissing();
    }

    public boolean currentStretched() {
        return flags.currentStretched();
    }

    /** Real current readings behind the current tokens. */
    public int currentReadings() {
        return flags.currentReadings();
    }
}
