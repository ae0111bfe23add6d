package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Bidirectional cross-attention between the video and current streams. Each stream has its own
 * LayerNorm and bias-free Q/K/V projection; video queries attend to the current keys and values,
 * current queries to the video keys and values, and each result has its own output projection.
 * Returns both updates; the layer adds the residuals.
 *
 * <p>Input NDList(video [B, Nv, D], current [B, Nc, D]); output the same shapes.
 */
public final class CrossAttention extends AbstractBlock {

    private final int dim;
    private final int heads;
    private final int headDim;
    private final LayerNorm videoNorm;
    private final LayerNorm currentNorm;
    private final Linear videoQueryKeyValue;
    private final Linear currentQueryKeyValue;
    private final Linear videoOutput;
    private final Linear currentOutput;

    public CrossAttention(int dim, int heads, int headDim) {
        this.dim = dim;
        this.heads = heads;
        this.headDim = headDim;
        long inner = (long) heads * headDim;
        videoNorm = addChildBlock("videoNorm", LayerNorms.perToken());
        currentNorm = addChildBlock("currentNorm", LayerNorms.perToken());
        videoQueryKeyValue = addChildBlock("videoQueryKeyValue",
                Linear.builder().setUnits(3 * inner).optBias(false).build());
        currentQueryKeyValue = addChildBlock("currentQueryKeyValue",
                Linear.builder().setUnits(3 * inner).optBias(false).build());
        videoOutput = addChildBlock("videoOutput", Linear.builder().setUnits(dim).build());
        currentOutput = addChildBlock("currentOutput", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray video = videoNorm.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
        NDArray current = currentNorm.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow();
        NDList v = videoQueryKeyValue.forward(store, new NDList(video), training).singletonOrThrow().split(3, 2);
        NDList c = currentQueryKeyValue.forward(store, new NDList(current), training).singletonOrThrow().split(3, 2);
        NDArray videoAttended = MultiHeadAttention.attend(v.get(0), c.get(1), c.get(2), heads, headDim);
        NDArray currentAttended = MultiHeadAttention.attend(c.get(0), v.get(1), v.get(2), heads, headDim);
        return new NDList(
                videoOutput.forward(store, new NDList(videoAttended), training).singletonOrThrow(),
                currentOutput.forward(store, new NDList(currentAttended), training).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], inputShapes[1]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape video = inputShapes[0];
        Shape current = inputShapes[1];
        if (video.get(2) != dim || current.get(2) != dim) {
            throw new IllegalArgumentException("expected tokens of width " + dim);
        }
        long inner = (long) heads * headDim;
        videoNorm.initialize(manager, dataType, video);
        currentNorm.initialize(manager, dataType, current);
        videoQueryKeyValue.initialize(manager, dataType, video);
        currentQueryKeyValue.initialize(manager, dataType, current);
        videoOutput.initialize(manager, dataType, new Shape(video.get(0), video.get(1), inner));
        currentOutput.initialize(manager, dataType, new Shape(current.get(0), current.get(1), inner));
    }
}
