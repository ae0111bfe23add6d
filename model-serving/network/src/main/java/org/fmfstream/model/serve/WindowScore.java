package org.fmfstream.model.serve;

/**
 * The model's answer for one window.
 *
 * @param anomalyProbability softmax of the fused (video + current) logits, abnormal class
 * @param videoLogits        [normal, abnormal] from the video class token
 * @param currentLogits      [normal, abnormal] from the current class token
 * @param maskProbabilities  64x64 row-major (y, x): per-pixel softmax over the two mask classes,
 *                           abnormal channel, for the clip's last frame
 */
public record WindowScore(float anomalyProbability, float[] videoLogits, float[] currentLogits,
                          float[] maskProbabilities) {}
