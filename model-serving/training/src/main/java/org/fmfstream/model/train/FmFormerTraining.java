package org.fmfstream.model.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.fmfstream.model.data.EpochPlan;
import org.fmfstream.model.data.Window;
import org.fmfstream.model.data.WindowBatch;
import org.fmfstream.model.data.WindowBatcher;
import org.fmfstream.model.data.WindowGenerator;
import org.fmfstream.model.eval.ClassificationMetrics;
import org.fmfstream.model.eval.SegmentationMetrics;
import org.fmfstream.model.fmformer.FmFormer;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.SavedFmFormer;
import org.fmfstream.model.serve.EngineThreads;
import org.fmfstream.model.serve.NoGradScope;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * Trains an FmFormer on a benchmark-layout directory (the train split for the updates, the test split
 * for a validation pass after each epoch) or on generated windows ({@link WindowGenerator}: new
 * simulated furnaces for every batch, validation on other furnaces).
 *
 * <p>Run directory: {@code epoch-N/} after each epoch (the model as {@link FmFormerModel#save} writes
 * it plus {@value #OPTIMIZER_FILE}, the Adam moments), {@value TrainingState#FILE} (written last, so it
 * only ever names a complete checkpoint) and {@code final/} at the end. {@link #resume} continues from
 * the checkpoint the state names with the same weights, Adam moments, step count and per-epoch data
 * order an uninterrupted run has, so it ends with the same weights.
 *
 * <p>Loop: per batch a sub-manager of the model's manager holds the inputs and everything computed
 * from them and is closed after the update; forward in training mode inside a
 * {@link GradientCollector}, backward, then {@link ResumableAdam#step}. Validation runs with
 * PyTorch's grad mode off and the network in inference mode (batch norm uses running statistics).
 */
public final class FmFormerTraining {
    public static final String OPTIMIZER_FILE = "adam-moments.ndlist";
    public static final String FINAL_DIR = "final";
    /** Progress lines at most this often (and at each epoch's end). */
    private static final long PROGRESS_NANOS = 10_000_000_000L;
    /** Batches in a row with non-finite gradients after which the run is declared diverged. */
    private static final int MAX_SKIPPED_IN_A_ROW = 20;

    private final TrainingConfig config;
    private final Path runDir;
    private final PrintWriter log;
    private final TrainingData data;

    private FmFormerTraining(TrainingConfig config, TrainingData data, Path runDir, PrintWriter log) {
        this.config = config;
        this.runDir = runDir;
        this.log = log;
        this.data = data;
    }

    /**
     * A new run into {@code runDir} (created; it must not already hold a run).
     *
     * @param log progress and per-epoch lines (stderr for the command line)
     */
    public static TrainingResult run(TrainingConfig config, Path dataDir, Path runDir, PrintWriter log)
            throws IOException {
        return run(config, TrainingData.split(dataDir, config), runDir, log);
    }

    /**
     * A new run on generated windows (e.g. simulated furnaces): {@code maxSamplesPerEpoch} windows
     * per epoch, the generator's validation windows after each epoch.
     */
    public static TrainingResult run(TrainingConfig config, WindowGenerator generator, Path runDir, PrintWriter log)
            throws IOException {
        return run(config, TrainingData.generated(generator, config), runDir, log);
    }

    private static TrainingResult run(TrainingConfig config, TrainingData data, Path runDir, PrintWriter log)
            throws IOException {
        try (data) {
            return start(config, data, runDir, log);
        }
    }

    private static TrainingResult start(TrainingConfig config, TrainingData data, Path runDir, PrintWriter log)
            throws IOException {
        if (Files.exists(runDir.resolve(TrainingState.FILE))) {
            throw new IllegalArgumentException(runDir + " already holds a training run (" + TrainingState.FILE
                    + "); resume it or choose another output directory");
        }
        Files.createDirectories(runDir);
        FmFormerTraining training = new FmFormerTraining(config, data, runDir, log);
        TrainingState start = new TrainingState(config, 0, 0, null, List.of());
        if (config.initFrom() != null) {
            log.printf(Locale.ROOT, "train: starting from the weights of %s%n", config.initFrom());
        }
        try (Model model = initialModel(config)) {
            return training.train(model, start);
        }
    }

    /**
     * Continues the run in {@code runDir} from its last checkpoint, up to {@code epochs} epochs in all
     * (0 = the configured number). Everything else comes from the saved configuration.
     */
    public static TrainingResult resume(Path dataDir, Path runDir, int epochs, PrintWriter log) throws IOException {
        TrainingConfig config = resumedConfig(runDir, epochs);
        try (TrainingData data = TrainingData.split(dataDir, config)) {
            return resume(config, data, runDir, log);
        }
    }

    /** {@link #resume(Path, Path, int, PrintWriter)} for a run on generated windows: the same generator as before. */
    public static TrainingResult resume(WindowGenerator generator, Path runDir, int epochs, PrintWriter log)
            throws IOException {
        TrainingConfig config = resumedConfig(runDir, epochs);
        try (TrainingData data = TrainingData.generated(generator, config)) {
            return resume(config, data, runDir, log);
        }
    }

    private static TrainingConfig resumedConfig(Path runDir, int epochs) throws IOException {
        TrainingConfig saved = TrainingState.read(runDir).config();
        return epochs > 0 ? saved.toBuilder().epochs(epochs).build() : saved;
    }

    private static TrainingResult resume(TrainingConfig config, TrainingData data, Path runDir, PrintWriter log)
            throws IOException {
        TrainingState saved = TrainingState.read(runDir);
        TrainingState state = new TrainingState(config, saved.epochsDone(), saved.steps(), saved.checkpoint(),
                saved.history());
        FmFormerTraining training = new FmFormerTraining(config, data, runDir, log);
        if (state.checkpoint() == null) {
            try (Model model = initialModel(config)) {
                return training.train(model, state);
            }
        }
        Path checkpoint = runDir.resolve(state.checkpoint());
        try (Model model = FmFormerModel.create(config.model(), config.seed())) {
            restoreWeights(checkpoint, model);
            return training.train(model, state);
        }
    }

    /** The model a run starts from: seeded initialisation, then the weights of {@code initFrom} if given. */
    private static Model initialModel(TrainingConfig config) throws IOException {
        Model model = FmFormerModel.create(config.model(), config.seed());
        if (config.initFrom() != null) {
            try {
                restoreWeights(Path.of(config.initFrom()), model);
            } catch (IOException | RuntimeException e) {
                model.close();
                throw e;
            }
        }
        return model;
    }

    /**
     * Copies a checkpoint's weights into a freshly built model. The fresh model keeps its autograd
     * flags (loaded weights have none) and stays savable: DJL cannot save a model it loaded from a
     * parameter file without input descriptions ("key value size mismatch").
     */
    private static void restoreWeights(Path checkpoint, Model target) throws IOException {
        try (Model saved = FmFormerModel.load(checkpoint)) {
            FmFormerConfig have = FmFormerModel.configOf(saved);
            FmFormerConfig want = FmFormerModel.configOf(target);
            // The clip stride describes the input, not the weights: a model may be fine-tuned to another.
            if (!have.withSamplingRate(want.samplingRate()).equals(want)) {
                throw new IllegalArgumentException(checkpoint + " holds " + have + ", but the run's configuration is "
                        + want);
            }
            Map<String, Parameter> into = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : target.getBlock().getParameters()) {
                into.put(p.getKey(), p.getValue());
            }
            for (Pair<String, Parameter> p : saved.getBlock().getParameters()) {
                into.get(p.getKey()).getArray().set(p.getValue().getArray().toFloatArray());
            }
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint " + checkpoint + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private TrainingResult train(Model model, TrainingState state) throws IOException {
        if (config.threads() > 0) {
            EngineThreads.setIntraOp(config.threads());
        }
        int stepsPerEpoch = EpochPlan.stepsPerEpoch(data.samplesPerEpoch(), config.batchSize());
        FmFormerConfig modelConfig = config.model();
        log.printf(Locale.ROOT, "train: %s (%s, dense head %s), %s, %d epochs of %d steps x batch %d, %d threads%n",
                modelConfig.name(), modelConfig.modality(), modelConfig.denseHead() ? "on" : "off", data.description(),
                config.epochs(), stepsPerEpoch, config.batchSize(), EngineThreads.intraOp());
        Block block = model.getBlock();
        WindowBatcher trainBatcher = new WindowBatcher(TokenizerSpec.FMFORMER, config.batchSize());
        WindowBatcher validationBatcher = new WindowBatcher(TokenizerSpec.FMFORMER, config.batchSize());
        List<Window> validation = data.validation(config.maxValidationSamples());
        RunClock clock = new RunClock(state.steps(), (long) config.epochs() * stepsPerEpoch);
        try (ResumableAdam adam = new ResumableAdam(model.getNDManager(),
                new LearningRateSchedule(config, stepsPerEpoch), config.weightDecay())) {
            if (state.checkpoint() != null) {
                adam.restore(runDir.resolve(state.checkpoint()).resolve(OPTIMIZER_FILE), state.steps());
                log.printf(Locale.ROOT, "train: resumed from %s after epoch %d, step %d%n", state.checkpoint(),
                        state.epochsDone(), state.steps());
            }
            for (int epoch = state.epochsDone() + 1; epoch <= config.epochs(); epoch++) {
                EpochRecord record = trainEpoch(model, block, adam, trainBatcher, stepsPerEpoch, epoch, clock);
                ValidationMetrics metrics = validate(model, block, validationBatcher, validation);
                record = new EpochRecord(record.epoch(), record.steps(), record.trainLoss(), record.trainAccuracy(),
                        record.samplesPerSecond(), metrics);
                String name = "epoch-" + epoch;
                Path dir = runDir.resolve(name);
                FmFormerModel.save(model, dir);
                adam.save(dir.resolve(OPTIMIZER_FILE));
                state = state.after(record, name);
                state.write(runDir);
                log.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.4f, %.1f samples/s; %s%n", epoch,
                        config.epochs(), record.trainLoss(), record.trainAccuracy(), record.samplesPerSecond(), metrics);
            }
        }
        SavedFmFormer saved = FmFormerModel.save(model, runDir.resolve(FINAL_DIR));
        log.println("final model: " + saved.directory() + " sha256 " + saved.paramsSha256());
        return new TrainingResult(saved, state);
    }

    private EpochRecord trainEpoch(Model model, Block block, ResumableAdam adam, WindowBatcher batcher,
                                   int steps, int epoch, RunClock clock) {
        long start = System.nanoTime();
        long lastLine = start;
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int skippedInARow = 0;
        for (int b = 0; b < steps; b++) {
            try (NDManager batchManager = model.getNDManager().newSubManager()) {
                TrainingData.Batch windows = data.batch(epoch, b);
                List<Window> inputs = config.model().modality().isCrossModal()
                        ? ModalityDropout.apply(windows.windows(), config.modalityDropout(), config.seed(), epoch, b)
                        : windows.windows();
                WindowBatch batch = batcher.batch(batchManager, inputs, windows.flips());
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    ParameterStore store = new ParameterStore(batchManager, false);
                    NDList out = config.contrastiveWeight() > 0
                            ? ((FmFormer) block).forwardWithClassTokens(store, batch.inputs(), true)
                            : block.forward(store, batch.inputs(), true);
                    NDArray loss = objective(out, batch);
                    if (config.contrastiveWeight() > 0) {
                        loss = loss.add(TrainingLosses.supervisedContrastive(out.get(FmFormer.CLASS_TOKENS),
                                batch.labels(), config.contrastiveTemperature()).mul(config.contrastiveWeight()));
                    }
                    collector.backward(loss);
                    lossSum += loss.getFloat();
                    correct += correctCount(FmFormer.fusedLogits(out), batch.labels());
                }
                if (adam.step(block)) {
                    skippedInARow = 0;
                } else if (++skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
                    throw new IllegalStateException("gradients were not finite in " + skippedInARow
                            + " batches in a row (epoch " + epoch + ", batch " + (b + 1) + "): training diverged");
                } else {
                    List<String> bad = adam.lastNonFinite();
                    log.printf(Locale.ROOT, "epoch %d step %d: gradients not finite in %d parameter(s)%s, batch"
                                    + " skipped (%d skipped so far)%n", epoch, b + 1, bad.size(),
                            bad.isEmpty() ? "" : " (" + bad.get(0) + (bad.size() > 1 ? " ... " + bad.get(bad.size() - 1) : "")
                                    + ")", adam.skippedSteps());
                }
                seen += batch.size();
            }
            long now = System.nanoTime();
            clock.stepDone(now);
            if (now - lastLine >= PROGRESS_NANOS || b == steps - 1) {
                lastLine = now;
                log.printf(Locale.ROOT, "epoch %d step %d/%d (global %d): loss %.4f acc %.3f lr %.2e, %.1f windows/s,"
                                + " ETA %s%n",
                        epoch, b + 1, steps, adam.updates(), lossSum / (b + 1), (double) correct / seen,
                        adam.currentLearningRate(), seen / ((now - start) / 1e9), clock.eta());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochRecord(epoch, adam.updates(), lossSum / steps, (double) correct / seen,
                seen / seconds, null);
    }

    /**
     * Class cross-entropy on the fused logits, plus the weighted pixel loss with the dense head (the
     * contrastive term, training only, is added by the caller: validation reports this objective).
     */
    private NDArray objective(NDList out, WindowBatch batch) {
        NDArray loss = TrainingLosses.classCrossEntropy(FmFormer.fusedLogits(out), batch.labels());
        if (config.model().denseHead() && config.maskLossWeight() > 0) {
            NDArray maskLogits = out.get(FmFormer.MASK_LOGITS);
            NDArray pixel = TrainingLosses.pixelCrossEntropy(maskLogits, batch.masks(), config.abnormalPixelWeight())
                    .add(TrainingLosses.softDice(maskLogits, batch.masks()));
            loss = loss.add(pixel.mul(config.maskLossWeight()));
        }
        return loss;
    }

    private static long correctCount(NDArray logits, NDArray labels) {
        return logits.argMax(1).toType(DataType.INT32, false).eq(labels).sum().toType(DataType.INT64, false).getLong();
    }

    /**
     * One pass over the validation windows in inference mode, scored with the evaluation's own
     * metrics: the fused logits' P(abnormal) at 0.5 (the argmax of two classes) and the mask's
     * abnormal-class IoU at pixel probability 0.5.
     */
    private ValidationMetrics validate(Model model, Block block, WindowBatcher batcher, List<Window> validation) {
        int n = validation.size();
        boolean[] abnormal = new boolean[n];
        double[] probability = new double[n];
        boolean dense = config.model().denseHead();
        SegmentationMetrics pixels = new SegmentationMetrics(TokenizerSpec.FMFORMER.maskPixels());
        double lossSum = 0;
        int batches = 0;
        try (NoGradScope noGrad = NoGradScope.enter()) {
            for (int from = 0; from < n; from += config.batchSize()) {
                List<Window> windows = validation.subList(from, Math.min(n, from + config.batchSize()));
                try (NDManager batchManager = model.getNDManager().newSubManager()) {
                    WindowBatch batch = batcher.batch(batchManager, windows, new boolean[windows.size()]);
                    NDList out = block.forward(new ParameterStore(batchManager, false), batch.inputs(), false);
                    lossSum += objective(out, batch).getFloat();
                    batches++;
                    float[] p = FmFormer.fusedLogits(out).softmax(1).get(":, 1").toFloatArray();
                    int[] labels = batch.labels().toIntArray();
                    for (int b = 0; b < labels.length; b++) {
                        abnormal[from + b] = labels[b] == 1;
                        // A diverged model's NaN answer counts as wrong rather than stopping the run.
                        probability[from + b] = Float.isFinite(p[b]) ? p[b] : (labels[b] == 1 ? 0 : 1);
                    }
                    if (dense) {
                        float[] mask = out.get(FmFormer.MASK_LOGITS).softmax(1).get(":, 1").toFloatArray();
                        byte[] truth = batch.masks().toType(DataType.INT8, false).toByteArray();
                        int perMask = pixels.pixelsPerMask();
                        for (int b = 0; b < labels.length; b++) {
                            if (allFinite(mask, b * perMask, perMask)) {
                                pixels.add(mask, b * perMask, truth, b * perMask);
                            }
                        }
                    }
                }
            }
        }
        if (n == 0) {
            return new ValidationMetrics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        ClassificationMetrics classes = ClassificationMetrics.of(abnormal, probability, 0.5);
        return new ValidationMetrics(n, batches == 0 ? Double.NaN : lossSum / batches, classes.accuracy(),
                classes.precision(), classes.recall(), classes.f1(), dense ? pixels.anomalyIoU() : Double.NaN);
    }

    private static boolean allFinite(float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!Float.isFinite(values[i])) {
                return false;
            }
        }
        return true;
    }
}
