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
 * Pre-norm multi-head self-attention of one stream: LayerNorm → Q,K,V (one bias-free projection)
 * → attention → output projection. Returns the update only; the layer adds the residual.
 *
 * <p>Input and output [B, N, D].
 */
public final class SelfAttention extends AbstractBlock {

    private final int dim;
    private final int heads;
    private final int headDim;
    private final LayerNorm norm;
    private final Linear queryKeyValue;
    private final Linear output;

    public SelfAttention(int dim, int heads, int headDim) {
        this.dim = dim;
        this.heads = heads;
        this.headDim = headDim;
        norm = addChildBlock("norm", LayerNorms.perToken());
        queryKeyValue = addChildBlock("queryKeyValue",
                Linear.builder().setUnits(3L * heads * headDim).optBias(false).build());
        output = addChildBlock("output", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = norm.forward(store, inputs, training).singletonOrThrow();
        NDList qkv = queryKeyValue.forward(store, new NDList(x), training).singletonOrThrow().split(3, 2);
        NDArray attended = MultiHeadAttention.attend(qkv.get(0), qkv.get(1), qkv.get(2), heads, headDim);
        return output.forward(store, new NDList(attended), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (in.get(2) != dim) {
            throw new IllegalArgumentException("expected tokens of width " + dim + ", got " + in);
        }
        norm.initialize(manager, dataType, in);
        queryKeyValue.initialize(manager, dataType, in);
        output.initialize(manager, dataType, new Shape(in.get(0), in.get(1), (long) heads * headDim));
    }
}
