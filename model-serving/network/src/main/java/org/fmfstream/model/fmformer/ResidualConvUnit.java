package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Refines a feature map at constant size: ReLU → BatchNorm → 3×3 convolution (padding 1), plus a
 * skip connection.
 *
 * <p>The skip carries ReLU(x), not x: the released code applies an in-place ReLU to its input
 * before keeping it for the skip, so that is the function the published weights were trained with.
 *
 * <p>Input and output [B, C, H, W].
 */
public final class ResidualConvUnit extends AbstractBlock {

    private final BatchNorm norm;
    private final Conv2d conv;

    public ResidualConvUnit(int channels) {
        // DJL's momentum 0.9 keeps 90% of the running statistics, PyTorch's default momentum 0.1.
        norm = addChildBlock("norm", BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
        conv = addChildBlock("conv", Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(channels)
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray rectified = Activation.relu(inputs.singletonOrThrow());
        NDArray x = norm.forward(store, new NDList(rectified), training).singletonOrThrow();
        x = conv.forward(store, new NDList(x), training).singletonOrThrow();
        return new NDList(x.add(rectified));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, inputShapes[0]);
        conv.initialize(manager, dataType, inputShapes[0]);
    }
}
