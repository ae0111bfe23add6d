package org.fmfstream.model.tokenize;

import java.util.Arrays;
import java.util.Objects;

/**
 * Cuts a clip into the reference's space-time patches, at full resolution ("standard") and after
 * nearest down-sampling by the dilation ("dilated"), both with the einops layout
 * {@code c (f pf) (h p1) (w p2) -> (f h w) (p1 p2 pf c)}, h being the image row (y) and w the
 * column (x).
 *
 * <p>Rather than build the [C, T, H, W] tensor and rearrange it, each byte of each frame is read
 * once, in memory order, and written straight to its token slot. The dilated tokens are filled
 * from the same row while it is in cache. Nearest down-sampling by an integer factor d keeps
 * source pixel (d * row, d * col) (PyTorch's nearest picks floor(i * d)).
 *
 * <p>Stateless apart from an immutable look-up table: safe to share between threads.
 */
public final class VideoTokenizer {

    private static final int C = TokenizerSpec.CHANNELS;

    private final TokenizerSpec spec;
    /** Byte value -> token value; a table keeps the per-byte cost to one load. */
    private final float[] pixelValue = new float[256];

    public VideoTokenizer(TokenizerSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        for (int b = 0; b < pixelValue.length; b++) {
            pixelValue[b] = b / spec.pixelDivisor();
        }
    }

    public TokenizerSpec spec() {
        return spec;
    }

    /**
     * Writes {@code spec.standardLength()} floats at {@code standardOffset} and
     * {@code spec.dilatedLength()} floats at {@code dilatedOffset}; zeros when the clip is missing.
     *
     * @return whether the clip was missing
     * @throws IllegalArgumentException when the clip has another spec or a buffer is too small
     */
    public boolean tokenizeInto(Clip clip, float[] standardOut, int standardOffset,
                                float[] dilatedOut, int dilatedOffset) {
        check(clip, standardOut, standardOffset, dilatedOut, dilatedOffset);
        write(clip, standardOut, standardOffset, dilatedOut, dilatedOffset);
        return clip.isMissing();
    }

    void check(Clip clip, float[] standardOut, int standardOffset, float[] dilatedOut, int dilatedOffset) {
        Objects.requireNonNull(clip, "clip");
        if (!clip.spec().equals(spec)) {
            throw new IllegalArgumentException("clip was built for " + clip.spec() + ", tokenizer uses " + spec);
        }
        BufferSlice.check("standard", standardOut, standardOffset, spec.standardLength());
        BufferSlice.check("dilated", dilatedOut, dilatedOffset, spec.dilatedLength());
    }

    void write(Clip clip, float[] standardOut, int standardOffset, float[] dilatedOut, int dilatedOffset) {
        if (clip.isMissing()) {
            Arrays.fill(standardOut, standardOffset, standardOffset + spec.standardLength(), 0f);
            Arrays.fill(dilatedOut, dilatedOffset, dilatedOffset + spec.dilatedLength(), 0f);
            return;
        }
        int size = spec.frameSize();
        int patch = spec.patchSize();
        int framePatch = spec.framePatch();
        int dilation = spec.dilation();
        int values = spec.tokenValues();
        int standardGrid = spec.standardGrid();
        int dilatedGrid = spec.dilatedGrid();
        int dilatedSize = size / dilation;
        // Inside a token: C values per (pixel, frame); framePatch frames per pixel; patch pixels per row.
        int columnStride = framePatch * C;
        int rowStride = patch * columnStride;
        float[] lut = pixelValue;

        for (int t = 0; t < spec.frames(); t++) {
            byte[] pixels = clip.frame(t);
            int f = t / framePatch;
            int pf = t % framePatch;
            int standardFrameBase = standardOffset + f * standardGrid * standardGrid * values + pf * C;
            int dilatedFrameBase = dilatedOffset + f * dilatedGrid * dilatedGrid * values + pf * C;

            for (int y = 0; y < size; y++) {
                int rowSource = y * size * C;
                int src = rowSource;
                int rowTarget = standardFrameBase + (y / patch) * standardGrid * values + (y % patch) * rowStride;
                for (int w = 0; w < standardGrid; w++) {
                    int dst = rowTarget + w * values;
                    for (int p2 = 0; p2 < patch; p2++) {
                        for (int c = 0; c < C; c++) {
                            standardOut[dst + c] = lut[pixels[src + c] & 0xFF];
                        }
                        src += C;
                        dst += columnStride;
                    }
                }
                if (y % dilation == 0) {
                    int yd = y / dilation;
                    int dilatedRowTarget = dilatedFrameBase + (yd / patch) * dilatedGrid * values
                            + (yd % patch) * rowStride;
                    for (int xd = 0; xd < dilatedSize; xd++) {
                        int s = rowSource + xd * dilation * C;
                        int dst = dilatedRowTarget + (xd / patch) * values + (xd % patch) * columnStride;
                        for (int c = 0; c < C; c++) {
                            dilatedOut[dst + c] = lut[pixels[s + c] & 0xFF];
                        }
                    }
                }
            }
        }
    }
}
