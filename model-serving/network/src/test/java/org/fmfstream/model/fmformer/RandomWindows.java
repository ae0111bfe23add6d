package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** Reproducible tokenizer-shaped inputs for tests: values roughly like normalised pixels/currents. */
final class RandomWindows {

    private RandomWindows() {}

    /** NDList(standard, dilated, current) for {@code batch} windows, created in {@code manager}. */
    static NDList of(NDManager manager, FmFormerConfig config, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Shape[] shapes = FmFormer.inputShapes(config, batch);
        NDList inputs = new NDList(3);
        for (Shape shape : shapes) {
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            inputs.add(manager.create(values, shape));
        }
        return inputs;
    }
}
