package org.fmfstream.model.train;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate per optimiser step: linear warm-up from 0 to the base rate over the warm-up steps,
 * then constant, one step decay at an epoch boundary, or a half cosine down to 0 at the last step.
 * A pure function of the step number, so a resumed run continues on the same curve.
 */
public final class LearningRateSchedule implements Tracker {
    private final float base;
    private final int warmUpSteps;
    private final LearningRateDecay decay;
    private final int decayStep;
    private final float stepFactor;
    private final int totalSteps;

    /**
     * @param stepsPerEpoch optimiser steps in one epoch (places the step decay and the cosine's end)
     */
    public LearningRateSchedule(TrainingConfig config, int stepsPerEpoch) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("steps per epoch must be at least 1, got " + stepsPerEpoch);
        }
        this.base = config.learningRate();
        this.warmUpSteps = config.warmUpSteps();
        this.decay = config.decay();
        this.decayStep = (config.stepDecayEpoch() - 1) * stepsPerEpoch;
        this.stepFactor = config.stepDecayFactor();
        this.totalSteps = config.epochs() * stepsPerEpoch;
    }

    /** The rate of update {@code step} (1-based: the first update is step 1). */
    @Override
    public float getNewValue(int step) {
        if (step <= warmUpSteps) {
            return base * step / warmUpSteps;
        }
        return switch (decay) {
            case NONE -> base;
            case STEP -> step > decayStep ? base * stepFactor : base;
            case COSINE -> {
                int span = Math.max(1, totalSteps - warmUpSteps);
                double progress = Math.min(1.0, (double) (step - warmUpSteps) / span);
                yield (float) (base * 0.5 * (1 + Math.cos(Math.PI * progress)));
            }
        };
    }
}
