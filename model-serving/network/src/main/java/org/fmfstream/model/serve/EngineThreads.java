package org.fmfstream.model.serve;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's thread pools: intra-op (the threads one operator such as a matrix product splits over)
 * and inter-op (parallel independent operators, unused by a predictor scoring on its own thread).
 *
 * <p>Both pools are process-wide. DJL 0.36 reads {@code -Dai.djl.pytorch.num_threads} and
 * {@code -Dai.djl.pytorch.num_interop_threads} once, when the engine starts; after that only the
 * intra-op count can change, through {@code JniUtils.setNumThreads} (PyTorch refuses to change the
 * inter-op count once it has been used). A streaming job running P predictors on C cores should
 * therefore start its JVM with {@code -Dai.djl.pytorch.num_threads=max(1, C / P)} and
 * {@code -Dai.djl.pytorch.num_interop_threads=1}, or pass the intra-op count in
 * {@link PredictorConfig#intraOpThreads()}, which sets the same JVM-wide value.
 */
public final class EngineThreads {

    static final String ENGINE = "PyTorch";

    private EngineThreads() {}

    /** The intra-op thread count in use (starts the engine if it has not started). */
    public static int intraOp() {
        Engine.getEngine(ENGINE);
        return JniUtils.getNumThreads();
    }

    /** The inter-op thread count in use (starts the engine if it has not started). */
    public static int interOp() {
        Engine.getEngine(ENGINE);
        return JniUtils.getNumInteropThreads();
    }

    /** Sets the JVM-wide intra-op thread count. */
    public static void setIntraOp(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, got " + threads);
        }
        Engine.getEngine(ENGINE);
        JniUtils.setNumThreads(threads);
    }

    /** Engine name and version, e.g. {@code PyTorch 2.7.1}. */
    public static String engineDescription() {
        Engine engine = Engine.getEngine(ENGINE);
        return engine.getEngineName() + " " + engine.getVersion();
    }
}
