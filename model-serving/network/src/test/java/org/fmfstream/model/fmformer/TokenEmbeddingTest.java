package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class TokenEmbeddingTest {

    @Test
    void prependsTheSameClassTokenToEverySampleAndAddsPositions() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TokenEmbedding embedding = new TokenEmbedding(5, 8, true);
            SeededInitialization.assign(embedding, 11);
            Shape in = new Shape(2, 5, 3);
            embedding.initialize(manager, DataType.FLOAT32, in);
            NDArray raw = manager.randomNormal(in);

            NDArray out = embedding.forward(new ParameterStore(manager, false), new NDList(raw), false)
                    .singletonOrThrow();

            assertThat(out.getShape()).isEqualTo(new Shape(2, 6, 8));
            NDArray position = embedding.getParameters().get("position").getArray();
            NDArray classToken = embedding.getParameters().get("classToken").getArray();
            float[] expectedFirst = classToken.add(position.get(":, 0:1, :")).toFloatArray();
            assertThat(out.get("0, 0:1, :").toFloatArray()).containsExactly(expectedFirst);
            assertThat(out.get("1, 0:1, :").toFloatArray()).containsExactly(expectedFirst);
            // Every embedded token is normalised, so token minus its position embedding has mean 0.
            NDArray tokens = out.get(":, 1:, :").sub(position.get(":, 1:, :"));
            assertThat(tokens.mean(new int[] {2}).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void withoutClassTokenKeepsTheTokenCount() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TokenEmbedding embedding = new TokenEmbedding(4, 8, false);
            SeededInitialization.assign(embedding, 11);
            Shape in = new Shape(1, 4, 6);
            embedding.initialize(manager, DataType.FLOAT32, in);

            NDArray out = embedding.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(in)), false).singletonOrThrow();

            assertThat(out.getShape()).isEqualTo(new Shape(1, 4, 8));
            assertThat(embedding.getParameters().get("position").getArray().getShape())
                    .isEqualTo(new Shape(1, 4, 8));
        }
    }
}
