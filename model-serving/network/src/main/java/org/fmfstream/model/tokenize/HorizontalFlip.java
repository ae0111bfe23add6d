package org.fmfstream.model.tokenize;

/**
 * Mirrors row-major images left to right (x becomes {@code size - 1 - x}), the training-time
 * augmentation of the reference ({@code array[..., :, ::-1]} on both clip and mask).
 *
 * <p>It works on the raw bytes before tokenization, so the same function serves frames and masks
 * and they cannot be flipped along different axes.
 */
final class HorizontalFlip {

    private HorizontalFlip() {
    }

    /**
     * A new array holding {@code image} mirrored in x.
     *
     * @param image    row-major (y, then x) pixels, {@code channels} interleaved bytes per pixel
     * @param size     width = height in pixels
     * @param channels bytes per pixel (3 for RGB8, 1 for a mask)
     */
    static byte[] flipX(byte[] image, int size, int channels) {
        byte[] out = new byte[image.length];
        int rowBytes = size * channels;
        for (int rowStart = 0; rowStart < image.length; rowStart += rowBytes) {
            for (int x = 0; x < size; x++) {
                int src = rowStart + x * channels;
                int dst = rowStart + (size - 1 - x) * channels;
                // Channels keep their order inside a pixel: only whole pixels move.
                System.arraycopy(image, src, out, dst, channels);
            }
        }
        return out;
    }
}
