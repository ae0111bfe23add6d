package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FmFormerClassTokensTest {

    @ParameterizedTest
    @EnumSource(Modality.class)
    void classTokensComeWithTheUnchangedOutputs(Modality modality) {
        FmFormerConfig config = FmFormerConfig.fmformerXs().withModality(modality);
        try (Model model = FmFormerModel.create(config, 3);
                NDManager call = model.getNDManager().newSubManager()) {
            NDList inputs = RandomWindows.of(call, config, 2, 8);
            FmFormer block = (FmFormer) model.getBlock();
            NDList plain = block.forward(new ParameterStore(call, false), inputs, false);
            NDList with = block.forwardWithClassTokens(new ParameterStore(call, false), inputs, false);
            assertThat(with).hasSize(4);
            for (int i = 0; i < 3; i++) {
                assertThat(with.get(i).toFloatArray()).containsExactly(plain.get(i).toFloatArray());
            }
            int streams = modality.isCrossModal() ? 2 : 1;
            assertThat(with.get(FmFormer.CLASS_TOKENS).getShape()).isEqualTo(new Shape(2, 64L * streams));
            // The two windows differ, so their class tokens do.
            float[] tokens = with.get(FmFormer.CLASS_TOKENS).toFloatArray();
            boolean differ = false;
            for (int k = 0; k < 64 * streams; k++) {
                differ |= tokens[k] != tokens[64 * streams + k];
            }
            assertThat(differ).isTrue();
        }
    }
}
