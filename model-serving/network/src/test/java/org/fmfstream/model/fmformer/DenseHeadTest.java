package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class DenseHeadTest {

    @Test
    void aStandardTokenOnlyMovesThePixelsAroundItsOwnPatch() {
        FmFormerConfig config = FmFormerConfig.fmformerXs().withDenseHead(true);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            DenseHead head = new DenseHead(config);
            SeededInitialization.assign(head, 2);
            Shape in = new Shape(1, config.videoSequenceLength(), config.dim());
            head.initialize(manager, DataType.FLOAT32, in);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray tokens = manager.randomNormal(in);
            // Standard token (t=2, row=1, col=6) sits after the class token at 1 + (2·8 + 1)·8 + 6.
            int row = 1;
            int col = 6;
            NDArray changed = tokens.duplicate();
            changed.set(new NDIndex("0, {}, :", 1 + (2 * 8 + row) * 8 + col), 5f);

            NDArray a = head.forward(store, new NDList(tokens), false).singletonOrThrow();
            NDArray b = head.forward(store, new NDList(changed), false).singletonOrThrow();

            assertThat(a.getShape()).isEqualTo(new Shape(1, 2, 64, 64));
            NDArray moved = a.sub(b).abs().sum(new int[] {0, 1}).gt(1e-6f); // [64, 64]
            assertThat(moved.any().getBoolean()).isTrue();
            // The patch covers pixels [8, 16) × [48, 56); the three 3×3 convolutions at 16, 32 and
            // 64 pixels widen that by at most 4 + 2 + 1 = 7 pixels on each side.
            int reach = 7;
            boolean[] flags = toBooleans(moved);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    boolean near = y >= 8 * row - reach && y < 8 * row + 8 + reach
                            && x >= 8 * col - reach && x < 8 * col + 8 + reach;
                    if (!near) {
                        assertThat(flags[y * 64 + x]).as("pixel (%d, %d) changed", y, x).isFalse();
                    }
                }
            }
            // The class token is dropped: changing it changes nothing.
            NDArray classChanged = tokens.duplicate();
            classChanged.set(new NDIndex("0, 0, :"), 5f);
            NDArray c = head.forward(store, new NDList(classChanged), false).singletonOrThrow();
            assertThat(c.toFloatArray()).containsExactly(a.toFloatArray());
        }
    }

    private static boolean[] toBooleans(NDArray mask) {
        byte[] bytes = mask.toType(DataType.INT8, false).toByteArray();
        boolean[] flags = new boolean[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            flags[i] = bytes[i] != 0;
        }
        return flags;
    }
}
