package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Which inputs reach which outputs: the cross-attention wiring and the single-modality variants. */
class FmFormerStreamsTest {

    @Test
    void crossModalVideoOutputsDependOnTheCurrentAndViceVersa() {
        FmFormerConfig config = FmFormerConfig.fmformerXs().withDenseHead(true);
        float[][][] runs = runWithCurrentReplaced(config);
        for (int output : new int[] {FmFormer.VIDEO_LOGITS, FmFormer.CURRENT_LOGITS, FmFormer.MASK_LOGITS}) {
            assertThat(runs[0][output]).as("output %d", output).isNotEqualTo(runs[1][output]);
        }
    }

    @Test
    void videoOnlyIgnoresTheCurrent() {
        FmFormerConfig config = FmFormerConfig.fmformerXs().withModality(Modality.VIDEO_ONLY).withDenseHead(true);
        float[][][] runs = runWithCurrentReplaced(config);
        for (int output = 0; output < 3; output++) {
            assertThat(runs[0][output]).as("output %d", output).containsExactly(runs[1][output]);
        }
    }

    @Test
    void currentOnlyIgnoresTheVideoAndFusedLogitsAreItsOwn() {
        FmFormerConfig config = FmFormerConfig.fmformerXs().withModality(Modality.CURRENT_ONLY);
        try (Model model = FmFormerModel.create(config, 3);
                NDManager call = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(call, false);
            NDList inputs = RandomWindows.of(call, config, 2, 1);
            NDList otherVideo = new NDList(
                    call.zeros(inputs.get(0).getShape()), call.ones(inputs.get(1).getShape()), inputs.get(2));
            NDList a = model.getBlock().forward(store, inputs, false);
            NDList b = model.getBlock().forward(store, otherVideo, false);

            assertThat(a.get(FmFormer.CURRENT_LOGITS).toFloatArray())
                    .containsExactly(b.get(FmFormer.CURRENT_LOGITS).toFloatArray());
            assertThat(FmFormer.fusedLogits(a).toFloatArray())
                    .containsExactly(a.get(FmFormer.CURRENT_LOGITS).toFloatArray());
        }
    }

    /** Outputs for random windows, and for the same windows with another current window. */
    private static float[][][] runWithCurrentReplaced(FmFormerConfig config) {
        try (Model model = FmFormerModel.create(config, 3);
                NDManager call = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(call, false);
            NDList inputs = RandomWindows.of(call, config, 2, 1);
            NDList otherCurrent = new NDList(inputs.get(0), inputs.get(1), RandomWindows.of(call, config, 2, 2).get(2));
            NDList a = model.getBlock().forward(store, inputs, false);
            NDList b = model.getBlock().forward(store, otherCurrent, false);
            return new float[][][] {values(a), values(b)};
        }
    }

    private static float[][] values(NDList outputs) {
        float[][] values = new float[outputs.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = outputs.get(i).toFloatArray();
        }
        return values;
    }
}
