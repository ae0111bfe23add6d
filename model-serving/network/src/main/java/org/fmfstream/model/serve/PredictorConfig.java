package org.fmfstream.model.serve;

import java.util.Objects;

/**
 * How a {@link FmFormerPredictor} runs.
 *
 * @param device         {@code auto|cpu|gpu}
 * @param batchSize      the largest batch one call scores; input staging is sized for it and the
 *                       warm-up runs batches of exactly this size
 * @param intraOpThreads PyTorch intra-op threads, or 0 to keep what the engine started with. This
 *                       is one pool for the whole JVM: the last predictor opened with a non-zero
 *                       value sets it for all (see {@link EngineThreads})
 * @param warmupBatches  dummy batches run on open, so the first real batch does not pay for
 *                       lazy allocation and kernel selection (0 for none)
 */
public record PredictorConfig(DeviceChoice device, int batchSize, int intraOpThreads, int warmupBatches) {

    public PredictorConfig {
        Objects.requireNonNull(device, "device");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be 0 (engine default) or positive, got "
                    + intraOpThreads);
        }
        if (warmupBatches < 0) {
            throw new IllegalArgumentException("warmupBatches must not be negative, got " + warmupBatches);
        }
    }

    /** {@code auto} device, the engine's thread count, one warm-up batch. */
    public static PredictorConfig defaults(int batchSize) {
        return new PredictorConfig(DeviceChoice.AUTO, batchSize, 0, 1);
    }

    public PredictorConfig withDevice(DeviceChoice choice) {
        return new PredictorConfig(choice, batchSize, intraOpThreads, warmupBatches);
    }

    public PredictorConfig withIntraOpThreads(int threads) {
        return new PredictorConfig(device, batchSize, threads, warmupBatches);
    }

    public PredictorConfig withWarmupBatches(int batches) {
        return new PredictorConfig(device, batchSize, intraOpThreads, batches);
    }
}
