package org.fmfstream.model.eval;

import ai.djl.MalformedModelException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fmfstream.model.data.Window;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.FmFormerPredictor;
import org.fmfstream.model.serve.ModelSource;
import org.fmfstream.model.serve.PredictorConfig;
import org.fmfstream.model.serve.ScoreBuffers;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * Chooses a model's {@link DecisionRule} on validation windows: the probability threshold and the
 * mask-pixel minimum that detect the most abnormal windows while flagging at most a target share of
 * normal ones, overall and on every single furnace. Validation windows must come from furnaces that
 * neither trained the model nor will test it; the rule is then a property of the model that ships
 * with it.
 */
public final class Calibration {

    /** What the model said about one validation window. */
    public record Outcome(String furnace, boolean abnormal, float probability, int maskPixels) {}

    /**
     * The chosen rule and what it does on the validation windows.
     *
     * @param falseAlarmRate flagged normal windows / normal windows
     * @param detectionRate  flagged abnormal windows / abnormal windows
     * @param worstFurnaceFalseAlarmRate the highest false-alarm rate of one furnace
     */
    public record Choice(DecisionRule rule, double falseAlarmRate, double detectionRate,
                         double worstFurnaceFalseAlarmRate, int normal, int abnormal) {
        /** Detects more, or as much with fewer false alarms: what calibration prefers. */
        public boolean isBetterThan(Choice other) {
            return detectionRate > other.detectionRate
                    || (detectionRate == other.detectionRate && falseAlarmRate < other.falseAlarmRate);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "threshold %.4f, min mask pixels %d: false alarms %.4f (worst furnace %.4f)"
                            + " of %d normal, detection %.4f of %d abnormal", rule.threshold(), rule.minMaskPixels(),
                    falseAlarmRate, worstFurnaceFalseAlarmRate, normal, detectionRate, abnormal);
        }
    }

    /**
     * The false-alarm shares a rule may reach on the validation windows.
     *
     * @param falseAlarms             flagged normal windows / normal windows, over all furnaces
     * @param worstFurnaceFalseAlarms the same on any one furnace (1 leaves furnaces unchecked): a
     *                                shell that is paged about all day is what makes operators
     *                                switch a detector off, however clean the average looks
     */
    public record Target(double falseAlarms, double worstFurnaceFalseAlarms) {
        public Target {
            if (!(falseAlarms > 0 && falseAlarms < 1)) {
                throw new IllegalArgumentException("the false-alarm target must be inside (0, 1), got " + falseAlarms);
            }
            if (!(worstFurnaceFalseAlarms > 0 && worstFurnaceFalseAlarms <= 1)) {
                throw new IllegalArgumentException("the worst-furnace false-alarm target must be inside (0, 1], got "
                        + worstFurnaceFalseAlarms);
            }
        }

        /** A target on all furnaces together only. */
        public static Target overall(double falseAlarms) {
            return new Target(falseAlarms, 1);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "false alarms <= %.4f overall, <= %.4f on every furnace", falseAlarms,
                    worstFurnaceFalseAlarms);
        }
    }

    /** The lowest threshold a rule gets: every window with mask evidence is then flagged. */
    private static final double LOWEST_THRESHOLD = 1e-6;

    private Calibration() {}

    /** Scores every window with the model, through the predictor the stream uses. */
    public static List<Outcome> score(ModelSource model, List<Window> windows, int batch)
            throws IOException, MalformedModelException {
        TokenizerSpec spec = TokenizerSpec.FMFORMER;
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(spec);
        TokenBuffers tokens = TokenBuffers.forWindows(spec, batch);
        ScoreBuffers scores = ScoreBuffers.forBatch(batch);
        int pixels = spec.maskPixels();
        List<Outcome> out = new ArrayList<>(windows.size());
        try (FmFormerPredictor predictor = FmFormerPredictor.open(model, PredictorConfig.defaults(batch))) {
            for (int from = 0; from < windows.size(); from += batch) {
                int n = Math.min(batch, windows.size() - from);
                for (int b = 0; b < n; b++) {
                    Window w = windows.get(from + b);
                    tokenizer.tokenizeInto(w.clip(), w.current(), tokens, b);
                }
                predictor.predict(tokens, n, scores);
                float[] mask = scores.maskProbabilities();
                for (int b = 0; b < n; b++) {
                    int count = DecisionRule.maskPixels(mask, b * pixels, (b + 1) * pixels);
                    Window w = windows.get(from + b);
                    out.add(new Outcome(w.sample().recording(), w.sample().abnormal(), scores.probabilities()[b], count));
                }
            }
        }
        return out;
    }

    /**
     * The rule with the highest detection rate that meets {@code target} on {@code outcomes}, over the
     * given mask-pixel minimums (use {0} for a model without mask) and every threshold the data
     * distinguishes. Of equal detection rates the one with fewer false alarms wins, then the first
     * minimum given.
     *
     * @throws IllegalArgumentException when there is no normal or no abnormal window
     */
    public static Choice choose(List<Outcome> outcomes, Target target, int[] maskPixelMinimums) {
        List<Outcome> normals = outcomes.stream().filter(o -> !o.abnormal()).toList();
        int abnormal = outcomes.size() - normals.size();
        if (normals.isEmpty() || abnormal == 0) {
            throw new IllegalArgumentException("calibration needs normal and abnormal windows, got " + normals.size()
                    + " normal and " + abnormal + " abnormal");
        }
        java.util.Map<String, List<Outcome>> normalsByFurnace = normals.stream()
                .collect(java.util.stream.Collectors.groupingBy(Outcome::furnace));
        Choice best = null;
        for (int k : maskPixelMinimums) {
            // Each false-alarm rate only falls as the threshold rises, so the lowest threshold that
            // keeps all furnaces together and each furnace alone within target is the best one.
            double threshold = lowestThreshold(normals, k, target.falseAlarms());
            if (target.worstFurnaceFalseAlarms() < 1) {
                for (List<Outcome> furnace : normalsByFurnace.values()) {
                    threshold = Math.max(threshold, lowestThreshold(furnace, k, target.worstFurnaceFalseAlarms()));
                }
            }
            if (threshold >= 1) {
                continue;
            }
            DecisionRule rule = new DecisionRule(threshold, k);
            Choice c = evaluate(outcomes, rule);
            if (best == null || c.isBetterThan(best)) {
                best = c;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no rule keeps " + target);
        }
        return best;
    }

    /**
     * The lowest threshold that, with {@code minMaskPixels}, flags at most {@code share} of
     * {@code normals}: just above the (allowed+1)-th most probable window that passes the mask condition.
     */
    private static double lowestThreshold(List<Outcome> normals, int minMaskPixels, double share) {
        int allowed = (int) Math.floor(share * normals.size() + 1e-9);
        double[] passing = normals.stream().filter(o -> o.maskPixels() >= minMaskPixels)
                .mapToDouble(Outcome::probability).sorted().toArray();
        return passing.length <= allowed ? LOWEST_THRESHOLD
                : Math.max(LOWEST_THRESHOLD, Math.nextUp(passing[passing.length - 1 - allowed]));
    }

    /** What {@code rule} does on the outcomes. */
    public static Choice evaluate(List<Outcome> outcomes, DecisionRule rule) {
        int normal = 0;
        int abnormal = 0;
        int falseAlarms = 0;
        int detected = 0;
        java.util.Map<String, int[]> perFurnace = new java.util.TreeMap<>();
        for (Outcome o : outcomes) {
            boolean flagged = rule.isAnomaly(o.probability(), o.maskPixels(), true);
            if (o.abnormal()) {
                abnormal++;
                detected += flagged ? 1 : 0;
            } else {
                normal++;
                falseAlarms += flagged ? 1 : 0;
                int[] f = perFurnace.computeIfAbsent(o.furnace(), x -> new int[2]);
                f[0]++;
                f[1] += flagged ? 1 : 0;
            }
        }
        double worst = perFurnace.values().stream().mapToDouble(f -> (double) f[1] / f[0]).max().orElse(Double.NaN);
        return new Choice(rule, normal == 0 ? Double.NaN : (double) falseAlarms / normal,
                abnormal == 0 ? Double.NaN : (double) detected / abnormal, worst, normal, abnormal);
    }
}
