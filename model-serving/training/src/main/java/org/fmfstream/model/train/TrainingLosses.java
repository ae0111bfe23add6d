package org.fmfstream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * The training objective. Class: softmax cross-entropy on the fused logits (the reference's loss).
 * Mask: a burn-through spot covers a few percent of a frame or less, so plain pixel cross-entropy is
 * dominated by the normal background and learns "all normal"; the pixel loss is therefore a
 * class-weighted cross-entropy (abnormal pixels weigh more) plus a soft Dice loss on the abnormal
 * class, which measures overlap regardless of region size.
 */
public final class TrainingLosses {
    /** Smoothing of the soft Dice ratio; also makes an empty mask predicted empty score a loss near 0. */
    private static final float DICE_SMOOTH = 1f;

    private TrainingLosses() {}

    /** Mean over the batch of −log softmax(logits)[label]; logits [B, 2], labels [B] int. */
    public static NDArray classCrossEntropy(NDArray logits, NDArray labels) {
        NDArray oneHot = labels.oneHot(2).toType(logits.getDataType(), false);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
    }

    /**
     * Weighted pixel cross-entropy: Σ w(y)·(−log p_y) / Σ w(y) over all pixels of the batch, w = 1 for
     * normal and {@code abnormalWeight} for abnormal pixels (PyTorch's weighted mean); logits
     * [B, 2, H, W], masks [B, H, W] int 0/1.
     */
    public static NDArray pixelCrossEntropy(NDArray logits, NDArray masks, float abnormalWeight) {
        NDArray target = masks.toType(logits.getDataType(), false);
        NDArray logP = logits.logSoftmax(1);
        NDArray logNormal = logP.get(new NDIndex(":, 0"));
        NDArray logAbnormal = logP.get(new NDIndex(":, 1"));
        NDArray nll = logAbnormal.mul(target).add(logNormal.mul(target.neg().add(1f))).neg();
        NDArray weights = target.mul(abnormalWeight - 1f).add(1f);
        return nll.mul(weights).sum().div(weights.sum());
    }

    /**
     * Soft Dice loss on the abnormal class, per sample then averaged:
     * 1 − (2 Σ p·y + 1) / (Σ p + Σ y + 1), p the abnormal probability of each pixel.
     */
    public static NDArray softDice(NDArray logits, NDArray masks) {
        NDArray target = masks.toType(logits.getDataType(), false);
        NDArray p = logits.softmax(1).get(new NDIndex(":, 1"));
        int[] pixelAxes = {1, 2};
        NDArray intersection = p.mul(target).sum(pixelAxes);
        NDArray sizes = p.sum(pixelAxes).add(target.sum(pixelAxes));
        NDArray dice = intersection.mul(2f).add(DICE_SMOOTH).div(sizes.add(DICE_SMOOTH));
        return dice.neg().add(1f).mean();
    }

    /**
     * Supervised contrastive loss (Khosla et al. 2020; CLMLF's label-based variant) on the class tokens:
     * for each anchor i with at least one other sample of its label, the mean over those positives p of
     * −log(exp(z_i·z_p/τ) / Σ_{a≠i} exp(z_i·z_a/τ)), z the L2-normalised embeddings; averaged over
     * such anchors (0 when there is none). It pulls class tokens of the same label together and pushes
     * the other label away. embeddings [B, E], labels [B] int.
     */
    public static NDArray supervisedContrastive(NDArray embeddings, NDArray labels, float temperature) {
        long batch = embeddings.getShape().get(0);
        NDArray z = embeddings.div(embeddings.norm(new int[] {1}, true).add(1e-12f));
        NDArray eye = embeddings.getManager().eye((int) batch).toType(embeddings.getDataType(), false);
        // Self-similarity is taken out of the denominator by a large negative logit (exp underflows to 0).
        NDArray logits = z.matMul(z.transpose()).div(temperature).sub(eye.mul(1e9f));
        NDArray logProb = logits.logSoftmax(1);
        NDArray label = labels.toType(embeddings.getDataType(), false).reshape(batch, 1);
        NDArray positives = label.eq(label.transpose()).toType(embeddings.getDataType(), false)
                .mul(eye.neg().add(1f));
        NDArray counts = positives.sum(new int[] {1});
        NDArray anchors = counts.gt(0).toType(embeddings.getDataType(), false);
        NDArray perAnchor = logProb.mul(positives).sum(new int[] {1}).div(counts.maximum(1f)).neg();
        return perAnchor.mul(anchors).sum().div(anchors.sum().maximum(1f));
    }
}
