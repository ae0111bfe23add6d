package org.fmfstream.model.reference;

import org.fmfstream.model.fmformer.FmFormerConfig;

/**
 * The reference's frames are transposed relative to this project's: its video tensor is
 * {@code [C, T, x, y]} (the benchmark's {@code .mat} array moved, not permuted), so its token grid
 * row runs over the image column x and its patch offset {@code p1} is an x offset, while this
 * project's tokens (and masks) are row-major in (y, x). The same real frame therefore gives the
 * official token (f, w, h) where this project has (f, h, w), with p1 and p2 swapped inside the
 * patch, and the official mask is the transpose of this project's.
 *
 * <p>Rather than transposing every frame and mask at run time, the importer moves the few weights
 * that see the spatial layout: the columns of both patch projections and their first LayerNorm's
 * gamma/beta (patch value order), the position tables of the standard and dilated tokens (grid
 * order), and the spatial axes of every dense-head kernel. Each rewrite is its own inverse.
 * Everything else (attention, feed-forward, class heads, 1×1 convolutions, batch norms) is the same
 * function of the same tokens and needs no change.
 */
final class FrameAxes {

    private FrameAxes() {}

    /** A rewrite of one tensor's values (row-major, the given shape) into this project's layout. */
    interface Rewrite {
        Rewrite AS_IS = (values, shape) -> values;

        float[] apply(float[] values, long[] shape);
    }

    /**
     * Patch value order along the last axis, (p1 p2 pf c): value (a, b, f, c) of this project is
     * value (b, a, f, c) of the reference. For the raw LayerNorm's [patchDim] and the projection's
     * [D, patchDim] alike.
     */
    static Rewrite patchValues(FmFormerConfig config) {
        int p = config.patch();
        int inner = config.framePatch() * config.channels();
        return (values, shape) -> {
            int width = (int) shape[shape.length - 1];
            if (width != p * p * inner) {
                throw new IllegalArgumentException("expected patch vectors of " + p * p * inner + " values, got " + width);
            }
            float[] out = new float[values.length];
            for (int row = 0; row < values.length / width; row++) {
                int base = row * width;
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < p; b++) {
                        System.arraycopy(values, base + (b * p + a) * inner, out, base + (a * p + b) * inner, inner);
                    }
                }
            }
            return out;
        };
    }

    /**
     * Position table [1, N, D] of tokens (t, h, w) on a {@code grid}×{@code grid} grid per time slot,
     * after a class token when {@code classToken}: this project's (t, h, w) is the reference's (t, w, h).
     */
    static Rewrite positions(int grid, boolean classToken) {
        int first = classToken ? 1 : 0;
        return (values, shape) -> {
            int tokens = (int) shape[1];
            int dim = (int) shape[2];
            int perSlot = grid * grid;
            if ((tokens - first) % perSlot != 0) {
                throw new IllegalArgumentException("position table of " + tokens + " tokens does not fit a "
                        + grid + "x" + grid + " grid" + (classToken ? " after a class token" : ""));
            }
            float[] out = values.clone();
            for (int t = 0; t < (tokens - first) / perSlot; t++) {
                for (int h = 0; h < grid; h++) {
                    for (int w = 0; w < grid; w++) {
                        int mine = first + t * perSlot + h * grid + w;
                        int theirs = first + t * perSlot + w * grid + h;
                        System.arraycopy(values, theirs * dim, out, mine * dim, dim);
                    }
                }
            }
            return out;
        };
    }

    /** Spatial kernel [A, B, k, k] (convolution or transposed convolution): the last two axes swap. */
    static final Rewrite KERNEL = (values, shape) -> {
        int k1 = (int) shape[2];
        int k2 = (int) shape[3];
        if (k1 != k2) {
            throw new IllegalArgumentException("expected a square kernel, got " + k1 + "x" + k2);
        }
        float[] out = new float[values.length];
        int plane = k1 * k2;
        for (int base = 0; base < values.length; base += plane) {
            for (int i = 0; i < k1; i++) {
                for (int j = 0; j < k2; j++) {
                    out[base + i * k2 + j] = values[base + j * k2 + i];
                }
            }
        }
        return out;
    };
}
