package org.fmfstream.model.train;

/** How the learning rate falls after the warm-up. */
public enum LearningRateDecay {
    /** Constant after warm-up. */
    NONE,
    /** Multiplied by the step factor once, at the start of the step epoch (the reference: ×0.1 at epoch 20 of 30). */
    STEP,
    /** Half a cosine from the base rate down to 0 over the steps after the warm-up. */
    COSINE
}
