package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One ×2 step of the dense head: a transposed convolution (kernel 2, stride 2) to the stage's
 * channel count, then a {@link ResidualConvUnit}.
 *
 * <p>Input [B, Cin, H, W]; output [B, C, 2H, 2W].
 */
public final class UpsamplingStage extends AbstractBlock {

    private final int channels;
    private final TransposedConv2x2 upsample;
    private final ResidualConvUnit refine;

    public UpsamplingStage(int channels) {
        this.channels = channels;
        upsample = addChildBlock("upsample", new TransposedConv2x2(channels));
        refine = addChildBlock("refine", new ResidualConvUnit(channels));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return refine.forward(store, upsample.forward(store, inputs, training), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), channels, 2 * in.get(2), 2 * in.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        upsample.initialize(manager, dataType, inputShapes[0]);
        refine.initialize(manager, dataType, getOutputShapes(inputShapes)[0]);
    }
}
