package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Pixel logits of the clip's last frame, decoded from the encoder's video tokens (class token
 * dropped). The standard tokens (t, 8, 8) become an 8×8 map with time stacked into channels and a
 * 1×1 convolution (t·D→D); the dilated tokens (t, 4, 4) likewise become a 4×4 map, then a ×2
 * {@link UpsamplingStage} at width D brings it to 8×8; the two maps are added. Then one
 * {@link UpsamplingStage} per decoder width (128, 64, 32: 8→16→32→64) and a 1×1 convolution to
 * the classes.
 *
 * <p>Input [B, 1 + standard + dilated, D]; output [B, classes, frameSize, frameSize].
 */
public final class DenseHead extends AbstractBlock {

    private final FmFormerConfig config;
    private final Conv2d standardFold;
    private final Conv2d dilatedFold;
    private final UpsamplingStage dilatedUpsampling;
    private final List<UpsamplingStage> stages = new ArrayList<>();
    private final Conv2d classifier;
    private final NDIndex standardTokens;
    private final NDIndex dilatedTokens;

    public DenseHead(FmFormerConfig config) {
        this.config = config;
        int d = config.dim();
        standardFold = addChildBlock("standardFold", pointwise(d));
        dilatedFold = addChildBlock("dilatedFold", pointwise(d));
        dilatedUpsampling = addChildBlock("dilatedUpsampling", new UpsamplingStage(d));
        for (int i = 0; i < config.decoderChannels().size(); i++) {
            stages.add(addChildBlock("stage" + (i + 1), new UpsamplingStage(config.decoderChannels().get(i))));
        }
        classifier = addChildBlock("classifier", pointwise(config.classes()));
        int firstDilated = 1 + config.standardTokens();
        standardTokens = new NDIndex(":, 1:{}", firstDilated);
        dilatedTokens = new NDIndex(":, {}:", firstDilated);
    }

    private static Conv2d pointwise(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        int t = config.timeSlots();
        NDArray standard = fold(tokens.get(standardTokens), t, config.gridSide());
        NDArray dilated = fold(tokens.get(dilatedTokens), t, config.dilatedGridSide());
        NDList map = standardFold.forward(store, new NDList(standard), training);
        NDList dilatedMap = dilatedUpsampling.forward(store,
                dilatedFold.forward(store, new NDList(dilated), training), training);
        NDList x = new NDList(map.singletonOrThrow().add(dilatedMap.singletonOrThrow()));
        for (UpsamplingStage stage : stages) {
            x = stage.forward(store, x, training);
        }
        return classifier.forward(store, x, training);
    }

    /**
     * Tokens in (time, row, column) order, [B, t·side², D], to a map with time stacked into
     * channels, [B, t·D, side, side], channel index = time·D + feature.
     */
    private static NDArray fold(NDArray tokens, int timeSlots, int side) {
        long batch = tokens.getShape().get(0);
        long width = tokens.getShape().get(2);
        return tokens.reshape(batch, timeSlots, side, side, width)
                .transpose(0, 1, 4, 2, 3)
                .reshape(batch, timeSlots * width, side, side);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, config.classes(), config.frameSize(), config.frameSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long d = config.dim();
        long stacked = config.timeSlots() * d;
        int side = config.gridSide();
        int dilatedSide = config.dilatedGridSide();
        standardFold.initialize(manager, dataType, new Shape(batch, stacked, side, side));
        dilatedFold.initialize(manager, dataType, new Shape(batch, stacked, dilatedSide, dilatedSide));
        dilatedUpsampling.initialize(manager, dataType, new Shape(batch, d, dilatedSide, dilatedSide));
        Shape x = new Shape(batch, d, side, side);
        for (UpsamplingStage stage : stages) {
            stage.initialize(manager, dataType, x);
            x = stage.getOutputShapes(new Shape[] {x})[0];
        }
        classifier.initialize(manager, dataType, x);
    }
}
