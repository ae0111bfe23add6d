package org.fmfstream.model.serve;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.fmfstream.model.fmformer.FmFormer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores batches of tokenized windows with one loaded model.
 *
 * <p>Input: the {@link TokenBuffers} {@code MultiScaleTokenizer.tokenizeInto} fills for a batch
 * of B windows ([B, 320, 384], [B, 80, 384], [B, 240, 3] floats; longer arrays are fine, only the
 * first B windows are read). Output per window: the anomaly probability (softmax of the fused
 * logits, abnormal class), the video and current logits, and the 64x64 abnormal-pixel
 * probabilities (softmax over the two mask classes, abnormal channel).
 *
 * <p>Every pass runs with autograd off on the calling thread and inside a batch sub-manager that
 * is closed before the call returns, so nothing accumulates in the model's manager.
 *
 * <p><b>One predictor per thread.</b> Like DJL's {@code Predictor}, this class is not thread-safe:
 * it reuses its staging buffers between calls. The streaming job opens one per subtask.
 */
public final class FmFormerPredictor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FmFormerPredictor.class);
    private static final int CLASSES = ScoreBuffers.CLASSES;
    private static final int MASK_PIXELS = ScoreBuffers.MASK_PIXELS;

    private final LoadedModel model;
    private final PredictorConfig config;
    private final InputStaging staging;
    private final ScoreBuffers scratch;
    private final long warmupNanos;
    private final boolean ownsModel;
    private boolean closed;

    /** Resolves the device, loads the model from {@code source}, sets threads and warms up. */
    public static FmFormerPredictor open(ModelSource source, PredictorConfig config)
            throws IOException, MalformedModelException {
        Device device = config.device().resolve();
        LoadedModel model = source.load(device);
        try {
            return new FmFormerPredictor(model, config);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * A predictor over a model that others share (e.g. one model per JVM, one predictor per
     * thread): sets threads and warms up, but does not take ownership, so {@link #close()} leaves
     * {@code model} open and the caller closes it after its last predictor. {@code config.device()}
     * is not consulted; the model already lives on its device.
     */
    public static FmFormerPredictor sharing(LoadedModel model, PredictorConfig config) {
        return new FmFormerPredictor(model, config, false);
    }

    /** Takes ownership of {@code model} (closes it on failure and on {@link #close()}). */
    FmFormerPredictor(LoadedModel model, PredictorConfig config) {
        this(model, config, true);
    }

    private FmFormerPredictor(LoadedModel model, PredictorConfig config, boolean ownsModel) {
        this.model = model;
        this.ownsModel = ownsModel;
        this.config = config;
        if (config.intraOpThreads() > 0) {
            EngineThreads.setIntraOp(config.intraOpThreads());
        }
        this.staging = new InputStaging(TokenizerSpec.FMFORMER, config.batchSize());
        this.scratch = ScoreBuffers.forBatch(config.batchSize());
        this.warmupNanos = warmUp();
    }

    public ModelIdentity identity() {
        return model.identity();
    }

    /** Which heads the model has: without a dense head the mask buffers are left untouched. */
    public ModelHeads heads() {
        return model.heads();
    }

    public Device device() {
        return model.device();
    }

    public PredictorConfig config() {
        return config;
    }

    /** How long the warm-up batches took together, in nanoseconds (0 with none configured). */
    public long warmupNanos() {
        return warmupNanos;
    }

    /**
     * Scores windows 0..batch-1 of the buffers into {@code out} (window b at the offsets
     * {@link ScoreBuffers} documents).
     */
    public void predict(TokenBuffers tokens, int batch, ScoreBuffers out) {
        requireOpen();
        if (batch < 1 || batch > config.batchSize()) {
            throw new IllegalArgumentException("batch size " + batch + " is outside 1.." + config.batchSize()
                    + " (the predictor's configured batch size)");
        }
        out.requireCapacity(batch);
        try (NoGradScope noGrad = NoGradScope.enter();
             NDManager batchManager = model.modelManager().newSubManager(model.device())) {
            NDList outputs = forward(batchManager, batch, tokens);
            readScores(outputs, batch, out);
        }
    }

    /** Scores windows 0..batch-1 and returns one record per window. */
    public List<WindowScore> predict(TokenBuffers tokens, int batch) {
        predict(tokens, batch, scratch);
        List<WindowScore> scores = new ArrayList<>(batch);
        boolean masks = heads().denseHead();
        for (int b = 0; b < batch; b++) {
            WindowScore score = scratch.window(b);
            scores.add(masks ? score : new WindowScore(score.anomalyProbability(),
                    score.videoLogits(), score.currentLogits(), new float[0]));
        }
        return scores;
    }

    /**
     * The model's raw outputs for a batch, attached to {@code batchManager}. The caller must hold a
     * {@link NoGradScope}; package-private so tests can inspect what a pass leaves behind.
     */
    NDList forward(NDManager batchManager, int batch, TokenBuffers tokens) {
        NDList inputs = staging.stage(batchManager, batch, tokens);
        return model.forward(batchManager, inputs);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsModel) {
                model.close();
            }
        }
    }

    private void readScores(NDList outputs, int batch, ScoreBuffers out) {
        NDArray video = outputs.get(FmFormer.VIDEO_LOGITS);
        NDArray current = outputs.get(FmFormer.CURRENT_LOGITS);
        // Whole contiguous results are read and the abnormal channel picked here: a strided view
        // of channel 1 would need an extra copy in the engine.
        ModelHeads heads = model.heads();
        floats(video).get(0, out.videoLogits(), 0, batch * CLASSES);
        floats(current).get(0, out.currentLogits(), 0, batch * CLASSES);
        if (heads.denseHead()) {
            FloatBuffer mask = floats(outputs.get(FmFormer.MASK_LOGITS).softmax(1));
            for (int b = 0; b < batch; b++) {
                mask.get((b * CLASSES + 1) * MASK_PIXELS, out.maskProbabilities(), b * MASK_PIXELS, MASK_PIXELS);
            }
        }
        if (heads.classHeads()) {
            FloatBuffer fused = floats(FmFormer.fusedLogits(outputs).softmax(1));
            for (int b = 0; b < batch; b++) {
                out.probabilities()[b] = fused.get(b * CLASSES + 1);
            }
        } else {
            // The mask is the only answer: a window is as anomalous as its most anomalous pixel.
            for (int b = 0; b < batch; b++) {
                out.probabilities()[b] = DecisionRule.strongestPixel(out.maskProbabilities(), b * MASK_PIXELS,
                        (b + 1) * MASK_PIXELS);
            }
        }
    }

    /**
     * The array's values; on the CPU a view of the tensor's own memory (no copy), valid until the
     * batch manager closes.
     */
    private static FloatBuffer floats(NDArray array) {
        return array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private long warmUp() {
        if (config.warmupBatches() == 0) {
            return 0;
        }
        int batch = config.batchSize();
        TokenBuffers tokens = TokenBuffers.forWindows(TokenizerSpec.FMFORMER, batch);
        long start = System.nanoTime();
        for (int i = 0; i < config.warmupBatches(); i++) {
            long batchStart = System.nanoTime();
            predict(tokens, batch, scratch);
            LOG.info("warm-up batch {} of {} ({} windows) on {}: {} ms", i + 1, config.warmupBatches(), batch,
                    model.device(), String.format("%.1f", (System.nanoTime() - batchStart) / 1e6));
        }
        long total = System.nanoTime() - start;
        LOG.info("predictor for {} {} (sha256 {}) ready on {} after {} warm-up batch(es) in {} ms",
                model.identity().name(), model.identity().version(), model.identity().sha256(), model.device(),
                config.warmupBatches(), String.format("%.1f", total / 1e6));
        return total;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("predictor is closed");
        }
    }
}
