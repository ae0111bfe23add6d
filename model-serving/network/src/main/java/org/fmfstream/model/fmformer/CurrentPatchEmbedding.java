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
 * The current stream's tokens of {@link CurrentEncoder#PATCHES}: every reading standardised with
 * fixed constants, consecutive readings grouped into patches, each patch one token.
 *
 * <p>Why: the reference normalises each reading over its three phases, which leaves only the phase
 * imbalance; the furnace's anomaly shows in the current as a change of amplitude and dynamics (a
 * steadier arc, fewer set-point steps, dropouts), which that removes. Fixed constants keep level and
 * amplitude, and a patch of readings lets one token see the short-term dynamics (its projection can
 * form differences and spreads of its readings). Fewer tokens also make the cross-attention with the
 * 401 video tokens much cheaper.
 *
 * <p>Input [B, steps, phases] in kA (the tokenizer's current tokens); output
 * [B, 1 + steps/patch, D]: (x - {@value #CENTER_KA}) / {@value #SCALE_KA}, reshaped to
 * [B, steps/patch, patch·phases] reading-major, then {@link TokenEmbedding} without its raw LayerNorm.
 */
public final class CurrentPatchEmbedding extends AbstractBlock {
    /** Middle of the electrode currents of a fused-magnesia furnace (6 to 14 kA), kA. */
    public static final float CENTER_KA = 10f;
    /** Scale: about the spread of normal operation around that middle, kA. */
    public static final float SCALE_KA = 2f;

    private final int patch;
    private final int tokens;
    private final TokenEmbedding embedding;

    public CurrentPatchEmbedding(int steps, int patch, int dim) {
        if (patch < 1 || steps % patch != 0) {
            throw new IllegalArgumentException("current steps " + steps + " must be a multiple of the patch " + patch);
        }
        this.patch = patch;
        this.tokens = steps / patch;
        this.embedding = addChildBlock("embedding", new TokenEmbedding(tokens, dim, true, false));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray readings = inputs.singletonOrThrow();
        Shape s = readings.getShape();
        NDArray patches = readings.sub(CENTER_KA).div(SCALE_KA).reshape(s.get(0), tokens, patch * s.get(2));
        return embedding.forward(store, new NDList(patches), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return embedding.getOutputShapes(new Shape[] {patchShape(inputShapes[0])});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, patchShape(inputShapes[0]));
    }

    private Shape patchShape(Shape readings) {
        return new Shape(readings.get(0), tokens, patch * readings.get(2));
    }
}
