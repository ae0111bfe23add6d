package org.fmfstream.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.ParamsChecksumMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint committed with the code: present, pinned, loadable, and refused when damaged. */
class ShippedModelTest {

    @TempDir
    Path cache;

    @Test
    void manifestPinsTheCommittedParameterFile() throws Exception {
        ShippedModel shipped = ShippedModel.manifest();
        Path dir = shipped.extractTo(cache);

        assertThat(dir).isEqualTo(cache.resolve(shipped.sha256()));
        assertThat(FmFormerModel.sha256(dir.resolve(FmFormerModel.PARAMS_FILE))).isEqualTo(shipped.sha256());
        assertThat(Files.size(dir.resolve(FmFormerModel.PARAMS_FILE))).isLessThan(20L * 1024 * 1024);
    }

    @Test
    void loadsThroughThePredictorWithItsIdentity() throws Exception {
        ShippedModel shipped = ShippedModel.manifest();
        float[][] tokens = SavedModels.tokens(2, 5);
        try (FmFormerPredictor predictor = FmFormerPredictor.open(shipped.source(cache),
                new PredictorConfig(DeviceChoice.CPU, 2, 0, 0))) {
            assertThat(predictor.identity().sha256()).isEqualTo(shipped.sha256());
            assertThat(predictor.identity().version()).isEqualTo(shipped.version());
            assertThat(predictor.identity().name()).isEqualTo(shipped.name());
            for (WindowScore score : predictor.predict(tokens[0], tokens[1], tokens[2], 2)) {
                assertThat(score.anomalyProbability()).isBetween(0f, 1f);
                assertThat(score.maskProbabilities()).hasSize(64 * 64);
            }
        }
    }

    @Test
    void aDamagedCopyIsRefusedByThePinAndReplacedOnTheNextExtraction() throws Exception {
        ShippedModel shipped = ShippedModel.manifest();
        Path dir = shipped.extractTo(cache);
        Path params = dir.resolve(FmFormerModel.PARAMS_FILE);
        Files.write(params, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        assertThatThrownBy(() -> FmFormerPredictor.open(ModelSource.of(dir, shipped.sha256(), shipped.version()),
                new PredictorConfig(DeviceChoice.CPU, 1, 0, 0)))
                .isInstanceOf(ParamsChecksumMismatchException.class)
                .hasMessageContaining(shipped.sha256());

        Path again = shipped.extractTo(cache);
        assertThat(FmFormerModel.sha256(again.resolve(FmFormerModel.PARAMS_FILE))).isEqualTo(shipped.sha256());
    }

    @Test
    void withoutADecisionFileTheShippedModelDecidesWithTheReferenceRule() throws Exception {
        ShippedModel shipped = ShippedModel.manifest();
        assertThat(shipped.decisionRule()).isEqualTo(DecisionRule.REFERENCE);
        Path dir = shipped.extractTo(cache);
        assertThat(dir.resolve(DecisionRule.FILE)).doesNotExist();
        assertThat(shipped.source(cache).decisionRule()).isEqualTo(DecisionRule.REFERENCE);
    }

    @Test
    void aShippedDecisionFileIsReadAndCopiedWithTheModel(@TempDir Path jar) throws Exception {
        ShippedModel plain = ShippedModel.manifest();
        // A stale copy of the same weights without the decision file must be completed.
        plain.extractTo(cache);
        Path folder = Files.createDirectories(jar.resolve("fmf/models/fmformer-xs-sim-v1"));
        new DecisionRule(0.87, 12).write(folder, Map.of("calibration", "test"));
        try (URLClassLoader withRule = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ShippedModelTest.class.getClassLoader())) {
            ShippedModel shipped = ShippedModel.manifest(withRule);
            assertThat(shipped.decisionRule()).isEqualTo(new DecisionRule(0.87, 12));
            Path dir = shipped.extractTo(cache);
            assertThat(dir).isEqualTo(cache.resolve(shipped.sha256()));
            assertThat(Files.readAllBytes(dir.resolve(DecisionRule.FILE)))
                    .isEqualTo(Files.readAllBytes(folder.resolve(DecisionRule.FILE)));
            assertThat(shipped.source(cache).decisionRule()).isEqualTo(new DecisionRule(0.87, 12));
        }
        // And a jar without it again does not keep the other jar's rule in the cache.
        assertThat(plain.source(cache).decisionRule()).isEqualTo(DecisionRule.REFERENCE);
    }

    @Test
    void aTorchScriptFileHasTheReferenceRule(@TempDir Path dir) throws Exception {
        Path pt = Files.write(dir.resolve("m.pt"), new byte[] {1});
        new DecisionRule(0.9, 3).write(dir, Map.of());
        assertThat(ModelSource.of(pt, null, null).decisionRule()).isEqualTo(DecisionRule.REFERENCE);
        assertThat(ModelSource.of(dir, null, null).decisionRule()).isEqualTo(new DecisionRule(0.9, 3));
    }
}
