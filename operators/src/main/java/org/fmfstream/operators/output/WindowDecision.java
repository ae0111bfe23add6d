package org.fmfstream.operators.output;

import java.util.Objects;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;

/**
 * The one place a scored window becomes a {@link Decision}; the event encoder and the mask filter
 * both ask it, so an event and its mask can never disagree.
 *
 * <ul>
 *   <li>{@link Decision#UNDECIDED} when the video stream was missing ({@link Degradation#VIDEO_MISSING}):
 *       the window was scored on the current alone, and no decision rule has been validated for that
 *       input. The probability is still reported, but nobody may read it as normal or anomalous.
 *       (A validated current-only rule, if one is ever calibrated, would be applied here.)
 *   <li>otherwise {@link Decision#ANOMALY} when the {@link DecisionRule} says so for the window's
 *       fused probability and its mask pixel count ({@link ScoredWindow#maskPixels}), else
 *       {@link Decision#NORMAL}.
 * </ul>
 */
public final class WindowDecision {

    private WindowDecision() {}

    /** The decision for {@code w} under {@code rule}. */
    public static Decision decide(ScoredWindow w, DecisionRule rule) {
        Objects.requireNonNull(rule, "rule");
        if (undecided(w)) {
            return Decision.UNDECIDED;
        }
        boolean hasMask = w.maskProbabilities != null && w.maskProbabilities.length > 0;
        return rule.isAnomaly(w.anomalyProbability, w.maskPixels, hasMask) ? Decision.ANOMALY : Decision.NORMAL;
    }

    /** True when no validated rule covers {@code w}'s input: its video is missing. */
    public static boolean undecided(ScoredWindow w) {
        if (w.videoMissing()) {
            return true;
        }
        for (Degradation d : w.degradations) {
            if (d == Degradation.VIDEO_MISSING) {
                return true;
            }
        }
        return false;
    }
}
