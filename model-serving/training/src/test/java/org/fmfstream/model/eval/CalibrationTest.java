package org.fmfstream.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.fmfstream.model.serve.DecisionRule;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    private static Calibration.Outcome normal(String furnace, float p, int pixels) {
        return new Calibration.Outcome(furnace, false, p, pixels);
    }

    private static Calibration.Outcome abnormal(float p, int pixels) {
        return new Calibration.Outcome("A", true, p, pixels);
    }

    /**
     * 100 normal windows: 90 quiet (p 0.01 .. 0.09, no mask), 10 confident false alarms (p 0.99)
     * of which only 2 show mask pixels; 20 abnormal windows, p 0.6 .. 0.99, all with 4+ mask pixels.
     */
    private static List<Calibration.Outcome> outcomes() {
        List<Calibration.Outcome> o = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            o.add(normal(i < 45 ? "F1" : "F2", 0.01f + 0.001f * i, 0));
        }
        for (int i = 0; i < 10; i++) {
            o.add(normal("F3", 0.99f, i < 2 ? 3 : 0));
        }
        for (int i = 0; i < 20; i++) {
            o.add(abnormal(0.6f + 0.02f * i, 4));
        }
        return o;
    }

    @Test
    void classEvidenceAloneCannotGetBelowTheConfidentFalseAlarmsWithoutLosingDetection() {
        Calibration.Choice c = Calibration.choose(outcomes(), Calibration.Target.overall(0.02), new int[] {0});
        // 10 normal windows at 0.99 lie above every abnormal one (at most 0.98): flagging at most 2
        // of them needs a threshold above 0.99, which detects nothing.
        assertThat(c.falseAlarmRate()).isLessThanOrEqualTo(0.02);
        assertThat(c.detectionRate()).isEqualTo(0.0);
    }

    @Test
    void maskEvidenceRemovesTheFalseAlarmsAndKeepsTheDetections() {
        Calibration.Choice c = Calibration.choose(outcomes(), Calibration.Target.overall(0.02), new int[] {0, 1});
        // With 1 pixel required, 2 of the 0.99 false alarms remain (= 2 of 100, allowed), so the
        // threshold can sit at the lowest probability: every abnormal window is detected.
        assertThat(c.rule().minMaskPixels()).isEqualTo(1);
        assertThat(c.detectionRate()).isEqualTo(1.0);
        assertThat(c.falseAlarmRate()).isEqualTo(0.02);
        assertThat(c.worstFurnaceFalseAlarmRate()).isEqualTo(0.2);
        assertThat(c.normal()).isEqualTo(100);
        assertThat(c.abnormal()).isEqualTo(20);
    }

    @Test
    void ofEqualDetectionTheRuleWithFewerFalseAlarmsWins() {
        // 4 pixels also detects every abnormal window, and flags no normal one.
        Calibration.Choice c = Calibration.choose(outcomes(), Calibration.Target.overall(0.02), new int[] {1, 4});
        assertThat(c.rule().minMaskPixels()).isEqualTo(4);
        assertThat(c.detectionRate()).isEqualTo(1.0);
        assertThat(c.falseAlarmRate()).isEqualTo(0.0);
        assertThat(c.isBetterThan(Calibration.choose(outcomes(), Calibration.Target.overall(0.02), new int[] {1})))
                .isTrue();
    }

    @Test
    void aStricterTargetRaisesTheThresholdAboveTheRemainingFalseAlarms() {
        Calibration.Choice c = Calibration.choose(outcomes(), Calibration.Target.overall(0.01), new int[] {1});
        // One false alarm may stay, but the two masked ones tie at 0.99: the threshold goes above
        // both, and above every abnormal window too.
        assertThat(c.falseAlarmRate()).isEqualTo(0.0);
        assertThat(c.detectionRate()).isEqualTo(0.0);
        Calibration.Choice loose = Calibration.choose(outcomes(), Calibration.Target.overall(0.01), new int[] {4});
        assertThat(loose.rule().minMaskPixels()).isEqualTo(4);
        assertThat(loose.detectionRate()).isEqualTo(1.0);
        assertThat(loose.falseAlarmRate()).isEqualTo(0.0);
    }

    @Test
    void aWorstFurnaceTargetRaisesTheThresholdAboveThatFurnacesFalseAlarms() {
        // F3's two masked false alarms are 2 of 100 overall but 2 of its own 10 windows.
        Calibration.Choice overall = Calibration.choose(outcomes(), Calibration.Target.overall(0.02), new int[] {1});
        assertThat(overall.worstFurnaceFalseAlarmRate()).isEqualTo(0.2);
        Calibration.Choice perFurnace = Calibration.choose(outcomes(), new Calibration.Target(0.02, 0.1),
                new int[] {1, 4});
        // One of F3's ten may stay, but the two tie at 0.99: with 1 pixel the threshold goes above
        // every abnormal window, so the 4-pixel rule, which no normal window passes, wins.
        assertThat(perFurnace.rule().minMaskPixels()).isEqualTo(4);
        assertThat(perFurnace.worstFurnaceFalseAlarmRate()).isEqualTo(0.0);
        assertThat(perFurnace.detectionRate()).isEqualTo(1.0);
        Calibration.Choice onePixelOnly = Calibration.choose(outcomes(), new Calibration.Target(0.02, 0.1),
                new int[] {1});
        assertThat(onePixelOnly.detectionRate()).isEqualTo(0.0);
        assertThatThrownBy(() -> new Calibration.Target(0.01, 0))
                .hasMessageContaining("worst-furnace false-alarm target must be inside (0, 1]");
    }

    @Test
    void evaluateCountsWhatARuleFlags() {
        Calibration.Choice c = Calibration.evaluate(outcomes(), DecisionRule.REFERENCE);
        assertThat(c.falseAlarmRate()).isEqualTo(0.10);
        assertThat(c.detectionRate()).isEqualTo(1.0);
        assertThat(c.worstFurnaceFalseAlarmRate()).isEqualTo(1.0);
    }

    @Test
    void needsBothClasses() {
        assertThatThrownBy(() -> Calibration.choose(List.of(abnormal(0.9f, 3)), Calibration.Target.overall(0.01),
                new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 normal");
    }
}
