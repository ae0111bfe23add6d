package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One FmFormer encoder layer, pre-norm and without dropout, in the order of the released code:
 * (1) self-attention in each stream, residual; (2) bidirectional cross-attention between the
 * streams, residual on both (cross-modal only); (3) feed-forward in each stream, residual.
 *
 * <p>Input and output: an NDList of the streams the modality has, in the order video [B, Nv, D],
 * current [B, Nc, D] (one array for a single-modality variant).
 */
public final class FmFormerBlock extends AbstractBlock {

    private final Modality modality;
    private final SelfAttention videoSelfAttention;
    private final SelfAttention currentSelfAttention;
    private final CrossAttention crossAttention;
    private final FeedForward videoFeedForward;
    private final FeedForward currentFeedForward;

    public FmFormerBlock(FmFormerConfig config) {
        modality = config.modality();
        int d = config.dim();
        videoSelfAttention = modality.hasVideo()
                ? addChildBlock("videoSelfAttention", new SelfAttention(d, config.heads(), config.headDim()))
                : null;
        currentSelfAttention = modality.hasCurrent()
                ? addChildBlock("currentSelfAttention", new SelfAttention(d, config.heads(), config.headDim()))
                : null;
        crossAttention = modality.isCrossModal()
                ? addChildBlock("crossAttention", new CrossAttention(d, config.heads(), config.headDim()))
                : null;
        videoFeedForward = modality.hasVideo()
                ? addChildBlock("videoFeedForward", new FeedForward(d, config.mlpDim()))
                : null;
        currentFeedForward = modality.hasCurrent()
                ? addChildBlock("currentFeedForward", new FeedForward(d, config.mlpDim()))
                : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray video = modality.hasVideo() ? inputs.get(0) : null;
        NDArray current = modality.hasCurrent() ? inputs.get(modality.hasVideo() ? 1 : 0) : null;
        if (video != null) {
            video = video.add(single(videoSelfAttention, store, video, training));
        }
        if (current != null) {
            current = current.add(single(currentSelfAttention, store, current, training));
        }
        if (crossAttention != null) {
            // Both directions read the streams as they were before this step, as in the reference.
            NDList updates = crossAttention.forward(store, new NDList(video, current), training);
            video = video.add(updates.get(0));
            current = current.add(updates.get(1));
        }
        if (video != null) {
            video = video.add(single(videoFeedForward, store, video, training));
        }
        if (current != null) {
            current = current.add(single(currentFeedForward, store, current, training));
        }
        NDList out = new NDList(2);
        if (video != null) {
            out.add(video);
        }
        if (current != null) {
            out.add(current);
        }
        return out;
    }

    private static NDArray single(
            AbstractBlock block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes.clone();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape video = modality.hasVideo() ? inputShapes[0] : null;
        Shape current = modality.hasCurrent() ? inputShapes[modality.hasVideo() ? 1 : 0] : null;
        if (video != null) {
            videoSelfAttention.initialize(manager, dataType, video);
            videoFeedForward.initialize(manager, dataType, video);
        }
        if (current != null) {
            currentSelfAttention.initialize(manager, dataType, current);
            currentFeedForward.initialize(manager, dataType, current);
        }
        if (crossAttention != null) {
            crossAttention.initialize(manager, dataType, video, current);
        }
    }
}
