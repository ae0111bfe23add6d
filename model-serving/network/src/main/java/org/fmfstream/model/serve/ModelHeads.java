package org.fmfstream.model.serve;

import org.fmfstream.model.fmformer.FmFormerConfig;

/**
 * Which answers a model gives: class logits (the per-stream classification heads), a pixel mask
 * (the dense head), or both. The reference code builds one or the other, so weights imported from
 * it have exactly one; models trained here have both, or class heads only.
 *
 * <p>How a window's anomaly probability is read from what exists:
 * <ul>
 *   <li>class heads: softmax of the fused (video + current) logits, abnormal class;
 *   <li>dense head only: the largest abnormal-pixel probability of the mask, so that the decision
 *       "P &gt;= 0.5" means "at least one pixel is abnormal at 0.5", the reference's own reading of
 *       a segmentation (a sample is abnormal when its mask has an abnormal pixel).
 * </ul>
 * A model without dense head gives windows without a mask (an empty array), and the job publishes
 * their events without masks.
 */
public record ModelHeads(boolean classHeads, boolean denseHead) {

    /** Class heads and dense head, as every model trained here with a mask head. */
    public static final ModelHeads BOTH = new ModelHeads(true, true);

    public ModelHeads {
        if (!classHeads && !denseHead) {
            throw new IllegalArgumentException("a model has class heads, a dense head or both");
        }
    }

    /** The heads a network built from {@code config} has. */
    public static ModelHeads of(FmFormerConfig config) {
        return new ModelHeads(config.classHeads(), config.denseHead());
    }

    /** Words for logs and reports: {@code class + mask}, {@code class only}, {@code mask only}. */
    public String describe() {
        return classHeads && denseHead ? "class + mask" : classHeads ? "class only" : "mask only";
    }
}
