package org.fmfstream.operators.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;

/** The decision rule in the encoders: class evidence, mask evidence, overrides, undecided windows. */
class AnomalyEventEncoderTest {

    private static final DecisionRule CALIBRATED = new DecisionRule(0.8, 10);

    /** A window with video at probability {@code p} whose mask has {@code pixels} pixels at P >= 0.5. */
    private static ScoredWindow window(float p, int pixels) {
        ScoredWindow w = new ScoredWindow();
        w.furnaceId = "F01";
        w.windowStartMicros = 1_000_000;
        w.windowEndMicros = 1_360_000;
        w.frameSeqs = new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        w.anomalyProbability = p;
        w.videoLogits = new float[] {0.1f, 0.9f};
        w.currentLogits = new float[] {0.2f, 0.3f};
        for (int i = 0; i < pixels; i++) {
            w.maskProbabilities[200 + i] = i % 2 == 0 ? 0.5f : 0.97f; // 0.5 counts (inclusive)
        }
        w.maskProbabilities[100] = 0.49f; // below the pixel threshold: never counted
        w.maskPixels = DecisionRule.maskPixels(w.maskProbabilities);
        w.modelName = "fmformer-xs";
        w.modelVersion = "sim-v1";
        w.modelSha256 = "0b".repeat(32);
        return w;
    }

    private static ScoredWindow videoMissing(float p) {
        ScoredWindow w = window(p, 0);
        w.frameSeqs = new long[0];
        w.videoLogits = new float[0];
        w.degradations = new Degradation[] {Degradation.VIDEO_MISSING};
        w.maskProbabilities = new float[64 * 64];
        w.maskProbabilities[7] = 0.99f; // the dense head still answers; no frame for it to refer to
        w.maskPixels = 1;
        return w;
    }

    private static Decision decide(ScoredWindow w, DecisionRule rule) {
        Decision d = AnomalyEventEncoder.encode(w, rule, 0).getDecision();
        assertThat(AnomalyMaskEncoder.shouldEmit(w, rule)).as("mask iff ANOMALY").isEqualTo(d == Decision.ANOMALY);
        assertThat(WindowDecision.decide(w, rule)).isEqualTo(d);
        return d;
    }

    @Test
    void theReferenceRuleIsClassEvidenceAlone() {
        assertThat(window(0.99f, 0).maskPixels).isZero();
        assertThat(decide(window(0.5f, 0), DecisionRule.REFERENCE)).isEqualTo(Decision.ANOMALY);
        assertThat(decide(window(0.99f, 0), DecisionRule.REFERENCE)).isEqualTo(Decision.ANOMALY);
        assertThat(decide(window(0.49f, 400), DecisionRule.REFERENCE)).isEqualTo(Decision.NORMAL);
    }

    @Test
    void aCalibratedRuleNeedsClassAndMaskEvidence() {
        assertThat(window(0.9f, 10).maskPixels).isEqualTo(10);
        assertThat(decide(window(0.9f, 10), CALIBRATED)).isEqualTo(Decision.ANOMALY);
        assertThat(decide(window(0.8f, 25), CALIBRATED)).as("both at their inclusive bounds")
                .isEqualTo(Decision.ANOMALY);
        // A sure class head on a clean shell (no mask pixel) is not an anomaly.
        assertThat(decide(window(0.99f, 0), CALIBRATED)).isEqualTo(Decision.NORMAL);
        assertThat(decide(window(0.99f, 9), CALIBRATED)).isEqualTo(Decision.NORMAL);
        // A large mask with weak class evidence is not one either.
        assertThat(decide(window(0.79f, 500), CALIBRATED)).isEqualTo(Decision.NORMAL);
    }

    @Test
    void overridesReplaceThresholdAndMinimumPixels() {
        ScoredWindow w = window(0.7f, 5);
        assertThat(decide(w, CALIBRATED)).isEqualTo(Decision.NORMAL);
        assertThat(decide(w, CALIBRATED.withThreshold(0.6))).as("threshold override alone: 5 < 10 pixels")
                .isEqualTo(Decision.NORMAL);
        assertThat(decide(w, CALIBRATED.withMinMaskPixels(5))).as("pixel override alone: 0.7 < 0.8")
                .isEqualTo(Decision.NORMAL);
        assertThat(decide(w, CALIBRATED.withThreshold(0.6).withMinMaskPixels(5))).isEqualTo(Decision.ANOMALY);
        assertThat(decide(w, CALIBRATED.withThreshold(0.6).withMinMaskPixels(0))).isEqualTo(Decision.ANOMALY);
        assertThat(decide(window(0.99f, 50), CALIBRATED.withMinMaskPixels(51))).isEqualTo(Decision.NORMAL);
    }

    @Test
    void theEventRecordsTheRuleAndTheMaskEvidence() {
        AnomalyEvent e = AnomalyEventEncoder.encode(window(0.9f, 12), CALIBRATED.withThreshold(0.85), 77L);
        assertThat(e.getDecision()).isEqualTo(Decision.ANOMALY);
        assertThat(e.getThreshold()).isEqualTo(0.85);
        assertThat(e.getMinMaskPixels()).isEqualTo(10);
        assertThat(e.getMaskPixels()).isEqualTo(12);
        assertThat(e.getEmitTimeMillis()).isEqualTo(77L);
        RecordCodec<AnomalyEvent> codec = RecordCodec.anomalyEvents();
        assertThat(codec.decode(codec.encode(e)).orElseThrow()).isEqualTo(e);
    }

    /** Seen live: p = 0.65 on a stream's first window, before any frame, was published as ANOMALY. */
    @Test
    void aVideoMissingWindowIsUndecidedWithItsProbabilityAndWithoutMask() {
        for (DecisionRule rule : new DecisionRule[] {DecisionRule.REFERENCE, CALIBRATED, new DecisionRule(0.01, 0)}) {
            for (float p : new float[] {0.02f, 0.65f, 0.999f}) {
                ScoredWindow w = videoMissing(p);
                AnomalyEvent e = AnomalyEventEncoder.encode(w, rule, 5L);
                assertThat(e.getDecision()).as("p %s under %s", p, rule).isEqualTo(Decision.UNDECIDED);
                assertThat(e.getAnomalyProbability()).isEqualTo(p);
                assertThat(e.getThreshold()).isEqualTo(rule.threshold());
                assertThat(e.getMinMaskPixels()).isEqualTo(rule.minMaskPixels());
                assertThat(e.getMaskPixels()).isNull();
                assertThat(e.getClipFrameSeqs()).isEmpty();
                assertThat(e.getCurrentLogits()).containsExactly(0.2f, 0.3f);
                assertThat(e.getDegradations()).containsExactly(Degradation.VIDEO_MISSING);
                assertThat(AnomalyMaskEncoder.shouldEmit(w, rule)).isFalse();
                RecordCodec<AnomalyEvent> codec = RecordCodec.anomalyEvents();
                assertThat(codec.decode(codec.encode(e)).orElseThrow()).isEqualTo(e);
            }
        }
        // Other degradations are still decided.
        ScoredWindow stretched = window(0.9f, 20);
        stretched.degradations = new Degradation[] {Degradation.CURRENT_MISSING, Degradation.FRAMES_SUBSTITUTED};
        assertThat(decide(stretched, CALIBRATED)).isEqualTo(Decision.ANOMALY);
    }
}
