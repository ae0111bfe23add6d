package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * FmFormer, the cross-modal transformer of Wu et al. (TCSVT 2025), as a DJL block.
 *
 * <p><b>Input</b> NDList, always three arrays in this order (float32):
 * <ol start="0">
 *   <li>{@link #STANDARD} standard video tokens [B, 320, 384]: token (t, row, col) at index
 *       (t·8 + row)·8 + col, t the 2-frame slot, row/col the 8×8-pixel patch;
 *   <li>{@link #DILATED} dilated video tokens [B, 80, 384]: the clip down-sampled by 2, same order
 *       on the (5, 4, 4) grid;
 *   <li>{@link #CURRENT} current tokens [B, 240, 3]: one reading of the three phases per step.
 * </ol>
 * A single-modality variant ignores the slots of the stream it lacks; they must still be present
 * (any array, e.g. a [B, 1, 1] zero array) so that the positions never shift.
 *
 * <p><b>Output</b> NDList, always three arrays:
 * <ol start="0">
 *   <li>{@link #VIDEO_LOGITS} [B, classes] from the video class token;
 *   <li>{@link #CURRENT_LOGITS} [B, classes] from the current class token;
 *   <li>{@link #MASK_LOGITS} [B, classes, frameSize, frameSize] pixel logits of the clip's last
 *       frame from the dense head.
 * </ol>
 * <b>Convention</b>: an output whose stream or head does not exist in the configuration (current
 * logits of a video-only model, video logits and mask of a current-only model, the mask of a model
 * without dense head, both logits of a model without class heads) is all zeros of the stated shape. The fused class logits of the paper are
 * always {@code VIDEO_LOGITS + CURRENT_LOGITS} ({@link #fusedLogits}), which then reduces to the one
 * existing stream.
 *
 * <p>Structure: {@link TokenEmbedding} per token kind; the video stream is [class, 320 standard,
 * 80 dilated] = 401 tokens, the current stream [class, 240] = 241; {@code depth} ×
 * {@link FmFormerBlock}; a {@link ClassificationHead} per stream; optionally a {@link DenseHead}.
 * Unlike the released code, which builds either the classification or the segmentation head, the
 * dense head here can sit next to the classification heads, so one network gives both answers;
 * {@link FmFormerConfig#classHeads()} off gives the reference's segmentation variant (weights
 * imported from it have no class heads).
 */
public final class FmFormer extends AbstractBlock {

    public static final int STANDARD = 0;
    public static final int DILATED = 1;
    public static final int CURRENT = 2;

    public static final int VIDEO_LOGITS = 0;
    public static final int CURRENT_LOGITS = 1;
    public static final int MASK_LOGITS = 2;
    /** Index of the class tokens in the output of {@link #forwardWithClassTokens}. */
    public static final int CLASS_TOKENS = 3;

    private final FmFormerConfig config;
    private final TokenEmbedding standardEmbedding;
    private final TokenEmbedding dilatedEmbedding;
    private final AbstractBlock currentEmbedding;
    private final List<FmFormerBlock> layers = new ArrayList<>();
    private final ClassificationHead videoHead;
    private final ClassificationHead currentHead;
    private final DenseHead denseHead;

    public FmFormer(FmFormerConfig config) {
        this.config = config;
        Modality modality = config.modality();
        int d = config.dim();
        if (modality.hasVideo()) {
            standardEmbedding = addChildBlock("standardEmbedding",
                    new TokenEmbedding(config.standardTokens(), d, true, config.videoRawEpsilon()));
            dilatedEmbedding = addChildBlock("dilatedEmbedding",
                    new TokenEmbedding(config.dilatedTokens(), d, false, config.videoRawEpsilon()));
        } else {
            standardEmbedding = null;
            dilatedEmbedding = null;
        }
        currentEmbedding = modality.hasCurrent()
                ? addChildBlock("currentEmbedding", config.currentEncoder() == CurrentEncoder.PATCHES
                        ? new CurrentPatchEmbedding(config.currentSteps(), config.currentPatch(), d)
                        : new TokenEmbedding(config.currentSteps(), d, true, config.currentRawEpsilon()))
                : null;
        for (int i = 0; i < config.depth(); i++) {
            layers.add(addChildBlock(String.format("layer%02d", i + 1), new FmFormerBlock(config)));
        }
        videoHead = modality.hasVideo() && config.classHeads()
                ? addChildBlock("videoHead", new ClassificationHead(config.classes()))
                : null;
        currentHead = modality.hasCurrent() && config.classHeads()
                ? addChildBlock("currentHead", new ClassificationHead(config.classes()))
                : null;
        denseHead = config.denseHead() ? addChildBlock("denseHead", new DenseHead(config)) : null;
    }

    /** The configuration this network was built from. */
    public FmFormerConfig config() {
        return config;
    }

    /** The paper's linear fusion: video logits + current logits, [B, classes]. */
    public static NDArray fusedLogits(NDList outputs) {
        return outputs.get(VIDEO_LOGITS).add(outputs.get(CURRENT_LOGITS));
    }

    /** Input shapes for a batch of {@code batch} windows: standard, dilated, current tokens. */
    public static Shape[] inputShapes(FmFormerConfig config, long batch) {
        return new Shape[] {
            new Shape(batch, config.standardTokens(), config.patchDim()),
            new Shape(batch, config.dilatedTokens(), config.patchDim()),
            new Shape(batch, config.currentSteps(), config.currentPhases())
        };
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return run(store, inputs, training, false);
    }

    /**
     * The three outputs of {@link #forward} plus, at index {@link #CLASS_TOKENS}, the encoder's class
     * tokens before the heads, [B, D × streams] (video then current), for a representation loss on
     * them (e.g. supervised contrastive learning).
     */
    public NDList forwardWithClassTokens(ParameterStore store, NDList inputs, boolean training) {
        return run(store, inputs, training, true);
    }

    private NDList run(ParameterStore store, NDList inputs, boolean training, boolean withClassTokens) {
        if (inputs.size() != 3) {
            throw new IllegalArgumentException(
                    "FmFormer takes NDList(standard, dilated, current), got " + inputs.size() + " arrays");
        }
        Modality modality = config.modality();
        NDList streams = new NDList(2);
        if (modality.hasVideo()) {
            NDArray standard = single(standardEmbedding, store, inputs.get(STANDARD), training);
            NDArray dilated = single(dilatedEmbedding, store, inputs.get(DILATED), training);
            streams.add(NDArrays.concat(new NDList(standard, dilated), 1));
        }
        if (modality.hasCurrent()) {
            streams.add(single(currentEmbedding, store, inputs.get(CURRENT), training));
        }
        for (FmFormerBlock layer : layers) {
            NDList in = streams;
            streams = training ? layer.forward(store, in, true) : scoped(() -> layer.forward(store, in, false));
            if (!training) {
                closeUnlessIn(in, streams);   // the previous layer's output is no longer needed
            }
        }
        NDArray video = modality.hasVideo() ? streams.get(0) : null;
        NDArray current = modality.hasCurrent() ? streams.get(modality.hasVideo() ? 1 : 0) : null;

        NDArray any = streams.head();
        NDManager manager = any.getManager();
        long batch = any.getShape().get(0);
        Shape[] shapes = outputShapes(batch);
        NDArray videoLogits = videoHead != null
                ? single(videoHead, store, video, training)
                : manager.zeros(shapes[VIDEO_LOGITS], any.getDataType());
        NDArray currentLogits = currentHead != null
                ? single(currentHead, store, current, training)
                : manager.zeros(shapes[CURRENT_LOGITS], any.getDataType());
        NDArray maskLogits = denseHead == null ? manager.zeros(shapes[MASK_LOGITS], any.getDataType())
                : training ? single(denseHead, store, video, true)
                : scoped(() -> new NDList(single(denseHead, store, video, false))).singletonOrThrow();
        NDList outputs = new NDList(videoLogits, currentLogits, maskLogits);
        if (withClassTokens) {
            NDIndex classToken = new NDIndex(":, 0");
            NDList tokens = new NDList(2);
            for (NDArray stream : streams) {
                tokens.add(stream.get(classToken));
            }
            outputs.add(tokens.size() == 1 ? tokens.head() : NDArrays.concat(tokens, 1));
        }
        return outputs;
    }

    /**
     * Runs one stage of an inference pass in an {@link NDScope}: every array the stage creates is
     * freed when it returns, except its output. Without it, a batch's intermediates (attention
     * maps, the dense head's upsampled feature maps) all live until the batch's manager closes, so
     * the pass's peak memory is the sum of every stage's working set instead of the largest one.
     * Training keeps them: backward needs them.
     */
    private static NDList scoped(Supplier<NDList> stage) {
        try (NDScope scope = new NDScope()) {
            NDList out = stage.get();
            NDScope.unregister(out);
            return out;
        }
    }

    /** Closes the arrays of {@code done} that {@code next} does not hold. */
    private static void closeUnlessIn(NDList done, NDList next) {
        for (NDArray a : done) {
            boolean kept = false;
            for (NDArray b : next) {
                kept |= a == b;
            }
            if (!kept) {
                a.close();
            }
        }
    }

    private static NDArray single(AbstractBlock block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    private Shape[] outputShapes(long batch) {
        return new Shape[] {
            new Shape(batch, config.classes()),
            new Shape(batch, config.classes()),
            new Shape(batch, config.classes(), config.frameSize(), config.frameSize())
        };
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        int batchSource = config.modality().hasVideo() ? STANDARD : CURRENT;
        return outputShapes(inputShapes[batchSource].get(0));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Modality modality = config.modality();
        long batch = inputShapes[modality.hasVideo() ? STANDARD : CURRENT].get(0);
        Shape video = new Shape(batch, config.videoSequenceLength(), config.dim());
        Shape current = new Shape(batch, config.currentSequenceLength(), config.dim());
        List<Shape> streams = new ArrayList<>(2);
        if (modality.hasVideo()) {
            standardEmbedding.initialize(manager, dataType, inputShapes[STANDARD]);
            dilatedEmbedding.initialize(manager, dataType, inputShapes[DILATED]);
            if (videoHead != null) {
                videoHead.initialize(manager, dataType, video);
            }
            streams.add(video);
        }
        if (modality.hasCurrent()) {
            currentEmbedding.initialize(manager, dataType, inputShapes[CURRENT]);
            if (currentHead != null) {
                currentHead.initialize(manager, dataType, current);
            }
            streams.add(current);
        }
        for (FmFormerBlock layer : layers) {
            layer.initialize(manager, dataType, streams.toArray(Shape[]::new));
        }
        if (denseHead != null) {
            denseHead.initialize(manager, dataType, video);
        }
    }
}
