package org.fmfstream.model.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.fmfstream.model.fmformer.FmFormerModel;

/**
 * The trained FmFormer that ships inside this module's jar (model card: {@code docs/model-card.md}).
 * It is what the stream scores with unless a job names another model.
 *
 * <p>The checkpoint is a classpath resource so that the same code finds it in {@code ./fmf}, in the
 * job's shaded jar on a Flink cluster, and in tests. DJL loads parameters from files, so the two
 * files are copied once into a cache directory named by their pinned SHA-256 (written to a temporary
 * sibling first and moved into place, so concurrent JVMs never see half a copy). The pin in
 * {@value #MANIFEST} is checked on every load through {@link ModelSource}: a corrupted jar or cache
 * fails with {@code ParamsChecksumMismatchException} instead of scoring with the wrong weights.
 *
 * <p>The model's calibrated {@link DecisionRule} ({@value DecisionRule#FILE}) is copied with it when
 * the jar holds one; without it the shipped model decides with {@link DecisionRule#REFERENCE}.
 */
public final class ShippedModel {

    /** Classpath folder of the shipped model files and their manifest. */
    public static final String RESOURCE_ROOT = "fmf/models/";
    /** Manifest: {@code name}, {@code version}, {@code directory}, {@code sha256} of the parameter file. */
    public static final String MANIFEST = RESOURCE_ROOT + "shipped.properties";

    private static final List<String> FILES = List.of(FmFormerModel.CONFIG_FILE, FmFormerModel.PARAMS_FILE);

    private final ClassLoader resources;
    private final String name;
    private final String version;
    private final String directory;
    private final String sha256;

    private ShippedModel(ClassLoader resources, String name, String version, String directory, String sha256) {
        this.resources = resources;
        this.name = name;
        this.version = version;
        this.directory = directory;
        this.sha256 = sha256;
    }

    /** Reads the manifest of the model in this jar. */
    public static ShippedModel manifest() {
        return manifest(ShippedModel.class.getClassLoader());
    }

    /** The manifest and model files as {@code resources} sees them (tests add a decision file). */
    static ShippedModel manifest(ClassLoader resources) {
        Properties p = new Properties();
        try (InputStream in = resource(resources, MANIFEST)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped model manifest " + MANIFEST, e);
        }
        return new ShippedModel(resources, required(p, "name"), required(p, "version"), required(p, "directory"),
                required(p, "sha256").toLowerCase(Locale.ROOT));
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** The pinned SHA-256 of the parameter file (lower-case hex). */
    public String sha256() {
        return sha256;
    }

    /**
     * The shipped model's decision rule, read from the jar ({@value DecisionRule#FILE} next to its
     * parameters), or {@link DecisionRule#REFERENCE} when it ships none. Nothing is copied out.
     */
    public DecisionRule decisionRule() {
        byte[] file = decisionFile();
        if (file == null) {
            return DecisionRule.REFERENCE;
        }
        Properties p = new Properties();
        try {
            p.load(new java.io.ByteArrayInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + decisionResource(), e);
        }
        return DecisionRule.fromProperties(p, decisionResource());
    }

    /**
     * The model as a {@link ModelSource} with its pin and version, copied out of the jar into
     * {@code cacheRoot/<sha256>/} when not already there.
     */
    public ModelSource source(Path cacheRoot) throws IOException {
        return ModelSource.of(extractTo(cacheRoot), sha256, version);
    }

    /** {@link #source(Path)} in the default cache ({@code java.io.tmpdir/fmf-models}). */
    public ModelSource source() throws IOException {
        return source(defaultCacheRoot());
    }

    /** {@code java.io.tmpdir/fmf-models}. */
    public static Path defaultCacheRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "fmf-models");
    }

    /**
     * Copies the model files into {@code cacheRoot/<sha256>} unless a complete copy whose parameter
     * file matches the pin is there; returns that directory.
     */
    public Path extractTo(Path cacheRoot) throws IOException {
        Objects.requireNonNull(cacheRoot, "cacheRoot");
        Path target = cacheRoot.resolve(sha256);
        if (isIntact(target)) {
            return target;
        }
        Files.createDirectories(cacheRoot);
        Path staging = Files.createTempDirectory(cacheRoot, sha256 + ".part-");
        try {
            for (String file : FILES) {
                try (InputStream in = resource(resources, RESOURCE_ROOT + directory + "/" + file)) {
                    Files.copy(in, staging.resolve(file));
                }
            }
            byte[] decision = decisionFile();
            if (decision != null) {
                Files.write(staging.resolve(DecisionRule.FILE), decision);
            }
            if (isIntact(target)) {
                return target; // another process finished first
            }
            if (Files.exists(target)) {
                deleteTree(target); // a damaged earlier copy
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                if (!isIntact(target)) {
                    throw raced;
                }
            }
            return target;
        } finally {
            if (Files.exists(staging)) {
                deleteTree(staging);
            }
        }
    }

    private boolean isIntact(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(FmFormerModel.CONFIG_FILE))
                || !Files.isRegularFile(dir.resolve(FmFormerModel.PARAMS_FILE))) {
            return false;
        }
        // The decision file is small and may be recalibrated without new weights: the copy must match the jar's.
        byte[] decision = decisionFile();
        Path copied = dir.resolve(DecisionRule.FILE);
        if (decision == null ? Files.exists(copied)
                : !Files.isRegularFile(copied) || !java.util.Arrays.equals(Files.readAllBytes(copied), decision)) {
            return false;
        }
        return FmFormerModel.sha256(dir.resolve(FmFormerModel.PARAMS_FILE)).equals(sha256);
    }

    private String decisionResource() {
        return RESOURCE_ROOT + directory + "/" + DecisionRule.FILE;
    }

    /** The bytes of the shipped decision file, or null when the jar has none. */
    private byte[] decisionFile() {
        try (InputStream in = resources.getResourceAsStream(decisionResource())) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + decisionResource(), e);
        }
    }

    private static InputStream resource(ClassLoader resources, String path) throws IOException {
        InputStream in = resources.getResourceAsStream(path);
        if (in == null) {
            throw new IOException("resource " + path + " is not on the classpath (is fmf-model-serving's jar complete?)");
        }
        return in;
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("shipped model manifest " + MANIFEST + " lacks '" + key + "'");
        }
        return value.trim();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return name + " " + version + " (sha256 " + sha256 + ")";
    }
}
