package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class FeedForwardTest {

    @Test
    void engineGeluIsTheExactErfFormOfTheReference() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // erf form: 0.8413447; the tanh approximation would give 0.8411920.
            assertThat(Activation.gelu(manager.create(1f)).getFloat()).isCloseTo(0.8413447f, within(2e-7f));
        }
    }

    @Test
    void actsOnEachTokenIndependently() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            FeedForward block = new FeedForward(4, 8);
            SeededInitialization.assign(block, 3);
            Shape shape = new Shape(1, 3, 4);
            block.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.arange(12f).reshape(shape);
            NDArray changed = x.duplicate();
            changed.set(new NDIndex("0, 2, :"), 100f);

            NDArray a = block.forward(store, new NDList(x), false).singletonOrThrow();
            NDArray b = block.forward(store, new NDList(changed), false).singletonOrThrow();

            assertThat(a.getShape()).isEqualTo(shape);
            // Tokens 0 and 1 are untouched; token 2 changes: the norm and MLP never mix tokens.
            assertThat(a.get("0, :2, :").toFloatArray()).containsExactly(b.get("0, :2, :").toFloatArray());
            assertThat(a.get("0, 2, :").toFloatArray()).isNotEqualTo(b.get("0, 2, :").toFloatArray());
        }
    }
}
