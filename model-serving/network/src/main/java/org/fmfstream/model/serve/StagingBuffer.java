package org.fmfstream.model.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One direct buffer, allocated once, through which Java arrays become engine tensors.
 *
 * <p>An NDArray made from a Java array copies it into a fresh direct buffer, which only the garbage
 * collector frees. Those buffers are small objects on the heap, so they reach the old generation
 * and wait there for a full collection while their native memory (about 10 MiB per training batch)
 * piles up: a training run grew by about 6 MB a step that way. Staging through one buffer per
 * input allocates nothing per batch.
 *
 * <p>On the CPU, DJL's PyTorch engine wraps a direct buffer without copying, so the array made here
 * aliases this buffer: it must be closed (its batch manager) before the buffer is staged again. The
 * buffer checks that and refuses otherwise, rather than overwrite a live tensor. On a GPU the engine
 * copies to the device, which is just as safe.
 */
public final class StagingBuffer {
    private final String name;
    private final ByteBuffer buffer;
    private NDArray staged;

    /** A buffer for up to {@code values} 4-byte values (FLOAT32 or INT32). */
    public StagingBuffer(String name, int values) {
        if (values < 1) {
            throw new IllegalArgumentException(name + " staging buffer needs room for at least one value, got " + values);
        }
        this.name = name;
        this.buffer = ByteBuffer.allocateDirect(Math.multiplyExact(values, Float.BYTES)).order(ByteOrder.nativeOrder());
    }

    /** The number of values this buffer holds. */
    public int capacity() {
        return buffer.capacity() / Float.BYTES;
    }

    /**
     * A FLOAT32 array of {@code shape} in {@code manager} holding {@code source[0 .. shape.size())},
     * followed by {@code repeats} further copies of {@code source[0 .. repeatLength)} (a batch padded
     * with its first row); {@code shape} covers both.
     */
    public NDArray floats(NDManager manager, float[] source, int length, int repeatLength, int repeats, Shape shape) {
        ByteBuffer view = claim(Math.addExact(length, Math.multiplyExact(repeatLength, repeats)), shape);
        java.nio.FloatBuffer floats = view.asFloatBuffer().put(source, 0, length);
        for (int r = 0; r < repeats; r++) {
            floats.put(source, 0, repeatLength);
        }
        return staged = manager.create(view, shape, DataType.FLOAT32);
    }

    /** A FLOAT32 array of {@code shape} in {@code manager} holding {@code source[0 .. shape.size())}. */
    public NDArray floats(NDManager manager, float[] source, Shape shape) {
        return floats(manager, source, Math.toIntExact(shape.size()), 0, 0, shape);
    }

    /** An INT32 array of {@code shape} in {@code manager} holding {@code source[0 .. shape.size())}. */
    public NDArray ints(NDManager manager, int[] source, Shape shape) {
        ByteBuffer view = claim(Math.toIntExact(shape.size()), shape);
        view.asIntBuffer().put(source, 0, view.remaining() / Integer.BYTES);
        return staged = manager.create(view, shape, DataType.INT32);
    }

    private ByteBuffer claim(int values, Shape shape) {
        if (values != shape.size()) {
            throw new IllegalArgumentException(name + ": " + values + " values for shape " + shape);
        }
        if (values > capacity()) {
            throw new IllegalArgumentException(name + ": " + values + " values do not fit the staging buffer's "
                    + capacity());
        }
        if (staged != null && !staged.isReleased()) {
            throw new IllegalStateException(name + ": the array staged last is still open (it shares this buffer);"
                    + " close its manager before staging the next batch");
        }
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit(values * Float.BYTES);
        return view;
    }
}
