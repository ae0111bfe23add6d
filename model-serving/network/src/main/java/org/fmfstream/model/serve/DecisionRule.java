package org.fmfstream.model.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How a window's score becomes the decision every consumer sees (events, alerts, evaluation).
 *
 * <p>The class heads alone (the reference's rule: fused P(abnormal) at or above a threshold) learn
 * the shells they were trained on; on unseen furnaces they can answer p = 0.99 on a clean shell
 * while the dense head marks no pixel. A window is therefore abnormal only when the class evidence
 * and the mask evidence agree: P(abnormal) at or above {@link #threshold()} and at least
 * {@link #minMaskPixels()} mask pixels with P(abnormal pixel) at or above {@link #MASK_PIXEL_THRESHOLD}.
 * With {@code minMaskPixels = 0} (or a model without dense head) the rule is the reference's.
 *
 * <p>A trained model carries its calibrated rule in {@value #FILE} next to its parameters (threshold
 * picked on validation furnaces for a target false-alarm rate); a model without that file gets
 * {@link #REFERENCE}. Jobs and commands use the model's rule unless a flag overrides it.
 *
 * @param threshold     P(abnormal) from the fused class logits at or above which the class evidence
 *                      says abnormal, in (0, 1)
 * @param minMaskPixels mask pixels at or above {@link #MASK_PIXEL_THRESHOLD} needed as well, 0 = none
 */
public record DecisionRule(double threshold, int minMaskPixels) {
    /** File of a model directory that holds its calibrated rule and how it was obtained. */
    public static final String FILE = "decision.properties";
    /** A mask pixel counts as abnormal at this probability (the dense head's own argmax). */
    public static final float MASK_PIXEL_THRESHOLD = 0.5f;
    /** The reference's rule: class evidence at 0.5, no mask evidence. */
    public static final DecisionRule REFERENCE = new DecisionRule(0.5, 0);

    private static final String THRESHOLD = "threshold";
    private static final String MIN_MASK_PIXELS = "minMaskPixels";

    public DecisionRule {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("decision threshold must be inside (0, 1), got " + threshold);
        }
        if (minMaskPixels < 0) {
            throw new IllegalArgumentException("minimum mask pixels must be 0 or more, got " + minMaskPixels);
        }
    }

    /** This rule with another probability threshold (a flag overriding the calibrated one). */
    public DecisionRule withThreshold(double value) {
        return new DecisionRule(value, minMaskPixels);
    }

    /** This rule with another mask-pixel minimum. */
    public DecisionRule withMinMaskPixels(int value) {
        return new DecisionRule(threshold, value);
    }

    /**
     * The decision for one window.
     *
     * @param anomalyProbability fused P(abnormal)
     * @param maskPixels         mask pixels at or above {@link #MASK_PIXEL_THRESHOLD}; ignored when
     *                           {@code hasMask} is false
     * @param hasMask            whether the model predicts a mask (a dense head)
     */
    public boolean isAnomaly(double anomalyProbability, int maskPixels, boolean hasMask) {
        return anomalyProbability >= threshold && (!hasMask || maskPixels >= minMaskPixels);
    }

    /** The decision for a predictor's score; a score without mask probabilities has no mask evidence. */
    public boolean isAnomaly(WindowScore score) {
        float[] mask = score.maskProbabilities();
        boolean hasMask = mask != null && mask.length > 0;
        return isAnomaly(score.anomalyProbability(), hasMask ? maskPixels(mask) : 0, hasMask);
    }

    /** Pixels of a probability map at or above {@link #MASK_PIXEL_THRESHOLD}. */
    public static int maskPixels(float[] maskProbabilities) {
        return maskPixels(maskProbabilities, 0, maskProbabilities.length);
    }

    /** Pixels at or above {@link #MASK_PIXEL_THRESHOLD} in {@code [from, to)} of a batch's probability maps. */
    public static int maskPixels(float[] maskProbabilities, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (maskProbabilities[i] >= MASK_PIXEL_THRESHOLD) {
                n++;
            }
        }
        return n;
    }

    /** The strongest pixel's probability in {@code [from, to)} of a batch's probability maps (0 when empty). */
    public static float strongestPixel(float[] maskProbabilities, int from, int to) {
        float max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, maskProbabilities[i]);
        }
        return max;
    }

    /** The rule stored in {@code modelDir}, or {@link #REFERENCE} when the model has none. */
    public static DecisionRule read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (!Files.exists(file)) {
            return REFERENCE;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the decision rule " + file, e);
        }
        return fromProperties(p, file.toString());
    }

    /** Reads {@link #THRESHOLD} and {@link #MIN_MASK_PIXELS} of a decision file; {@code origin} names it in errors. */
    public static DecisionRule fromProperties(Properties p, String origin) {
        String threshold = p.getProperty(THRESHOLD);
        if (threshold == null) {
            throw new IllegalArgumentException(origin + " lacks '" + THRESHOLD + "'");
        }
        try {
            return new DecisionRule(Double.parseDouble(threshold.trim()),
                    Integer.parseInt(p.getProperty(MIN_MASK_PIXELS, "0").trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes this rule into {@code modelDir} with {@code provenance} (how it was calibrated: data,
     * target, measured rates), which readers ignore.
     */
    public void write(Path modelDir, Map<String, String> provenance) throws IOException {
        Properties p = new Properties();
        p.putAll(new TreeMap<>(provenance));
        p.setProperty(THRESHOLD, String.format(Locale.ROOT, "%.6f", threshold));
        p.setProperty(MIN_MASK_PIXELS, Integer.toString(minMaskPixels));
        try (OutputStream out = Files.newOutputStream(modelDir.resolve(FILE))) {
            p.store(out, "Decision rule of this model: P(abnormal) >= threshold and at least minMaskPixels mask pixels"
                    + " at P >= " + MASK_PIXEL_THRESHOLD);
        }
    }
}
