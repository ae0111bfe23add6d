package org.fmfstream.model.fmformer;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Creates, saves and loads FmFormer models as DJL {@link Model}s on the PyTorch engine.
 *
 * <p>A saved model is a directory with two files: {@value #CONFIG_FILE} (the
 * {@link FmFormerConfig} as properties) and {@value #PARAMS_FILE} (DJL's parameter format, epoch
 * 0). Loading rebuilds the network from the configuration, optionally checks the parameter file's
 * SHA-256 before reading it, and verifies that every parameter has the shape the configuration
 * implies.
 *
 * <p>The caller owns the returned {@link Model} and must close it. The model's block is an
 * {@link FmFormer}; see there for the input and output NDList layout.
 */
public final class FmFormerModel {

    /** DJL model name, and so the stem of the parameter file. */
    public static final String MODEL_NAME = "fmformer";
    public static final String CONFIG_FILE = "fmformer.properties";
    public static final String PARAMS_FILE = "fmformer-0000.params";

    private static final String ENGINE = "PyTorch";

    private FmFormerModel() {}

    /**
     * A new model with freshly initialised parameters; the same configuration and seed always
     * give the same values.
     */
    public static Model create(FmFormerConfig config, long seed) {
        FmFormer block = new FmFormer(config);
        SeededInitialization.assign(block, seed);
        Model model = Model.newInstance(MODEL_NAME, ENGINE);
        try {
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, FmFormer.inputShapes(config, 1));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The configuration of a model made by this class. */
    public static FmFormerConfig configOf(Model model) {
        if (model.getBlock() instanceof FmFormer fmFormer) {
            return fmFormer.config();
        }
        throw new IllegalArgumentException("model " + model.getName() + " does not hold an FmFormer block");
    }

    /**
     * Writes the configuration and the parameters into {@code directory} (created if needed;
     * existing files of the same names are replaced).
     */
    public static SavedFmFormer save(Model model, Path directory) throws IOException {
        FmFormerConfig config = configOf(model);
        Files.createDirectories(directory);
        Path configFile = directory.resolve(CONFIG_FILE);
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.toProperties().store(out, "FmFormer configuration");
        }
        // Pin the epoch: otherwise DJL numbers the file after the newest one already there.
        model.setProperty("Epoch", "0");
        model.save(directory, MODEL_NAME);
        Path paramsFile = directory.resolve(PARAMS_FILE);
        return new SavedFmFormer(directory, paramsFile, configFile, sha256(paramsFile));
    }

    /** Loads a saved model without checking the parameter file's digest. */
    public static Model load(Path directory) throws IOException, MalformedModelException {
        return load(directory, null);
    }

    /**
     * Loads a saved model. With {@code expectedSha256} given (hex, any case), the parameter file
     * must have exactly that SHA-256, else {@link ParamsChecksumMismatchException} names both.
     */
    public static Model load(Path directory, String expectedSha256) throws IOException, MalformedModelException {
        FmFormerConfig config = readConfig(directory.resolve(CONFIG_FILE));
        Path paramsFile = directory.resolve(PARAMS_FILE);
        if (!Files.isRegularFile(paramsFile)) {
            throw new IOException("FmFormer parameter file " + paramsFile + " does not exist");
        }
        if (expectedSha256 != null) {
            String actual = sha256(paramsFile);
            if (!actual.equals(expectedSha256.trim().toLowerCase(Locale.ROOT))) {
                throw new ParamsChecksumMismatchException(paramsFile, expectedSha256, actual);
            }
        }
        Model model = Model.newInstance(MODEL_NAME, ENGINE);
        try {
            FmFormer block = new FmFormer(config);
            model.setBlock(block);
            model.load(directory, MODEL_NAME, Map.of("epoch", "0"));
            requireShapes(block, expectedParameterShapes(config), paramsFile);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** SHA-256 of a file as lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Number of trainable values (running statistics of batch norms excluded, as PyTorch counts). */
    public static long trainableParameterCount(Block block) {
        long count = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                count += p.getValue().getShape().size();
            }
        }
        return count;
    }

    /** The configuration a saved model directory was written with (its {@value #CONFIG_FILE}). */
    public static FmFormerConfig configIn(Path directory) throws IOException {
        return readConfig(directory.resolve(CONFIG_FILE));
    }

    private static FmFormerConfig readConfig(Path configFile) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(configFile, StandardCharsets.ISO_8859_1)) {
            properties.load(in);
        }
        return FmFormerConfig.fromProperties(properties);
    }

    /**
     * The shape of every parameter of a network built from {@code config}, by building one in a
     * scratch manager: DJL takes parameter shapes from the file, so a file written for another
     * configuration would otherwise load without complaint.
     */
    private static Map<String, Shape> expectedParameterShapes(FmFormerConfig config) {
        FmFormer reference = new FmFormer(config);
        reference.setInitializer(Initializer.ZEROS, parameter -> true);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        try (NDManager scratch = NDManager.newBaseManager(ENGINE)) {
            reference.initialize(scratch, DataType.FLOAT32, FmFormer.inputShapes(config, 1));
            for (Pair<String, Parameter> p : reference.getParameters()) {
                shapes.put(p.getKey(), p.getValue().getShape());
            }
        }
        return shapes;
    }

    private static void requireShapes(Block block, Map<String, Shape> expected, Path paramsFile)
            throws MalformedModelException {
        Map<String, Shape> actual = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            actual.put(p.getKey(), p.getValue().getShape());
        }
        if (!actual.keySet().equals(expected.keySet())) {
            throw new MalformedModelException("parameters in " + paramsFile
                    + " do not match the configuration's network");
        }
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            Shape found = actual.get(e.getKey());
            if (!e.getValue().equals(found)) {
                throw new MalformedModelException("parameter " + e.getKey() + " in " + paramsFile
                        + " has shape " + found + ", the configuration needs " + e.getValue());
            }
        }
    }
}
