package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/**
 * The training side of {@link FmFormerLeakTest}: forward in training mode, backward, and the
 * gradients read and cleared as the optimizer does, twenty times; no array may be left in the
 * model's manager (which lives as long as the run). A long training run's RSS grows about 6 MB a
 * step (model-serving/training README, known issue); this test shows it is not arrays left in the
 * model's manager by these steps.
 */
class FmFormerTrainingStepLeakTest {

    private static final int STEPS = 20;

    @Test
    void trainingStepsLeaveNoArrayBehindInTheModelManager() {
        FmFormerConfig config = FmFormerConfig.fmformerXs().withDenseHead(true)
                .withCurrentEncoder(CurrentEncoder.PATCHES, 8);
        try (Model model = FmFormerModel.create(config, 5)) {
            NDManager modelManager = model.getNDManager();
            step(model, config, 0);
            int before = modelManager.getManagedArrays().size();
            for (int i = 1; i <= STEPS; i++) {
                step(model, config, i);
            }
            int after = modelManager.getManagedArrays().size();
            System.out.printf("arrays in the model manager: %d before, %d after %d training steps%n", before, after, STEPS);
            assertThat(after).isEqualTo(before);
        }
    }

    private static void step(Model model, FmFormerConfig config, long seed) {
        try (NDManager batch = model.getNDManager().newSubManager()) {
            NDList inputs = RandomWindows.of(batch, config, 2, seed);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = model.getBlock().forward(new ParameterStore(batch, false), inputs, true);
                NDArray loss = FmFormer.fusedLogits(out).sum().add(out.get(FmFormer.MASK_LOGITS).mean());
                collector.backward(loss);
            }
            // Read and clear every gradient, as the optimizer does after each step.
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                if (p.getValue().requiresGradient()) {
                    try (NDArray g = p.getValue().getArray().getGradient()) {
                        g.muli(0);
                    }
                }
            }
        }
    }
}
