package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class FmFormerLeakTest {

    private static final int PASSES = 1_000;

    @Test
    void aThousandInferencePassesLeaveNoArrayBehindInTheModelManager() {
        FmFormerConfig config = FmFormerConfig.fmformerXs().withDenseHead(true);
        try (Model model = FmFormerModel.create(config, 5)) {
            NDManager modelManager = model.getNDManager();
            float[][] window = windowValues(config);
            Shape[] shapes = FmFormer.inputShapes(config, 1);
            pass(model, window, shapes); // let lazily created engine state settle first
            int before = modelManager.getManagedArrays().size();

            float checksum = 0;
            for (int i = 0; i < PASSES; i++) {
                checksum += pass(model, window, shapes);
            }

            int after = modelManager.getManagedArrays().size();
            System.out.printf("arrays in the model manager: %d before, %d after %d passes%n", before, after, PASSES);
            assertThat(after).isEqualTo(before);
            assertThat(Float.isFinite(checksum)).isTrue();
        }
    }

    /** One forward pass the way a serving loop does it: inputs and results in a per-call manager. */
    private static float pass(Model model, float[][] window, Shape[] shapes) {
        try (NDManager call = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList(3);
            for (int i = 0; i < 3; i++) {
                inputs.add(call.create(window[i], shapes[i]));
            }
            NDList out = model.getBlock().forward(new ParameterStore(call, false), inputs, false);
            return FmFormer.fusedLogits(out).toFloatArray()[1];
        }
    }

    private static float[][] windowValues(FmFormerConfig config) {
        try (NDManager scratch = NDManager.newBaseManager("PyTorch")) {
            NDList inputs = RandomWindows.of(scratch, config, 1, 8);
            float[][] values = new float[3][];
            for (int i = 0; i < 3; i++) {
                values[i] = inputs.get(i).toFloatArray();
            }
            return values;
        }
    }
}
