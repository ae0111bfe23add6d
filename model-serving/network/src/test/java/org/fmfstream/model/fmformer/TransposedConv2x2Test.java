package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransposedConv2x2Test {

    @Test
    void spreadsEveryPixelIntoItsOwnTwoByTwoBlock() {
        int batch = 2;
        int in = 3;
        int out = 4;
        int h = 2;
        int w = 3;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TransposedConv2x2 block = new TransposedConv2x2(out);
            SeededInitialization.assign(block, 5);
            Shape inputShape = new Shape(batch, in, h, w);
            block.initialize(manager, DataType.FLOAT32, inputShape);
            float[] x = new float[Math.toIntExact(inputShape.size())];
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            NDArray y = block.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(x, inputShape)), false).singletonOrThrow();

            assertThat(y.getShape()).isEqualTo(new Shape(batch, out, 2 * h, 2 * w));
            float[] weight = block.getParameters().get("weight").getArray().toFloatArray(); // [in, out, 2, 2]
            float[] bias = block.getParameters().get("bias").getArray().toFloatArray();
            float[] actual = y.toFloatArray();
            for (int b = 0; b < batch; b++) {
                for (int o = 0; o < out; o++) {
                    for (int row = 0; row < 2 * h; row++) {
                        for (int col = 0; col < 2 * w; col++) {
                            double expected = bias[o];
                            for (int c = 0; c < in; c++) {
                                float pixel = x[((b * in + c) * h + row / 2) * w + col / 2];
                                expected += pixel * weight[((c * out + o) * 2 + row % 2) * 2 + col % 2];
                            }
                            float got = actual[((b * out + o) * 2 * h + row) * 2 * w + col];
                            assertThat(got).isCloseTo((float) expected, within(1e-5f));
                        }
                    }
                }
            }
        }
    }
}
