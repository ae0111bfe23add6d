package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultiHeadAttentionTest {

    private static final int HEADS = 2;
    private static final int HEAD_DIM = 3;
    private static final int INNER = HEADS * HEAD_DIM;

    @Test
    void matchesSoftmaxOfScaledDotProductsPerHead() {
        int queries = 4;
        int keys = 5;
        float[] q = random(queries * INNER, 1);
        float[] k = random(keys * INNER, 2);
        float[] v = random(keys * INNER, 3);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray out = MultiHeadAttention.attend(
                    manager.create(q, new Shape(1, queries, INNER)),
                    manager.create(k, new Shape(1, keys, INNER)),
                    manager.create(v, new Shape(1, keys, INNER)),
                    HEADS, HEAD_DIM);

            assertThat(out.getShape()).isEqualTo(new Shape(1, queries, INNER));
            float[] actual = out.toFloatArray();
            float[] expected = naive(q, k, v, queries, keys);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5f));
            }
        }
    }

    /** Head h uses features [h·d, (h+1)·d) of every token, as 'b n (h d) -> b h n d' splits them. */
    private static float[] naive(float[] q, float[] k, float[] v, int queries, int keys) {
        float[] out = new float[queries * INNER];
        double scale = 1.0 / Math.sqrt(HEAD_DIM);
        for (int h = 0; h < HEADS; h++) {
            for (int i = 0; i < queries; i++) {
                double[] weights = new double[keys];
                double sum = 0;
                for (int j = 0; j < keys; j++) {
                    double dot = 0;
                    for (int d = 0; d < HEAD_DIM; d++) {
                        dot += q[i * INNER + h * HEAD_DIM + d] * k[j * INNER + h * HEAD_DIM + d];
                    }
                    weights[j] = Math.exp(dot * scale);
                    sum += weights[j];
                }
                for (int d = 0; d < HEAD_DIM; d++) {
                    double acc = 0;
                    for (int j = 0; j < keys; j++) {
                        acc += weights[j] / sum * v[j * INNER + h * HEAD_DIM + d];
                    }
                    out[i * INNER + h * HEAD_DIM + d] = (float) acc;
                }
            }
        }
        return out;
    }

    private static float[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
