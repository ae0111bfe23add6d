package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Gives every parameter of a block tree a reproducible initial value that depends only on the seed
 * and the parameter's path in the tree (e.g. {@code layer01/crossAttention/videoOutput/weight}),
 * not on the engine's global random state or on the order of initialisation.
 *
 * <p>The distributions are PyTorch's defaults, i.e. what the released code trains from (it leaves
 * its custom init commented out): weights and biases of linear and (transposed) convolution
 * layers U(-1/√fanIn, 1/√fanIn) with fanIn = weight.shape[1] × kernel area; norm scales 1, shifts
 * 0, running means 0, running variances 1; class tokens and position embeddings N(0, 1).
 */
final class SeededInitialization {

    private SeededInitialization() {}

    /** Sets the initializer of every parameter below {@code root}; call before initialize(). */
    static void assign(Block root, long seed) {
        assign(root, "", seed);
    }

    private static void assign(Block block, String path, long seed) {
        // Biases take their bound from the weight of the same layer, whose shape is known by then.
        Parameter weight = block.getDirectParameters().get("weight");
        for (Pair<String, Parameter> named : block.getDirectParameters()) {
            Parameter parameter = named.getValue();
            String id = path + named.getKey();
            parameter.setInitializer(new ParameterInit(parameter.getType(), weight, mix(seed, id)));
        }
        for (Pair<String, Block> child : block.getChildren()) {
            assign(child.getValue(), path + child.getKey() + "/", seed);
        }
    }

    /**
     * A stream seed from the model seed and a 64-bit FNV-1a hash of the parameter path;
     * SplittableRandom scrambles it further, so nearby seeds give unrelated streams.
     */
    private static long mix(long seed, String id) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash = (hash ^ id.charAt(i)) * 0x100000001b3L;
        }
        return seed * 0x9E3779B97F4A7C15L + hash;
    }

    /** Draws one parameter's values; the bias reads its fan-in from the sibling weight's shape. */
    private record ParameterInit(Parameter.Type type, Parameter weight, long streamSeed)
            implements Initializer {

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            SplittableRandom random = new SplittableRandom(streamSeed);
            float[] values = new float[Math.toIntExact(shape.size())];
            switch (type) {
                case WEIGHT, BIAS -> {
                    Shape fanSource = type == Parameter.Type.WEIGHT ? shape : weight.getShape();
                    double bound = 1.0 / Math.sqrt(fanIn(fanSource));
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) random.nextDouble(-bound, bound);
                    }
                }
                case GAMMA, RUNNING_VAR -> Arrays.fill(values, 1f);
                case BETA, RUNNING_MEAN -> Arrays.fill(values, 0f);
                default -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) random.nextGaussian();
                    }
                }
            }
            return manager.create(values, shape).toType(dataType, false);
        }

        /** PyTorch's fan-in: dimension 1 times the kernel area, for linear and (de)convolution. */
        private static long fanIn(Shape weightShape) {
            long fan = weightShape.get(1);
            for (int i = 2; i < weightShape.dimension(); i++) {
                fan *= weightShape.get(i);
            }
            return fan;
        }
    }
}
