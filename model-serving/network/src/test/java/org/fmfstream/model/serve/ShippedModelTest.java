package org.fmfstream.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.ParamsChecksumMismatchException;
import org.fmfstream.model.tokenize.TokenBuffers;
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
        TokenBuffers tokens = SavedModels.tokens(2, 5);
        try (FmFormerPredictor predictor = FmFormerPredictor.open(shipped.source(cache),
                new PredictorConfig(DeviceChoice.CPU, 2, 0, 0))) {
            assertThat(predictor.identity().sha256()).isEqualTo(shipped.sha256());
            assertThat(predictor.identity().version()).isEqualTo(shipped.version());
            assertThat(predictor.identity().name()).isEqualTo(shipped.name());
            for (WindowScore score : predictor.predict(tokens, 2)) {
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
    void theShippedModelDecidesWithItsCalibratedRule() throws Exception {
        ShippedModel shipped = ShippedModel.manifest();
        Properties file = new Properties();
        try (var in = ShippedModelTest.class.getClassLoader().getResourceAsStream(
                ShippedModel.RESOURCE_ROOT + "fmformer-xs-" + shipped.version() + "/" + DecisionRule.FILE)) {
            assertThat(in).as("the shipped model's decision file").isNotNull();
            file.load(in);
        }
        DecisionRule calibrated = DecisionRule.fromProperties(file, "shipped");
        assertThat(calibrated).isNotEqualTo(DecisionRule.REFERENCE);
        assertThat(shipped.decisionRule()).isEqualTo(calibrated);
        Path dir = shipped.extractTo(cache);
        assertThat(DecisionRule.read(dir)).isEqualTo(calibrated);
        assertThat(shipped.source(cache).decisionRule()).isEqualTo(calibrated);
    }

    @Test
    void aCachedCopyWithoutOrWithAnotherDecisionFileIsRepaired() throws Exception {
        ShippedModel shipped = ShippedModel.manifest();
        Path dir = shipped.extractTo(cache);
        Files.delete(dir.resolve(DecisionRule.FILE));
        assertThat(shipped.source(cache).decisionRule()).isEqualTo(shipped.decisionRule());
        assertThat(dir.resolve(DecisionRule.FILE)).exists();
        new DecisionRule(0.87, 12).write(dir, Map.of("calibration", "test"));
        assertThat(shipped.source(cache).decisionRule()).isEqualTo(shipped.decisionRule());
    }

    @Test
    void aTorchScriptFileHasTheReferenceRule(@TempDir Path dir) throws Exception {
        Path pt = Files.write(dir.resolve("m.pt"), new byte[] {1});
        new DecisionRule(0.9, 3).write(dir, Map.of());
        assertThat(ModelSource.of(pt, null, null).decisionRule()).isEqualTo(DecisionRule.REFERENCE);
        assertThat(ModelSource.of(dir, null, null).decisionRule()).isEqualTo(new DecisionRule(0.9, 3));
    }
}
