package org.fmfstream.model.serve;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * Moves a batch of token buffers into engine tensors through three {@link StagingBuffer}s allocated
 * once (a fresh direct buffer per batch would churn direct memory at stream rates). The tensors of
 * one batch alias these buffers on the CPU: they must be closed (the batch manager) before the
 * next batch is staged.
 */
final class InputStaging {

    /**
     * The fewest windows the engine is given. PyTorch's CPU kernels take another path for a single
     * row than for several, and a window scored alone came out 1 ulp away from the same window in
     * any batch of 2 to 16 (which all agree bit for bit, whatever the position): so a lone window
     * is staged twice, and a window's scores do not depend on how the micro-batcher happened to
     * group it (live, replay and a restored run give the same bytes).
     */
    static final int SMALLEST_BATCH = 2;

    private final TokenizerSpec spec;
    private final int[] lengths;
    private final long[][] tokenShape;
    private final StagingBuffer[] buffers;
    private final int capacity;

    InputStaging(TokenizerSpec spec, int capacity) {
        this.spec = spec;
        this.capacity = capacity;
        lengths = new int[] {spec.standardLength(), spec.dilatedLength(), spec.currentLength()};
        tokenShape = new long[][] {
            {spec.standardTokens(), spec.tokenValues()},
            {spec.dilatedTokens(), spec.tokenValues()},
            {spec.currentSteps(), spec.phases()},
        };
        buffers = new StagingBuffer[3];
        for (int i = 0; i < 3; i++) {
            buffers[i] = new StagingBuffer(inputName(i), Math.multiplyExact(Math.max(capacity, SMALLEST_BATCH), lengths[i]));
        }
    }

    /**
     * NDList(standard, dilated, current) of {@code batch} windows, created in {@code manager}; a
     * batch of one holds the window twice ({@link #SMALLEST_BATCH}), so results have at least two
     * rows, of which the first {@code batch} are the windows'.
     */
    NDList stage(NDManager manager, int batch, TokenBuffers tokens) {
        if (batch < 1 || batch > capacity) {
            throw new IllegalArgumentException("batch size " + batch + " is outside 1.." + capacity
                    + " (the predictor's configured batch size)");
        }
        if (!tokens.spec().equals(spec)) {
            throw new IllegalArgumentException("token buffers were made for " + tokens.spec() + ", the model takes " + spec);
        }
        float[][] sources = {tokens.standard(), tokens.dilated(), tokens.current()};
        NDList inputs = new NDList(3);
        for (int i = 0; i < 3; i++) {
            int floats = batch * lengths[i];
            if (sources[i].length < floats) {
                throw new IllegalArgumentException(inputName(i) + " buffer holds " + sources[i].length
                        + " floats, a batch of " + batch + " needs " + floats);
            }
            int rows = Math.max(batch, SMALLEST_BATCH);
            Shape shape = new Shape(rows, tokenShape[i][0], tokenShape[i][1]);
            inputs.add(buffers[i].floats(manager, sources[i], floats, lengths[i], rows - batch, shape));
        }
        return inputs;
    }

    private static String inputName(int i) {
        return switch (i) {
            case 0 -> "standard token";
            case 1 -> "dilated token";
            default -> "current token";
        };
    }
}
