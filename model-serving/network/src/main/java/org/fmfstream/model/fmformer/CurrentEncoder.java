package org.fmfstream.model.fmformer;

/**
 * How the current stream turns readings into tokens.
 */
public enum CurrentEncoder {
    /**
     * The reference's: one token per reading, a LayerNorm over its three phases first. That removes
     * the current's level and amplitude and keeps only the imbalance between the phases.
     */
    PHASE_NORM,
    /**
     * One token per patch of consecutive readings, each reading standardised with fixed constants
     * ({@link CurrentPatchEmbedding#CENTER_KA}, {@link CurrentPatchEmbedding#SCALE_KA}) rather than
     * per-window statistics, so level, amplitude and dynamics reach the encoder; also 8x fewer tokens
     * with the default patch of 8 readings.
     */
    PATCHES
}
