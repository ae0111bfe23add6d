package org.fmfstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    private static TrainingConfig.Builder base() {
        return TrainingConfig.builder().learningRate(1e-3f).warmUpSteps(10).epochs(5);
    }

    @Test
    void warmUpRisesLinearlyThenStepDecayAppliesFromItsEpoch() {
        // 20 steps an epoch; epoch 3 starts at step 41.
        LearningRateSchedule s = new LearningRateSchedule(
                base().decay(LearningRateDecay.STEP).stepDecayEpoch(3).stepDecayFactor(0.1f).build(), 20);
        assertThat(s.getNewValue(1)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(s.getNewValue(5)).isCloseTo(5e-4f, within(1e-9f));
        assertThat(s.getNewValue(10)).isCloseTo(1e-3f, within(1e-9f));
        assertThat(s.getNewValue(40)).isCloseTo(1e-3f, within(1e-9f));
        assertThat(s.getNewValue(41)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(s.getNewValue(100)).isCloseTo(1e-4f, within(1e-9f));
    }

    @Test
    void cosineFallsFromTheBaseRateToZeroAtTheLastStep() {
        LearningRateSchedule s = new LearningRateSchedule(base().decay(LearningRateDecay.COSINE).build(), 22);
        // 110 steps in all, 100 after warm-up: the middle is step 60.
        assertThat(s.getNewValue(10)).isCloseTo(1e-3f, within(1e-9f));
        assertThat(s.getNewValue(60)).isCloseTo(5e-4f, within(1e-8f));
        assertThat(s.getNewValue(110)).isCloseTo(0f, within(1e-9f));
        assertThat(s.getNewValue(35)).isGreaterThan(s.getNewValue(36));
    }

    @Test
    void noDecayKeepsTheBaseRate() {
        LearningRateSchedule s = new LearningRateSchedule(
                base().warmUpSteps(0).decay(LearningRateDecay.NONE).build(), 7);
        assertThat(s.getNewValue(1)).isEqualTo(1e-3f);
        assertThat(s.getNewValue(1000)).isEqualTo(1e-3f);
    }
}
