package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FmFormerModelTest {

    private static final FmFormerConfig CONFIG = FmFormerConfig.fmformerXs().withDenseHead(true);

    @TempDir
    Path dir;

    @Test
    void saveAndLoadGiveIdenticalOutputs() throws Exception {
        SavedFmFormer saved;
        float[][] before;
        try (Model model = FmFormerModel.create(CONFIG, 42)) {
            before = outputs(model);
            saved = FmFormerModel.save(model, dir);
        }

        assertThat(saved.paramsFile()).isEqualTo(dir.resolve(FmFormerModel.PARAMS_FILE)).isRegularFile();
        assertThat(saved.configFile()).isEqualTo(dir.resolve(FmFormerModel.CONFIG_FILE)).isRegularFile();
        assertThat(saved.paramsSha256()).matches("[0-9a-f]{64}")
                .isEqualTo(FmFormerModel.sha256(saved.paramsFile()));
        try (Model loaded = FmFormerModel.load(dir, saved.paramsSha256().toUpperCase())) {
            assertThat(FmFormerModel.configOf(loaded)).isEqualTo(CONFIG);
            // Loaded weights carry no autograd flag, so inference on any thread (PyTorch's grad
            // mode is per thread and on by default) records no graph.
            assertThat(loaded.getBlock().getParameters().values())
                    .noneMatch(p -> p.getArray().hasGradient());
            float[][] after = outputs(loaded);
            for (int i = 0; i < 3; i++) {
                assertThat(after[i]).as("output %d", i).containsExactly(before[i]);
            }
        }
    }

    @Test
    void savingAgainKeepsOneParameterFile() throws Exception {
        try (Model model = FmFormerModel.create(CONFIG, 42)) {
            SavedFmFormer first = FmFormerModel.save(model, dir);
            SavedFmFormer second = FmFormerModel.save(model, dir);
            assertThat(second.paramsFile()).isEqualTo(first.paramsFile());
            assertThat(second.paramsSha256()).isEqualTo(first.paramsSha256());
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(FmFormerModel.PARAMS_FILE, FmFormerModel.CONFIG_FILE);
        }
    }

    @Test
    void aParameterFileWithAnotherDigestIsRefused() throws Exception {
        SavedFmFormer saved;
        try (Model model = FmFormerModel.create(CONFIG, 42)) {
            saved = FmFormerModel.save(model, dir);
        }
        String expected = "0".repeat(64);

        assertThatThrownBy(() -> FmFormerModel.load(dir, expected))
                .isInstanceOf(ParamsChecksumMismatchException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining(saved.paramsSha256())
                .satisfies(e -> {
                    ParamsChecksumMismatchException mismatch = (ParamsChecksumMismatchException) e;
                    assertThat(mismatch.actualSha256()).isEqualTo(saved.paramsSha256());
                    assertThat(mismatch.expectedSha256()).isEqualTo(expected);
                });
    }

    @Test
    void parametersOfAnotherConfigurationAreRefused() throws Exception {
        try (Model model = FmFormerModel.create(CONFIG, 42)) {
            FmFormerModel.save(model, dir);
        }
        // Same structure, other MLP width: DJL alone would load the file's shapes silently.
        Properties edited = CONFIG.toProperties();
        edited.setProperty("mlpDim", "128");
        try (OutputStream out = Files.newOutputStream(dir.resolve(FmFormerModel.CONFIG_FILE))) {
            edited.store(out, null);
        }

        assertThatThrownBy(() -> FmFormerModel.load(dir))
                .isInstanceOf(MalformedModelException.class)
                .hasMessageContaining("expand_weight");
    }

    @Test
    void aMissingParameterFileIsReported() throws IOException {
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve(FmFormerModel.CONFIG_FILE))) {
            CONFIG.toProperties().store(out, null);
        }
        assertThatThrownBy(() -> FmFormerModel.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(FmFormerModel.PARAMS_FILE);
    }

    @Test
    void initialisationIsDeterministicPerSeed() {
        try (Model a = FmFormerModel.create(CONFIG, 7);
                Model b = FmFormerModel.create(CONFIG, 7);
                Model c = FmFormerModel.create(CONFIG, 8)) {
            List<float[]> valuesA = parameterValues(a);
            List<float[]> valuesB = parameterValues(b);
            List<float[]> valuesC = parameterValues(c);
            assertThat(valuesA).hasSameSizeAs(valuesB);
            int differentWithOtherSeed = 0;
            for (int i = 0; i < valuesA.size(); i++) {
                assertThat(valuesB.get(i)).containsExactly(valuesA.get(i));
                if (!Arrays.equals(valuesA.get(i), valuesC.get(i))) {
                    differentWithOtherSeed++;
                }
            }
            // Every random parameter differs with another seed; norms (ones and zeros) do not.
            long random = a.getBlock().getParameters().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.WEIGHT || p.getType() == Parameter.Type.BIAS
                            || p.getType() == Parameter.Type.OTHER)
                    .count();
            assertThat(differentWithOtherSeed).isEqualTo((int) random);
        }
    }

    private static List<float[]> parameterValues(Model model) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static float[][] outputs(Model model) {
        try (NDManager call = model.getNDManager().newSubManager()) {
            NDList out = model.getBlock().forward(
                    new ParameterStore(call, false), RandomWindows.of(call, CONFIG, 2, 99), false);
            float[][] values = new float[3][];
            for (int i = 0; i < 3; i++) {
                values[i] = out.get(i).toFloatArray();
            }
            return values;
        }
    }
}
