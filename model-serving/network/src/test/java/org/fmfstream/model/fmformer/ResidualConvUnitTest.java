package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import org.junit.jupiter.api.Test;

class ResidualConvUnitTest {

    @Test
    void skipCarriesTheRectifiedInputAsTheReleasedInPlaceReluDoes() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ResidualConvUnit unit = new ResidualConvUnit(2);
            SeededInitialization.assign(unit, 1);
            // Silence the convolution so that only the skip path reaches the output.
            unit.setInitializer(Initializer.ZEROS, p -> p.getName().equals("weight") || p.getName().equals("bias"));
            Shape shape = new Shape(1, 2, 3, 3);
            unit.initialize(manager, DataType.FLOAT32, shape);
            NDArray x = manager.arange(-9f, 9f).reshape(shape);

            NDArray y = unit.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();

            assertThat(y.toFloatArray()).containsExactly(Activation.relu(x).toFloatArray());
            assertThat(y.min().getFloat()).isZero();
        }
    }
}
