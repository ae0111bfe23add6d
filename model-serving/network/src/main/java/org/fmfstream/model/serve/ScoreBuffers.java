package org.fmfstream.model.serve;

/**
 * Caller-owned output arrays for one batch, so a serving loop scores without allocating per
 * window. Window b's values are at {@code probabilities[b]}, {@code videoLogits[2b .. 2b+1]},
 * {@code currentLogits[2b .. 2b+1]} and {@code maskProbabilities[4096b .. 4096b+4095]}.
 */
public record ScoreBuffers(float[] probabilities, float[] videoLogits, float[] currentLogits,
                           float[] maskProbabilities) {

    public static final int CLASSES = 2;
    public static final int MASK_PIXELS = 64 * 64;

    /** Buffers for up to {@code capacity} windows. */
    public static ScoreBuffers forBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        return new ScoreBuffers(new float[capacity], new float[capacity * CLASSES], new float[capacity * CLASSES],
                new float[capacity * MASK_PIXELS]);
    }

    /** How many windows fit. */
    public int capacity() {
        return probabilities.length;
    }

    /** Window b as a record (copies). */
    public WindowScore window(int b) {
        return new WindowScore(probabilities[b],
                java.util.Arrays.copyOfRange(videoLogits, b * CLASSES, (b + 1) * CLASSES),
                java.util.Arrays.copyOfRange(currentLogits, b * CLASSES, (b + 1) * CLASSES),
                java.util.Arrays.copyOfRange(maskProbabilities, b * MASK_PIXELS, (b + 1) * MASK_PIXELS));
    }

    void requireCapacity(int batch) {
        if (capacity() < batch || videoLogits.length < batch * CLASSES || currentLogits.length < batch * CLASSES
                || maskProbabilities.length < batch * MASK_PIXELS) {
            throw new IllegalArgumentException("score buffers hold " + capacity() + " windows, batch has " + batch);
        }
    }
}
