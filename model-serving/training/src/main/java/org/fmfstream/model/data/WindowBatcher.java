package org.fmfstream.model.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.fmfstream.model.serve.StagingBuffer;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * Turns sample indexes of a {@link WindowDataset} into a {@link WindowBatch}: windows are tokenized
 * straight into reused contiguous buffers, which become NDArrays in the caller's (per-batch) manager
 * through reused {@link StagingBuffer}s (no direct memory is allocated per batch). One batcher per
 * thread, and a batch's arrays must be closed (its manager) before the next batch is made: on the
 * CPU they share the staging buffers.
 */
public final class WindowBatcher {
    private final WindowDataset dataset;
    private final TokenizerSpec spec;
    private final MultiScaleTokenizer tokenizer;
    private final int maxBatch;
    private final TokenBuffers tokens;
    private final int[] labels;
    private final int[] masks;
    private final StagingBuffer[] staging;

    public WindowBatcher(WindowDataset dataset, int maxBatch) {
        this(dataset, dataset.spec(), maxBatch);
    }

    /** A batcher for windows given as lists ({@link #batch(NDManager, List, boolean[])}), e.g. generated ones. */
    public WindowBatcher(TokenizerSpec spec, int maxBatch) {
        this(null, spec, maxBatch);
    }

    private WindowBatcher(WindowDataset dataset, TokenizerSpec spec, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + maxBatch);
        }
        this.dataset = dataset;
        this.spec = spec;
        this.tokenizer = new MultiScaleTokenizer(spec);
        this.maxBatch = maxBatch;
        this.tokens = TokenBuffers.forWindows(spec, maxBatch);
        this.labels = new int[maxBatch];
        this.masks = new int[maxBatch * spec.maskPixels()];
        this.staging = new StagingBuffer[] {
            new StagingBuffer("standard tokens", maxBatch * spec.standardLength()),
            new StagingBuffer("dilated tokens", maxBatch * spec.dilatedLength()),
            new StagingBuffer("current tokens", maxBatch * spec.currentLength()),
            new StagingBuffer("labels", maxBatch),
            new StagingBuffer("masks", maxBatch * spec.maskPixels()),
        };
    }

    /** A batch without augmentation (evaluation). */
    public WindowBatch batch(NDManager manager, int[] sampleIndexes) {
        return batch(manager, sampleIndexes, new boolean[sampleIndexes.length]);
    }

    /**
     * A batch; row b is sample {@code sampleIndexes[b]}, mirrored left-right (clip and mask) when
     * {@code flip[b]}.
     */
    public WindowBatch batch(NDManager manager, int[] sampleIndexes, boolean[] flip) {
        if (dataset == null) {
            throw new IllegalStateException("this batcher has no dataset; pass the windows themselves");
        }
        List<Window> windows = new ArrayList<>(sampleIndexes.length);
        for (int i : sampleIndexes) {
            windows.add(dataset.window(i));
        }
        return batch(manager, windows, flip);
    }

    /** A batch of the given windows; row b is {@code windows.get(b)}, mirrored left-right when {@code flip[b]}. */
    public WindowBatch batch(NDManager manager, List<Window> windows, boolean[] flip) {
        int b = windows.size();
        if (b < 1 || b > maxBatch) {
            throw new IllegalArgumentException("batch of " + b + " samples; this batcher takes 1.." + maxBatch);
        }
        if (flip.length != b) {
            throw new IllegalArgumentException(flip.length + " flip flags for " + b + " samples");
        }
        List<WindowSample> samples = new ArrayList<>(b);
        int pixels = spec.maskPixels();
        for (int k = 0; k < b; k++) {
            Window w = windows.get(k);
            if (flip[k]) {
                w = w.flippedHorizontally();
            }
            tokenizer.tokenizeInto(w.clip(), w.current(), tokens, k);
            // The sample's label, not the mask's: a window that lost its video keeps its label with an empty mask.
            labels[k] = w.sample().abnormal() ? 1 : 0;
            w.mask().writeLabels(masks, k * pixels);
            samples.add(w.sample());
        }
        int size = spec.frameSize();
        NDList inputs = new NDList(
                staging[0].floats(manager, tokens.standard(), new Shape(b, spec.standardTokens(), spec.tokenValues())),
                staging[1].floats(manager, tokens.dilated(), new Shape(b, spec.dilatedTokens(), spec.tokenValues())),
                staging[2].floats(manager, tokens.current(), new Shape(b, spec.currentSteps(), spec.phases())));
        return new WindowBatch(inputs,
                staging[3].ints(manager, labels, new Shape(b)),
                staging[4].ints(manager, masks, new Shape(b, size, size)),
                List.copyOf(samples), flip.clone());
    }
}
