package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Pre-norm feed-forward block of one stream: LayerNorm → Linear(D→mlp) → GELU → Linear(mlp→D).
 * Returns the update only; the layer adds the residual.
 *
 * <p>Input and output [B, N, D].
 */
public final class FeedForward extends AbstractBlock {

    private final int mlpDim;
    private final LayerNorm norm;
    private final Linear expand;
    private final Linear contract;

    public FeedForward(int dim, int mlpDim) {
        this.mlpDim = mlpDim;
        norm = addChildBlock("norm", LayerNorms.perToken());
        expand = addChildBlock("expand", Linear.builder().setUnits(mlpDim).build());
        contract = addChildBlock("contract", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = norm.forward(store, inputs, training).singletonOrThrow();
        x = expand.forward(store, new NDList(x), training).singletonOrThrow();
        // PyTorch's exact (erf) GELU, the one nn.GELU() of the released code uses.
        x = Activation.gelu(x);
        return contract.forward(store, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        norm.initialize(manager, dataType, in);
        expand.initialize(manager, dataType, in);
        contract.initialize(manager, dataType, new Shape(in.get(0), in.get(1), mlpDim));
    }
}
