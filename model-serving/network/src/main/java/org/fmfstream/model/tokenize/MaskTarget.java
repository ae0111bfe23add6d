package org.fmfstream.model.tokenize;

import java.util.Objects;

/**
 * The pixel-level training label of a window: the 0/1 mask of its last frame
 * ({@code frameSize x frameSize}, row-major y then x, 1 = abnormal), in the same (row, column)
 * order as the clip's pixels, which is the order of the dense head's output map.
 */
public final class MaskTarget {

    private final TokenizerSpec spec;
    private final byte[] mask;
    private final int abnormalPixels;

    private MaskTarget(TokenizerSpec spec, byte[] mask, int abnormalPixels) {
        this.spec = spec;
        this.mask = mask;
        this.abnormalPixels = abnormalPixels;
    }

    /**
     * A target from a mask; the array is copied.
     *
     * @param mask {@code spec.maskPixels()} bytes, each 0 (normal) or 1 (abnormal)
     * @throws IllegalArgumentException on a wrong size or a value other than 0 or 1
     */
    public static MaskTarget of(TokenizerSpec spec, byte[] mask) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(mask, "mask");
        if (mask.length != spec.maskPixels()) {
            throw new IllegalArgumentException("mask has " + mask.length + " bytes, expected "
                    + spec.maskPixels() + " (" + spec.frameSize() + "x" + spec.frameSize() + ")");
        }
        int abnormal = 0;
        for (int i = 0; i < mask.length; i++) {
            // The message contract (VideoFrame.groundTruthMask) is 0/1; anything else means the
            // producer did not binarise and the label would be silently wrong.
            if (mask[i] != 0 && mask[i] != 1) {
                throw new IllegalArgumentException("mask value at row " + i / spec.frameSize() + ", column "
                        + i % spec.frameSize() + " is " + (mask[i] & 0xFF) + ", expected 0 or 1");
            }
            abnormal += mask[i];
        }
        return new MaskTarget(spec, mask.clone(), abnormal);
    }

    public TokenizerSpec spec() {
        return spec;
    }

    /** Label of pixel (row, col): 0 normal, 1 abnormal. */
    public int label(int row, int col) {
        return mask[row * spec.frameSize() + col];
    }

    public int abnormalPixels() {
        return abnormalPixels;
    }

    /** The window's class label in the reference: abnormal when any pixel of the mask is. */
    public boolean isAbnormal() {
        return abnormalPixels > 0;
    }

    /** Writes the labels, row-major (row, col), as ints (class indexes for cross-entropy). */
    public void writeLabels(int[] out, int offset) {
        checkRange(out.length, offset);
        for (int i = 0; i < mask.length; i++) {
            out[offset + i] = mask[i];
        }
    }

    /** Writes the labels, row-major (row, col), as floats 0f/1f. */
    public void writeLabels(float[] out, int offset) {
        checkRange(out.length, offset);
        for (int i = 0; i < mask.length; i++) {
            out[offset + i] = mask[i];
        }
    }

    /** The labels as a fresh {@code [frameSize * frameSize]} int array, row-major (row, col). */
    public int[] labels() {
        int[] out = new int[mask.length];
        writeLabels(out, 0);
        return out;
    }

    /** This mask mirrored left to right; use together with {@link Clip#flippedHorizontally()}. */
    public MaskTarget flippedHorizontally() {
        return new MaskTarget(spec, HorizontalFlip.flipX(mask, spec.frameSize(), 1), abnormalPixels);
    }

    private void checkRange(int length, int offset) {
        if (offset < 0 || offset > length - mask.length) {
            throw new IllegalArgumentException("label buffer of " + length + " cannot hold " + mask.length
                    + " labels at offset " + offset);
        }
    }
}
