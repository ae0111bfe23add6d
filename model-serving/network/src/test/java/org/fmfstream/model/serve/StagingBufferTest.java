package org.fmfstream.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class StagingBufferTest {

    @Test
    void arraysHoldTheSourceValuesAndPaddedRowsRepeatTheFirstRow() {
        StagingBuffer floats = new StagingBuffer("floats", 12);
        StagingBuffer ints = new StagingBuffer("ints", 4);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            float[] source = {1, 2, 3, 4, 5, 6, 99};
            NDArray padded = floats.floats(manager, source, 6, 3, 2, new Shape(4, 3));
            assertThat(padded.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(padded.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6, 1, 2, 3, 1, 2, 3);
            NDArray labels = ints.ints(manager, new int[] {7, 0, 1, 42}, new Shape(3));
            assertThat(labels.getDataType()).isEqualTo(DataType.INT32);
            assertThat(labels.toIntArray()).containsExactly(7, 0, 1);
        }
    }

    @Test
    void aBufferIsNotRestagedWhileTheArrayMadeFromItIsOpen() {
        StagingBuffer buffer = new StagingBuffer("standard tokens", 4);
        try (NDManager first = NDManager.newBaseManager("PyTorch")) {
            NDArray a = buffer.floats(first, new float[] {1, 2}, new Shape(2));
            assertThatThrownBy(() -> buffer.floats(first, new float[] {3, 4}, new Shape(2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("standard tokens: the array staged last is still open");
            assertThat(a.toFloatArray()).containsExactly(1, 2);
        }
        try (NDManager second = NDManager.newBaseManager("PyTorch")) {
            assertThat(buffer.floats(second, new float[] {3, 4}, new Shape(2)).toFloatArray()).containsExactly(3, 4);
        }
        assertThatThrownBy(() -> buffer.floats(NDManager.newBaseManager("PyTorch"), new float[5], new Shape(5)))
                .hasMessageContaining("5 values do not fit the staging buffer's 4");
    }

    @Test
    void stagingAllocatesNoDirectMemoryPerArray() {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        StagingBuffer buffer = new StagingBuffer("tokens", 4096);
        float[] source = new float[4096];
        long before = direct.getCount();
        for (int i = 0; i < 50; i++) {
            try (NDManager batch = NDManager.newBaseManager("PyTorch")) {
                source[0] = i;
                assertThat(buffer.floats(batch, source, new Shape(4096)).getFloat(0)).isEqualTo(i);
            }
        }
        // Made the usual way (manager.create(float[])), each array copies into a direct buffer of
        // its own that only a garbage collection frees.
        assertThat(direct.getCount()).isEqualTo(before);
    }
}
