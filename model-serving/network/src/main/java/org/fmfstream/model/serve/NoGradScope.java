package org.fmfstream.model.serve;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd recording off on the calling thread until closed, then restores it.
 *
 * <p>Grad mode is per thread in PyTorch. DJL switches it off only on the thread that starts the
 * engine; on every other thread (a Flink task thread, a pool thread) it is on, and a forward pass
 * through parameters that require gradients would build and keep a backward graph.
 */
public final class NoGradScope implements AutoCloseable {

    private final boolean previous;

    private NoGradScope() {
        previous = JniUtils.isGradMode();
        if (previous) {
            JniUtils.setGradMode(false);
        }
    }

    public static NoGradScope enter() {
        return new NoGradScope();
    }

    @Override
    public void close() {
        if (previous) {
            JniUtils.setGradMode(true);
        }
    }
}
