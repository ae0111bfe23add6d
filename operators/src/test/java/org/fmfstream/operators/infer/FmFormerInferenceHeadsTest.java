package org.fmfstream.operators.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.SavedFmFormer;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.operators.output.AnomalyEventEncoder;
import org.fmfstream.operators.output.AnomalyMaskEncoder;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Decision;
import org.fmfstream.operators.window.AlignedWindow;
import org.fmfstream.operators.window.ScoredWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models with one kind of head (as imported from the reference code) in the streaming operator
 * (MiniCluster): a class-only model's windows carry no mask and never reach the mask topic; a
 * mask-only model's probability is its most anomalous pixel's, and its anomalous windows publish
 * their masks.
 */
class FmFormerInferenceHeadsTest {

    private static final int WINDOWS = 4;

    @TempDir
    Path dir;

    private List<ScoredWindow> score(FmFormerConfig config, String name) throws Exception {
        SavedFmFormer saved;
        try (Model model = FmFormerModel.create(config, 9L)) {
            saved = FmFormerModel.save(model, dir.resolve(name));
        }
        InferenceConfig inference = InferenceConfig.of(saved.directory().toString(), saved.paramsSha256(), "t")
                .withDevice(DeviceChoice.CPU)
                .withBatching(WINDOWS, Duration.ofMillis(200));
        List<AlignedWindow> windows = TestWindows.windows(WINDOWS, 100);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        List<ScoredWindow> out = new ArrayList<>();
        try (var results = FmFormerInference.apply(env.fromData(windows), inference).executeAndCollect()) {
            results.forEachRemaining(out::add);
        }
        assertThat(out).hasSize(WINDOWS);
        return out;
    }

    @Test
    void aClassOnlyModelGivesEventsWithoutMasks() throws Exception {
        List<ScoredWindow> out = score(FmFormerConfig.fmformerXs().withDenseHead(false), "class-only");
        DecisionRule flagEverything = new DecisionRule(1e-9, 0);
        for (ScoredWindow w : out) {
            assertThat(w.maskProbabilities).isEmpty();
            assertThat(w.maskPixels).isZero();
            assertThat(w.anomalyProbability).isBetween(0f, 1f);
            AnomalyEvent event = AnomalyEventEncoder.encode(w, flagEverything, 0L);
            assertThat(event.getDecision()).isEqualTo(Decision.ANOMALY);
            assertThat(AnomalyMaskEncoder.shouldEmit(w, flagEverything)).as("no mask to publish").isFalse();
        }
    }

    @Test
    void aMaskOnlyModelDecidesFromItsMostAnomalousPixel() throws Exception {
        List<ScoredWindow> out = score(FmFormerConfig.fmformerXs().withDenseHead(true).withClassHeads(false), "mask-only");
        for (ScoredWindow w : out) {
            assertThat(w.maskProbabilities).hasSize(64 * 64);
            float max = 0;
            for (float p : w.maskProbabilities) {
                max = Math.max(max, p);
            }
            assertThat(w.anomalyProbability).isEqualTo(max);
            assertThat(w.videoLogits).containsExactly(0f, 0f);
            assertThat(w.currentLogits).containsExactly(0f, 0f);
            DecisionRule rule = new DecisionRule(max, 0);
            assertThat(AnomalyMaskEncoder.shouldEmit(w, rule)).isTrue();
            assertThat(AnomalyMaskEncoder.shouldEmit(w, new DecisionRule(Math.min(1.0, max + 1e-3), 0))).isFalse();
        }
    }
}
