package org.fmfstream.model.fmformer;

import ai.djl.nn.norm.LayerNorm;

/**
 * LayerNorms over the feature axis only, as PyTorch's nn.LayerNorm(D) does. DJL's default
 * normalises over every non-batch axis, which for [B, N, D] would mix all tokens of a sample; and
 * DJL resolves the axes against the initialisation shape without accepting negative ones, so the
 * last axis is named by its position.
 */
final class LayerNorms {

    private LayerNorms() {}

    /** Normalises each token of a [B, N, D] sequence over its D features (PyTorch eps 1e-5). */
    static LayerNorm perToken() {
        return perToken(FmFormerConfig.LAYER_NORM_EPSILON);
    }

    /** Normalises each token of a [B, N, D] sequence over its D features with the given epsilon. */
    static LayerNorm perToken(float epsilon) {
        return LayerNorm.builder().axis(2).optEpsilon(epsilon).build();
    }

    /** Normalises each row of a [B, D] matrix over its D features. */
    static LayerNorm perRow() {
        return LayerNorm.builder().axis(1).optEpsilon(FmFormerConfig.LAYER_NORM_EPSILON).build();
    }
}
