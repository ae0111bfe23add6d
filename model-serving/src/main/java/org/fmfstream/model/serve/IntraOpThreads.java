package org.fmfstream.model.serve;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op thread pool (the threads one operator such as a matrix product splits over).
 *
 * <p>The pool is process-wide. DJL 0.36 reads {@code -Dai.djl.pytorch.num_threads} and
 * {@code -Dai.djl.pytorch.num_interop_threads} once, when the engine starts; after that only the
 * intra-op count can change, through {@code JniUtils.setNumThreads} (PyTorch refuses to change the
 * inter-op count once it has been used). A streaming job running P predictors on C cores should
 * therefore start its JVM with {@code -Dai.djl.pytorch.num_threads=max(1, C / P)} and
 * {@code -Dai.djl.pytorch.num_interop_threads=1} (each predictor scores on its own task thread,
 * so PyTorch's inter-op pool has nothing to do), or pass the intra-op count in
 * {@link PredictorConfig#intraOpThreads()}, which sets the same JVM-wide value.
 */
public final class IntraOpThreads {

    private IntraOpThreads() {}

    /** The intra-op thread count in use (starts the engine if it has not started). */
    public static int current() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }

    /** Sets the JVM-wide intra-op thread count. */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, got " + threads);
        }
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }
}
