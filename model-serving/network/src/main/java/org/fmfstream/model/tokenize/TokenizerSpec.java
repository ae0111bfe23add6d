package org.fmfstream.model.tokenize;

/**
 * The shape and scaling of one FmFormer input window, in one place so that the model
 * configuration and the tokenizer cannot disagree.
 *
 * <p>A window is a clip of {@code frames} square RGB frames of {@code frameSize} pixels plus
 * {@code currentSteps} readings of {@code phases} electrode currents. Video is cut into
 * space-time patches of {@code framePatch} frames by {@code patchSize}x{@code patchSize} pixels
 * twice: once at full resolution ("standard" tokens) and once after keeping every
 * {@code dilation}-th row and column ("dilated" tokens, each seeing a larger field).
 *
 * <p>Scaling: the reference implementation feeds raw 0..255 pixels and raw amperes, and the model's
 * first operation on every token is a LayerNorm, so the scale does not change what the model can
 * learn; it only keeps values near 1 for float precision. Tokens are
 * {@code pixel / pixelDivisor} and {@code amperes / currentDivisor}.
 *
 * @param frames         frames per clip (reference: 10)
 * @param frameSize      frame width = height in pixels (reference: 64)
 * @param patchSize      patch width = height in pixels (reference: 8)
 * @param framePatch     frames per patch (reference: 2)
 * @param dilation       spatial stride of the dilated tokens (reference: 2, nearest down-sampling)
 * @param currentSteps   current readings per window (reference: 240 = 120 s at 2 Hz)
 * @param phases         current phases per reading (3)
 * @param pixelDivisor   pixel byte values are divided by this (255: pixels in [0, 1])
 * @param currentDivisor amperes are divided by this (1000: currents in kA)
 */
public record TokenizerSpec(
        int frames,
        int frameSize,
        int patchSize,
        int framePatch,
        int dilation,
        int currentSteps,
        int phases,
        float pixelDivisor,
        float currentDivisor) {

    /** Colour channels of an RGB8 frame. */
    public static final int CHANNELS = 3;

    /** The released FmFormer configuration. */
    public static final TokenizerSpec FMFORMER = new TokenizerSpec(10, 64, 8, 2, 2, 240, 3, 255f, 1000f);

    public TokenizerSpec {
        requirePositive("frames", frames);
        requirePositive("frameSize", frameSize);
        requirePositive("patchSize", patchSize);
        requirePositive("framePatch", framePatch);
        requirePositive("dilation", dilation);
        requirePositive("currentSteps", currentSteps);
        requirePositive("phases", phases);
        if (frames % framePatch != 0) {
            throw new IllegalArgumentException(
                    "frames (" + frames + ") must be a multiple of framePatch (" + framePatch + ")");
        }
        if (frameSize % (patchSize * dilation) != 0) {
            throw new IllegalArgumentException("frameSize (" + frameSize
                    + ") must be a multiple of patchSize * dilation (" + patchSize * dilation + ")");
        }
        if (!(pixelDivisor > 0f) || !Float.isFinite(pixelDivisor)) {
            throw new IllegalArgumentException("pixelDivisor must be finite and > 0, got " + pixelDivisor);
        }
        if (!(currentDivisor > 0f) || !Float.isFinite(currentDivisor)) {
            throw new IllegalArgumentException("currentDivisor must be finite and > 0, got " + currentDivisor);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    /** Bytes of one RGB8 frame: frameSize * frameSize * 3. */
    public int frameBytes() {
        return frameSize * frameSize * CHANNELS;
    }

    /** Time groups of patches: frames / framePatch (reference: 5). */
    public int timePatches() {
        return frames / framePatch;
    }

    /** Patches per row or column of a full-resolution frame (reference: 8). */
    public int standardGrid() {
        return frameSize / patchSize;
    }

    /** Patches per row or column of a dilated frame (reference: 4). */
    public int dilatedGrid() {
        return frameSize / dilation / patchSize;
    }

    /** Values per video token, the same for standard and dilated: patch^2 * framePatch * 3 (384). */
    public int tokenValues() {
        return patchSize * patchSize * framePatch * CHANNELS;
    }

    /** Standard video tokens per window (reference: 320). */
    public int standardTokens() {
        return timePatches() * standardGrid() * standardGrid();
    }

    /** Dilated video tokens per window (reference: 80). */
    public int dilatedTokens() {
        return timePatches() * dilatedGrid() * dilatedGrid();
    }

    /** Floats of one window's standard tokens (320 * 384). */
    public int standardLength() {
        return standardTokens() * tokenValues();
    }

    /** Floats of one window's dilated tokens (80 * 384). */
    public int dilatedLength() {
        return dilatedTokens() * tokenValues();
    }

    /** Floats of one window's current tokens (240 * 3). */
    public int currentLength() {
        return currentSteps * phases;
    }

    /** Pixels of one mask (frameSize^2). */
    public int maskPixels() {
        return frameSize * frameSize;
    }
}
