package org.fmfstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.tracker.Tracker;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

/** One update step, and what happens when a batch's gradients are not finite. */
class ResumableAdamTest {

    @Test
    void aBatchWithNonFiniteGradientsChangesNothingAndIsNotCounted() {
        try (Model model = Model.newInstance("adam-test", "PyTorch")) {
            Block linear = linear(model);
            NDManager manager = model.getNDManager();
            ResumableAdam adam = new ResumableAdam(manager, Tracker.fixed(0.1f), 0f);

            float[] before = weights(linear);
            backward(linear, manager, new float[] {Float.NaN, 1f});
            int arrays = manager.getManagedArrays().size();
            assertThat(adam.step(linear)).isFalse();
            // Looking for the bad parameters leaves nothing in the model's manager, which lives as
            // long as the run.
            assertThat(manager.getManagedArrays()).hasSize(arrays);
            assertThat(weights(linear)).containsExactly(before);
            assertThat(adam.updates()).isZero();
            assertThat(adam.skippedSteps()).isEqualTo(1);

            // The skipped batch's gradients were cleared: a finite batch now moves the weights, and
            // only by its own gradient (Adam's first step moves each weight by about the rate).
            backward(linear, manager, new float[] {1f, 2f});
            assertThat(adam.step(linear)).isTrue();
            assertThat(adam.updates()).isEqualTo(1);
            float[] after = weights(linear);
            for (int i = 0; i < after.length; i++) {
                assertThat(Float.isFinite(after[i])).isTrue();
                assertThat(Math.abs(after[i] - before[i])).isBetween(0.09f, 0.11f);
            }
        }
    }

    @Test
    void eachStepUsesOnlyItsOwnBatchsGradient() {
        // PyTorch adds every backward pass into the parameters' .grad; the optimizer must clear it
        // after each update, or step t would follow the sum of all gradients since the start.
        try (Model model = Model.newInstance("adam-test", "PyTorch")) {
            Block linear = linear(model);
            NDManager manager = model.getNDManager();
            ResumableAdam adam = new ResumableAdam(manager, Tracker.fixed(0.1f), 0f);

            backward(linear, manager, new float[] {1f, 2f});
            assertThat(gradient(linear)).containsExactly(1f, 2f);
            assertThat(adam.step(linear)).isTrue();
            assertThat(gradient(linear)).as("cleared after the update").containsExactly(0f, 0f);

            backward(linear, manager, new float[] {3f, -1f});
            assertThat(gradient(linear)).as("the second batch's own gradient, not the sum").containsExactly(3f, -1f);
            assertThat(adam.step(linear)).isTrue();
        }
    }

    /** y = w·x + b with both weights 0.5, as the model's block. */
    private static Block linear(Model model) {
        Block linear = Linear.builder().setUnits(1).build();
        linear.setInitializer(new ConstantInitializer(0.5f), ai.djl.nn.Parameter.Type.WEIGHT);
        model.setBlock(linear);
        linear.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
        return linear;
    }

    private static float[] gradient(Block block) {
        try (NDArray g = block.getParameters().get("weight").getArray().getGradient()) {
            return g.toFloatArray();
        }
    }

    private static void backward(Block block, NDManager manager, float[] input) {
        try (NDManager call = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = call.create(input, new Shape(1, 2));
            NDArray y = block.forward(new ParameterStore(call, false), new NDList(x), true).singletonOrThrow();
            collector.backward(y.sum());
        }
    }

    private static float[] weights(Block block) {
        return block.getParameters().get("weight").getArray().toFloatArray();
    }
}
