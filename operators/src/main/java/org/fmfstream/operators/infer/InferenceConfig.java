package org.fmfstream.operators.infer;

import java.io.Serializable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.model.serve.ModelSource;
import org.fmfstream.model.serve.PredictorConfig;
import org.fmfstream.model.serve.ShippedModel;

/**
 * How {@link FmFormerInference} scores windows. Serializable: it travels with the job graph.
 *
 * @param modelPath        saved FmFormer directory or TorchScript {@code .pt} file, as the
 *                         TaskManagers see it, or {@link #SHIPPED} for the model in the jar
 * @param expectedSha256   pinned SHA-256 of the parameter/TorchScript file, or null to accept any
 * @param modelVersion     version as shipped, or null for {@code unversioned}
 * @param device           {@code auto|cpu|gpu}
 * @param batchSize        most windows per inference pass (default 16)
 * @param batchTimeout     longest the oldest window of a partial batch waits before the batch
 *                         runs anyway (default 50 ms)
 * @param intraOpThreads   PyTorch intra-op threads (JVM-wide), 0 = engine default, or
 *                         {@link #THREADS_PER_SUBTASK}: the TaskManager's cores shared by the
 *                         job's inference subtasks, worked out where the model runs (the job's default)
 * @param warmupBatches    dummy batches each predictor runs on open (default 1)
 * @param asyncTimeout     Flink's per-window async timeout: a window not scored by then fails
 *                         the job (default 60 s)
 */
public record InferenceConfig(String modelPath, String expectedSha256, String modelVersion, DeviceChoice device,
                              int batchSize, Duration batchTimeout, int intraOpThreads, int warmupBatches,
                              Duration asyncTimeout) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** {@link #modelPath} value that selects the model shipped in the jar. */
    public static final String SHIPPED = "shipped";

    /**
     * {@link #intraOpThreads} value: the cores of the JVM that opens the predictor divided by the
     * operator's parallelism, at least 1. Resolved in {@code open()} on the TaskManager, not where the
     * job graph is built: a client submitting with {@code flink run} may have other cores.
     */
    public static final int THREADS_PER_SUBTASK = -1;

    public static final int DEFAULT_BATCH_SIZE = 16;
    public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofMillis(50);
    public static final int DEFAULT_WARMUP_BATCHES = 1;
    public static final Duration DEFAULT_ASYNC_TIMEOUT = Duration.ofSeconds(60);

    public InferenceConfig {
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(batchTimeout, "batchTimeout");
        Objects.requireNonNull(asyncTimeout, "asyncTimeout");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (batchTimeout.isNegative()) {
            throw new IllegalArgumentException("batchTimeout must not be negative, got " + batchTimeout);
        }
        if (intraOpThreads < THREADS_PER_SUBTASK) {
            throw new IllegalArgumentException("intraOpThreads must be 0 (engine default), THREADS_PER_SUBTASK (-1)"
                    + " or positive, got " + intraOpThreads);
        }
        if (warmupBatches < 0) {
            throw new IllegalArgumentException("warmupBatches must not be negative, got " + warmupBatches);
        }
        if (asyncTimeout.isNegative() || asyncTimeout.isZero()) {
            throw new IllegalArgumentException("asyncTimeout must be positive, got " + asyncTimeout);
        }
    }

    /** The defaults for a model at {@code modelPath} with an optional pinned hash and version. */
    public static InferenceConfig of(String modelPath, String expectedSha256, String modelVersion) {
        return new InferenceConfig(modelPath, expectedSha256, modelVersion, DeviceChoice.AUTO, DEFAULT_BATCH_SIZE,
                DEFAULT_BATCH_TIMEOUT, 0, DEFAULT_WARMUP_BATCHES, DEFAULT_ASYNC_TIMEOUT);
    }

    public InferenceConfig withDevice(DeviceChoice choice) {
        return new InferenceConfig(modelPath, expectedSha256, modelVersion, choice, batchSize, batchTimeout,
                intraOpThreads, warmupBatches, asyncTimeout);
    }

    public InferenceConfig withBatching(int size, Duration timeout) {
        return new InferenceConfig(modelPath, expectedSha256, modelVersion, device, size, timeout,
                intraOpThreads, warmupBatches, asyncTimeout);
    }

    public InferenceConfig withIntraOpThreads(int threads) {
        return new InferenceConfig(modelPath, expectedSha256, modelVersion, device, batchSize, batchTimeout,
                threads, warmupBatches, asyncTimeout);
    }

    public InferenceConfig withWarmupBatches(int batches) {
        return new InferenceConfig(modelPath, expectedSha256, modelVersion, device, batchSize, batchTimeout,
                intraOpThreads, batches, asyncTimeout);
    }

    public InferenceConfig withAsyncTimeout(Duration timeout) {
        return new InferenceConfig(modelPath, expectedSha256, modelVersion, device, batchSize, batchTimeout,
                intraOpThreads, warmupBatches, timeout);
    }

    /**
     * Flink's in-flight capacity for the async operator: two batches, one being scored while the
     * next fills (the double buffer).
     */
    public int asyncCapacity() {
        return 2 * batchSize;
    }

    /**
     * Where the model comes from. {@link #SHIPPED} is the checkpoint inside model-serving's jar
     * ({@link ShippedModel}), copied out on the TaskManager that opens it and always checked against
     * its pinned SHA-256; any other value is a saved FmFormer directory or a TorchScript file.
     */
    public ModelSource modelSource() {
        if (isShipped()) {
            try {
                return ShippedModel.manifest().source();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the shipped model out of the jar: " + e.getMessage(), e);
            }
        }
        return ModelSource.of(Path.of(modelPath), expectedSha256, modelVersion);
    }

    /**
     * The decision rule the model carries ({@code DecisionRule.FILE} in its directory, read from the
     * jar for the shipped model), or {@code DecisionRule.REFERENCE} when it has none. Read where
     * this is called: a job reads it where its graph is built, so the model must be readable there.
     *
     * @throws IllegalArgumentException when {@link #modelPath} is neither a directory nor a {@code .pt} file here
     */
    public DecisionRule modelDecisionRule() {
        if (isShipped()) {
            return ShippedModel.manifest().decisionRule();
        }
        return ModelSource.of(Path.of(modelPath), expectedSha256, modelVersion).decisionRule();
    }

    /**
     * The clip frame stride the model expects ({@code samplingRate} of its configuration; 1 for a
     * TorchScript file). Read where the job graph is built, to configure the aligner.
     */
    public int modelSamplingRate() {
        return modelSource().samplingRate();
    }

    /** True when {@link #modelPath} names the shipped model. */
    public boolean isShipped() {
        return SHIPPED.equals(modelPath);
    }

    /**
     * The predictor's settings in a JVM with {@code cores} processors running {@code subtasks}
     * inference subtasks ({@link #THREADS_PER_SUBTASK} resolved there).
     */
    public PredictorConfig predictorConfig(int cores, int subtasks) {
        int threads = intraOpThreads == THREADS_PER_SUBTASK ? Math.max(1, cores / Math.max(1, subtasks)) : intraOpThreads;
        return new PredictorConfig(device, batchSize, threads, warmupBatches);
    }
}
