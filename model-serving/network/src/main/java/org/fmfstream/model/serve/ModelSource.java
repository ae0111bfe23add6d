package org.fmfstream.model.serve;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;

/**
 * Where the stream's model comes from: a directory written by {@code FmFormerModel.save}, or a
 * TorchScript file ({@code .pt}) exported from PyTorch with FmFormer's input and output contract.
 * Both load into a {@link LoadedModel}. An expected SHA-256 (hex, any case), when given, is checked
 * before anything is loaded; the identity always carries the SHA-256 of the file actually read.
 */
public sealed interface ModelSource {

    /** Loads the model onto {@code device}. */
    LoadedModel load(Device device) throws IOException, MalformedModelException;

    /** Version as shipped, or {@link ModelIdentity#UNVERSIONED}. */
    String version();

    /**
     * How this model's scores become decisions: the calibrated rule a saved directory carries in
     * {@value DecisionRule#FILE}, or {@link DecisionRule#REFERENCE} when it has none (and for a
     * TorchScript file, which has no directory of its own).
     */
    DecisionRule decisionRule();

    /** Which heads the model has, read without loading it. */
    ModelHeads heads();

    /** The clip frame stride the model was trained with (clips of frames i-9s .. i), read without loading it. */
    int samplingRate();

    /**
     * A saved FmFormer or a TorchScript file, told apart by the path: a directory is a saved
     * FmFormer, a regular file ending in {@code .pt} TorchScript.
     *
     * @param expectedSha256 the pinned hash, or null to accept any file
     * @param version        version as shipped, or null for {@link ModelIdentity#UNVERSIONED}
     */
    static ModelSource of(Path path, String expectedSha256, String version) {
        Objects.requireNonNull(path, "path");
        if (Files.isDirectory(path)) {
            return new SavedFmFormerDirectory(path, expectedSha256, version);
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pt")) {
            return new TorchScriptFile(path, expectedSha256, null, version);
        }
        throw new IllegalArgumentException("model path " + path
                + " is neither a saved FmFormer directory nor a TorchScript .pt file");
    }

    /** A directory written by {@code FmFormerModel.save}; the name comes from its configuration. */
    record SavedFmFormerDirectory(Path directory, String expectedSha256, String version) implements ModelSource {

        public SavedFmFormerDirectory {
            Objects.requireNonNull(directory, "directory");
            version = versionOrDefault(version);
        }

        @Override
        public LoadedModel load(Device device) throws IOException, MalformedModelException {
            return DjlFmFormerModel.load(this, device);
        }

        @Override
        public DecisionRule decisionRule() {
            return DecisionRule.read(directory);
        }

        @Override
        public ModelHeads heads() {
            return ModelHeads.of(config());
        }

        @Override
        public int samplingRate() {
            return config().samplingRate();
        }

        private FmFormerConfig config() {
            try {
                return FmFormerModel.configIn(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the configuration of the model in " + directory, e);
            }
        }
    }

    /**
     * A TorchScript file; {@code name} defaults to the file name without {@code .pt}.
     */
    record TorchScriptFile(Path file, String expectedSha256, String name, String version) implements ModelSource {

        public TorchScriptFile {
            Objects.requireNonNull(file, "file");
            if (name == null) {
                String fileName = file.getFileName().toString();
                name = fileName.toLowerCase(Locale.ROOT).endsWith(".pt")
                        ? fileName.substring(0, fileName.length() - 3) : fileName;
            }
            version = versionOrDefault(version);
        }

        @Override
        public LoadedModel load(Device device) throws IOException, MalformedModelException {
            return TorchScriptModel.load(this, device);
        }

        @Override
        public DecisionRule decisionRule() {
            return DecisionRule.REFERENCE;
        }

        /** A TorchScript file carries no metadata: it is taken to have both heads. */
        @Override
        public ModelHeads heads() {
            return ModelHeads.BOTH;
        }

        /** A TorchScript file carries no metadata: consecutive frames. */
        @Override
        public int samplingRate() {
            return 1;
        }
    }

    private static String versionOrDefault(String version) {
        return version == null || version.isBlank() ? ModelIdentity.UNVERSIONED : version;
    }
}
