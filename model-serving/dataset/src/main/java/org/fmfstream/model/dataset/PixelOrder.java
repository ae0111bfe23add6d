package org.fmfstream.model.dataset;

/**
 * Converts between the benchmark's array order and the VideoFrame contract's. The HDF5 file, read
 * row-major, holds a frame as [C][W][H], i.e. element (c, x, y) at {@code (c*W + x)*H + y}, and a
 * label as [W][H]; the contract stores pixels row by row (y, then x) with R, G, B interleaved, and
 * masks row by row. Getting this wrong transposes every image, which a square 64x64 frame would hide,
 * so both directions live here, next to each other.
 */
public final class PixelOrder {
    private PixelOrder() {}

    /** Contract RGB payload (y, x, c) to the file's planar order (c, x, y). */
    public static void payloadToPlanes(byte[] payload, int width, int height, byte[] planes, int planesOffset) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int src = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    planes[planesOffset + (c * width + x) * height + y] = payload[src + c];
                }
            }
        }
    }

    /** The file's planar order (c, x, y) to a contract RGB payload (y, x, c). */
    public static byte[] planesToPayload(byte[] planes, int planesOffset, int width, int height) {
        byte[] payload = new byte[3 * width * height];
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < width; x++) {
                int src = planesOffset + (c * width + x) * height;
                for (int y = 0; y < height; y++) {
                    payload[(y * width + x) * 3 + c] = planes[src + y];
                }
            }
        }
        return payload;
    }

    /** Contract mask (y, x) to the file's label order (x, y); any non-zero value becomes 1. */
    public static void maskToLabel(byte[] mask, int width, int height, byte[] label, int labelOffset) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                label[labelOffset + x * height + y] = mask[y * width + x] != 0 ? (byte) 1 : (byte) 0;
            }
        }
    }

    /**
     * The file's label (x, y) to a contract mask (y, x). The benchmark marks abnormal pixels with any
     * value above 0; the contract allows only 0 and 1.
     */
    public static byte[] labelToMask(byte[] label, int labelOffset, int width, int height) {
        byte[] mask = new byte[width * height];
        for (int x = 0; x < width; x++) {
            int src = labelOffset + x * height;
            for (int y = 0; y < height; y++) {
                mask[y * width + x] = label[src + y] != 0 ? (byte) 1 : (byte) 0;
            }
        }
        return mask;
    }
}
