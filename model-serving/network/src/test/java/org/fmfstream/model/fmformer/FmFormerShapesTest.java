package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FmFormerShapesTest {

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(Modality.CROSS_MODAL, false),
                Arguments.of(Modality.CROSS_MODAL, true),
                Arguments.of(Modality.VIDEO_ONLY, false),
                Arguments.of(Modality.VIDEO_ONLY, true),
                Arguments.of(Modality.CURRENT_ONLY, false));
    }

    @ParameterizedTest(name = "{0}, dense head {1}")
    @MethodSource("variants")
    void outputsHaveTheDocumentedShapesAndMissingStreamsAreZero(Modality modality, boolean dense) {
        FmFormerConfig config = FmFormerConfig.fmformerXs().withModality(modality).withDenseHead(dense);
        int batch = 2;
        try (Model model = FmFormerModel.create(config, 7);
                NDManager call = model.getNDManager().newSubManager()) {
            NDList out = model.getBlock()
                    .forward(new ParameterStore(call, false), RandomWindows.of(call, config, batch, 1), false);

            assertThat(out).hasSize(3);
            assertThat(out.get(FmFormer.VIDEO_LOGITS).getShape()).isEqualTo(new Shape(batch, 2));
            assertThat(out.get(FmFormer.CURRENT_LOGITS).getShape()).isEqualTo(new Shape(batch, 2));
            assertThat(out.get(FmFormer.MASK_LOGITS).getShape()).isEqualTo(new Shape(batch, 2, 64, 64));
            assertThat(model.getBlock().getOutputShapes(FmFormer.inputShapes(config, batch)))
                    .containsExactly(out.getShapes());

            assertThat(isZero(out.get(FmFormer.VIDEO_LOGITS))).isEqualTo(!modality.hasVideo());
            assertThat(isZero(out.get(FmFormer.CURRENT_LOGITS))).isEqualTo(!modality.hasCurrent());
            assertThat(isZero(out.get(FmFormer.MASK_LOGITS))).isEqualTo(!dense);
            for (NDArray array : out) {
                assertThat(array.isInfinite().any().getBoolean()).isFalse();
                assertThat(array.isNaN().any().getBoolean()).isFalse();
            }
        }
    }

    private static boolean isZero(NDArray array) {
        return array.abs().max().getFloat() == 0f;
    }
}
