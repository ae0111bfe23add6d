package org.fmfstream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam whose state can be saved and restored, so that a resumed run continues bit for bit.
 *
 * <p>Why not {@code Optimizer.adam()}: DJL's {@code Adam} keeps its first and second moments in
 * private maps and its per-parameter update counts in the private map of {@code Optimizer}; no
 * public method reads or writes them, so a checkpoint could restore the weights but would restart
 * Adam from zero moments with bias correction from step 1 (a visible jump in the loss). This class
 * performs the identical update through the same engine kernel DJL's {@code Adam.update} calls
 * ({@code NDArrayEx.adamUpdate}, which also clears the gradient), with the same bias-corrected rate
 * {@code lr·√(1−β2^t)/(1−β1^t)}, but owns its moments and step count and writes them to a file.
 * Weight decay is decoupled (AdamW) when non-zero.
 */
public final class ResumableAdam implements AutoCloseable {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPSILON = 1e-8f;
    /** Largest global L2 norm of the gradients an update uses (ViT training recipes clip at 1). */
    public static final float MAX_GRADIENT_NORM = 1f;
    private static final String MEAN = "mean:";
    private static final String VARIANCE = "variance:";

    private final Tracker learningRate;
    private final float weightDecay;
    private final NDManager state;
    private final Map<String, NDArray> means = new LinkedHashMap<>();
    private final Map<String, NDArray> variances = new LinkedHashMap<>();
    private int updates;
    private long skipped;

    /** @param manager parent of the manager that holds the moments (the model's manager) */
    private java.util.List<String> lastNonFinite = java.util.List.of();

    public ResumableAdam(NDManager manager, Tracker learningRate, float weightDecay) {
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.state = manager.newSubManager();
    }

    /** Updates done so far (the t of the bias correction). */
    public int updates() {
        return updates;
    }

    /** The rate the last update used (the schedule's value at {@link #updates()}). */
    public float currentLearningRate() {
        return updates == 0 ? 0f : learningRate.getNewValue(updates);
    }

    /**
     * One update of every trainable parameter of {@code block} from its accumulated gradient, which
     * is then cleared. A batch whose gradients are not finite (NaN or infinite anywhere) updates
     * nothing: its gradients are cleared, the step is not counted, and {@code false} is returned, as
     * mixed-precision loss scalers skip overflowing steps. The weights and moments stay finite, so one
     * pathological batch cannot end a two-hour run; the caller decides how many in a row are too many.
     *
     * @return true when the parameters were updated
     */
    public boolean step(Block block) {
        double norm = gradientNorm(block);
        if (!Double.isFinite(norm)) {
            lastNonFinite = nonFiniteParameters(block);
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
                }
            }
            skipped++;
            return false;
        }
        updates++;
        float lr = learningRate.getNewValue(updates);
        double correction1 = 1 - Math.pow(BETA1, updates);
        double correction2 = 1 - Math.pow(BETA2, updates);
        float correctedLr = (float) (lr * Math.sqrt(correction2) / correction1);
        // Global gradient-norm clipping, as transformer recipes do: one bad batch (a burst of
        // abnormal pixels, a saturated softmax) must not throw the weights out of range.
        float rescale = norm > MAX_GRADIENT_NORM ? (float) (MAX_GRADIENT_NORM / norm) : 1f;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            NDArray mean = means.computeIfAbsent(p.getKey(), k -> state.zeros(weight.getShape(), weight.getDataType()));
            NDArray variance = variances.computeIfAbsent(p.getKey(),
                    k -> state.zeros(weight.getShape(), weight.getDataType()));
            try (NDArray gradient = weight.getGradient()) {
                weight.getNDArrayInternal().adamUpdate(
                        new NDList(weight, gradient, mean, variance), new NDList(weight),
                        lr, correctedLr, weightDecay, rescale, -1f, BETA1, BETA2, EPSILON, true, weightDecay > 0);
            }
        }
        return true;
    }

    /**
     * The parameters whose gradient held a NaN or infinity in the last skipped step (by DJL key), for
     * the log line that reports the skip: where a bad value entered the backward pass.
     */
    public java.util.List<String> lastNonFinite() {
        return lastNonFinite;
    }

    private static java.util.List<String> nonFiniteParameters(Block block) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            // Every intermediate closed by name: they belong to the gradient's manager, the model's,
            // which lives as long as the run (unclosed, they leaked three masks per parameter per skip).
            try (NDArray gradient = p.getValue().getArray().getGradient();
                 NDArray infinite = gradient.isInfinite();
                 NDArray nan = gradient.isNaN();
                 NDArray bad = infinite.logicalOr(nan);
                 NDArray any = bad.any()) {
                if (any.getBoolean()) {
                    out.add(p.getKey());
                }
            }
        }
        return out;
    }

    /** Steps skipped because their gradients were not finite (since this optimizer was made). */
    public long skippedSteps() {
        return skipped;
    }

    /** Global L2 norm of all trainable parameters' gradients (NaN or infinite when any element is). */
    private static double gradientNorm(Block block) {
        double squares = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            try (NDArray gradient = parameter.getArray().getGradient();
                 NDArray wide = gradient.toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                 NDArray square = wide.square();
                 NDArray sum = square.sum()) {
                squares += sum.getDouble();
            }
        }
        return Math.sqrt(squares);
    }

    /** Writes the moments (DJL's NDList encoding, named per parameter) to {@code file}. */
    public void save(Path file) throws IOException {
        NDList list = new NDList();
        means.forEach((key, array) -> {
            array.setName(MEAN + key);
            list.add(array);
        });
        variances.forEach((key, array) -> {
            array.setName(VARIANCE + key);
            list.add(array);
        });
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            list.encode(out);
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Restores moments written by {@link #save} and the update count from the training state. */
    public void restore(Path file, int updatesDone) throws IOException {
        if (updatesDone < 0) {
            throw new IllegalArgumentException("update count must be >= 0, got " + updatesDone);
        }
        means.values().forEach(NDArray::close);
        variances.values().forEach(NDArray::close);
        means.clear();
        variances.clear();
        NDList list;
        try (InputStream in = Files.newInputStream(file)) {
            list = NDList.decode(state, in);
        }
        for (NDArray array : list) {
            String name = array.getName();
            if (name != null && name.startsWith(MEAN)) {
                means.put(name.substring(MEAN.length()), array);
            } else if (name != null && name.startsWith(VARIANCE)) {
                variances.put(name.substring(VARIANCE.length()), array);
            } else {
                throw new IOException(file + " holds an array named '" + name + "', not an Adam moment");
            }
        }
        updates = updatesDone;
    }

    @Override
    public void close() {
        state.close();
    }
}
