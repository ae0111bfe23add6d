package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Transposed convolution with kernel 2, stride 2 and no padding (PyTorch's
 * ConvTranspose2d(cin, cout, 2, stride=2)): every input pixel is spread into its own 2×2 output
 * block, out[o, 2i+a, 2j+b] = Σ_c x[c, i, j] · W[c, o, a, b] + bias[o].
 *
 * <p>DJL's PyTorch engine does not implement deconvolution, and because the 2×2 blocks never
 * overlap, the operation is exactly one matrix product per pixel, which is how it is computed
 * here. The weight keeps PyTorch's layout [cin, cout, 2, 2].
 *
 * <p>Input [B, cin, H, W]; output [B, cout, 2H, 2W].
 */
public final class TransposedConv2x2 extends AbstractBlock {

    private final int outChannels;
    private final Parameter weight;
    private final Parameter bias;

    public TransposedConv2x2(int outChannels) {
        this.outChannels = outChannels;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        bias = addParameter(Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(outChannels))
                .build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(inputShapes[0].get(1), outChannels, 2, 2));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long batch = s.get(0);
        long inChannels = s.get(1);
        long height = s.get(2);
        long width = s.get(3);
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        // A result computed from a parameter belongs to the model's manager; hand it to the
        // input's manager so that it is freed with the call's other intermediates.
        NDArray matrix = w.reshape(inChannels, (long) outChannels * 4);
        matrix.attach(x.getManager());
        NDArray blocks = x.transpose(0, 2, 3, 1)                    // [B, H, W, cin]
                .matMul(matrix)                                       // [B, H, W, cout·2·2]
                .reshape(batch, height, width, outChannels, 2, 2)     // [B, H, W, cout, a, b]
                .transpose(0, 1, 4, 2, 5, 3)                          // [B, H, a, W, b, cout]
                .reshape(batch, 2 * height, 2 * width, outChannels)
                .add(b);                                              // bias on the last axis
        return new NDList(blocks.transpose(0, 3, 1, 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outChannels, 2 * in.get(2), 2 * in.get(3))};
    }
}
