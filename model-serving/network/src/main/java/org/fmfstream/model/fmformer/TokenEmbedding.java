package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Turns one kind of raw token (video patch values or current phases) into encoder tokens of width
 * D: LayerNorm(raw) → Linear(raw→D) → LayerNorm(D), an optional learned class token prepended,
 * then a learned position embedding added to every position (class token included, as in the
 * released code). Without the raw LayerNorm ({@code normaliseRaw} false) the raw values' level and
 * scale reach the projection; {@link CurrentPatchEmbedding} needs that.
 *
 * <p>Input [B, N, raw]; output [B, N(+1), D].
 */
public final class TokenEmbedding extends AbstractBlock {

    private final int tokens;
    private final int dim;
    private final boolean withClassToken;
    private final LayerNorm rawNorm;
    private final Linear projection;
    private final LayerNorm tokenNorm;
    private final Parameter position;
    private final Parameter classToken;

    /**
     * @param tokens raw tokens per sample
     * @param dim encoder width D
     * @param withClassToken whether a class token is prepended (standard video and current tokens)
     */
    public TokenEmbedding(int tokens, int dim, boolean withClassToken) {
        this(tokens, dim, withClassToken, FmFormerConfig.LAYER_NORM_EPSILON);
    }

    /**
     * @param rawEpsilon epsilon of the raw tokens' LayerNorm: dividing every raw value by k and
     *        the epsilon by k² gives the same output, so weights trained on raw pixels or amperes
     *        run on this project's scaled tokens with their epsilon divided by the divisor squared
     */
    public TokenEmbedding(int tokens, int dim, boolean withClassToken, float rawEpsilon) {
        this(tokens, dim, withClassToken, true, rawEpsilon);
    }

    /** @param normaliseRaw whether each raw token is layer-normalised before the projection */
    public TokenEmbedding(int tokens, int dim, boolean withClassToken, boolean normaliseRaw) {
        this(tokens, dim, withClassToken, normaliseRaw, FmFormerConfig.LAYER_NORM_EPSILON);
    }

    private TokenEmbedding(int tokens, int dim, boolean withClassToken, boolean normaliseRaw, float rawEpsilon) {
        this.tokens = tokens;
        this.dim = dim;
        this.withClassToken = withClassToken;
        rawNorm = normaliseRaw ? addChildBlock("rawNorm", LayerNorms.perToken(rawEpsilon)) : null;
        projection = addChildBlock("projection", Linear.builder().setUnits(dim).build());
        tokenNorm = addChildBlock("tokenNorm", LayerNorms.perToken());
        int positions = tokens + (withClassToken ? 1 : 0);
        // Leading 1 so that adding it broadcasts over the batch without an op on the parameter.
        position = addParameter(Parameter.builder()
                .setName("position")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1, positions, dim))
                .build());
        classToken = withClassToken
                ? addParameter(Parameter.builder()
                        .setName("classToken")
                        .setType(Parameter.Type.OTHER)
                        .optShape(new Shape(1, 1, dim))
                        .build())
                : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray raw = inputs.singletonOrThrow();
        NDArray x = rawNorm == null ? raw : rawNorm.forward(store, new NDList(raw), training).singletonOrThrow();
        x = projection.forward(store, new NDList(x), training).singletonOrThrow();
        x = tokenNorm.forward(store, new NDList(x), training).singletonOrThrow();
        if (withClassToken) {
            NDArray cls = store.getValue(classToken, raw.getDevice(), training);
            // Broadcast by adding to zeros owned by the input's manager: an op whose first
            // operand is the parameter would attach its result to the model's manager and leak.
            NDArray perSample = x.getManager()
                    .zeros(new Shape(x.getShape().get(0), 1, dim), x.getDataType())
                    .add(cls);
            x = NDArrays.concat(new NDList(perSample, x), 1);
        }
        return new NDList(x.add(store.getValue(position, raw.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1) + (withClassToken ? 1 : 0), dim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (in.get(1) != tokens) {
            throw new IllegalArgumentException("expected " + tokens + " tokens, got shape " + in);
        }
        if (rawNorm != null) {
            rawNorm.initialize(manager, dataType, in);
        }
        projection.initialize(manager, dataType, in);
        tokenNorm.initialize(manager, dataType, new Shape(in.get(0), in.get(1), dim));
    }
}
