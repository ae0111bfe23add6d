package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Class logits of one stream from its class token (position 0): LayerNorm → Linear(D→classes).
 *
 * <p>Input [B, N, D]; output [B, classes].
 */
public final class ClassificationHead extends AbstractBlock {

    private static final NDIndex CLASS_TOKEN = new NDIndex(":, 0");

    private final int classes;
    private final LayerNorm norm;
    private final Linear classifier;

    public ClassificationHead(int classes) {
        this.classes = classes;
        norm = addChildBlock("norm", LayerNorms.perRow());
        classifier = addChildBlock("classifier", Linear.builder().setUnits(classes).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray token = inputs.singletonOrThrow().get(CLASS_TOKEN);
        NDArray x = norm.forward(store, new NDList(token), training).singletonOrThrow();
        return classifier.forward(store, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape token = new Shape(inputShapes[0].get(0), inputShapes[0].get(2));
        norm.initialize(manager, dataType, token);
        classifier.initialize(manager, dataType, token);
    }
}
