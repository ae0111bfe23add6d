package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FmFormerGradientTest {

    static Stream<FmFormerConfig> variants() {
        FmFormerConfig xs = FmFormerConfig.fmformerXs();
        return Stream.of(
                xs.withDenseHead(true),
                xs.withModality(Modality.VIDEO_ONLY).withDenseHead(true),
                xs.withModality(Modality.CURRENT_ONLY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void oneBackwardPassReachesEveryTrainableParameter(FmFormerConfig config) {
        int batch = 2;
        try (Model model = FmFormerModel.create(config, 21);
                NDManager call = model.getNDManager().newSubManager()) {
            NDList inputs = RandomWindows.of(call, config, batch, 4);
            // Sample 0 normal, sample 1 abnormal; the mask marks a square of the last frame.
            NDArray classTarget = call.create(new float[] {1, 0, 0, 1}, new Shape(batch, 2));
            NDArray abnormalPixels = call.zeros(new Shape(batch, 1, 64, 64));
            abnormalPixels.set(new NDIndex("1, 0, 20:30, 40:50"), 1f);
            NDArray maskTarget = abnormalPixels.neg().add(1f).concat(abnormalPixels, 1);

            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = model.getBlock().forward(new ParameterStore(call, false), inputs, true);
                NDArray classLoss = crossEntropy(FmFormer.fusedLogits(out), classTarget);
                NDArray loss = config.denseHead()
                        ? classLoss.add(crossEntropy(out.get(FmFormer.MASK_LOGITS), maskTarget))
                        : classLoss;
                collector.backward(loss);
            }

            List<String> withoutGradient = new ArrayList<>();
            int checked = 0;
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue;
                }
                checked++;
                try (NDArray gradient = p.getValue().getArray().getGradient()) {
                    double squares = 0;
                    for (float g : gradient.toFloatArray()) {
                        squares += (double) g * g;
                    }
                    if (!(squares > 0) || Double.isInfinite(squares)) {
                        withoutGradient.add(p.getKey() + " (norm² " + squares + ")");
                    }
                }
            }
            assertThat(checked).isGreaterThan(50);
            assertThat(withoutGradient).as("parameters without a finite non-zero gradient").isEmpty();
        }
    }


    /** Mean over samples (and pixels) of −Σ target · log softmax over the class axis 1. */
    private static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
    }
}
