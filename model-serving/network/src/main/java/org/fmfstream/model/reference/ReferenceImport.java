package org.fmfstream.model.reference;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.fmfstream.model.fmformer.CurrentEncoder;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.Modality;
import org.fmfstream.model.fmformer.SavedFmFormer;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.ModelHeads;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * Turns a state_dict saved by the reference code ({@code ViTForViCu}, classification or
 * segmentation variant) into a model directory every command here runs: the network's
 * configuration with the reference's input conventions, its parameters, a decision rule, and
 * {@value #PROVENANCE_FILE} (source file, its SHA-256, variant, heads, conventions).
 *
 * <p>Conventions applied (see docs/reference-weights.md):
 * <ul>
 *   <li>raw inputs: the reference feeds pixels 0..255 and amperes; this project feeds them divided
 *       by {@code TokenizerSpec.pixelDivisor} and {@code currentDivisor}. Every token starts with a
 *       LayerNorm, and LayerNorm(x/k, eps) = LayerNorm(x, eps·k²), so the first LayerNorms get
 *       epsilon 1e-5/255² (video) and 1e-5/1000² (current) and the weights see what they were
 *       trained on;
 *   <li>frame axes: moved into the weights ({@link FrameAxes});
 *   <li>clip sampling rate: recorded in the configuration (the released weights are evaluated at 18),
 *       so the aligner and the evaluation cut clips of frames i-9s .. i;
 *   <li>heads: the variant's only head; the other is absent ({@link ModelHeads}).
 * </ul>
 * Every key is mapped and every shape checked before anything is written: unknown and missing keys
 * are listed together in one message.
 */
public final class ReferenceImport {

    /** Metadata of an imported model, next to its configuration and parameters. */
    public static final String PROVENANCE_FILE = "reference.properties";
    /** Clip stride the released weights are evaluated with (the reference README's test command). */
    public static final int RELEASED_SAMPLING_RATE = 18;

    /** Which head the reference network was built with. */
    public enum Variant {
        /** {@code TASK: classification}: class heads summed, no mask. */
        CLASSIFICATION,
        /** {@code TASK: segmentation}: the dense head replaces the class heads. */
        SEGMENTATION
    }

    /** What an import produced. */
    public record Result(SavedFmFormer saved, Variant variant, ModelHeads heads, String sourceSha256,
                         int tensors, long values, DecisionRule rule) {}

    private ReferenceImport() {}

    /**
     * Imports {@code stateDict} into {@code outDir} (created; files of the same names replaced).
     *
     * @param preset       network sizes the checkpoint must have (the released one is {@code fmformer-s})
     * @param samplingRate clip frame stride to record ({@link #RELEASED_SAMPLING_RATE} for the released weights)
     * @throws IllegalArgumentException listing every unknown, missing or mis-shaped key when the file is
     *                                  not a state_dict of that reference network
     */
    public static Result run(Path stateDict, Path outDir, FmFormerConfig preset, int samplingRate) throws IOException {
        Map<String, TorchStateDict.Tensor> tensors = TorchStateDict.read(stateDict);
        Variant variant = variantOf(tensors, stateDict);
        FmFormerConfig config = configFor(preset, variant, samplingRate);
        ReferenceKeyMap keys = ReferenceKeyMap.of(config);
        requireSameKeys(tensors, keys, stateDict, variant, config);

        try (Model model = FmFormerModel.create(config, 0L)) {
            Map<String, Parameter> parameters = new HashMap<>();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                parameters.put(ReferenceKeyMap.projectPath(p.getKey()), p.getValue());
            }
            List<String> wrongShapes = new ArrayList<>();
            Set<String> filled = new TreeSet<>();
            long values = 0;
            for (ReferenceKeyMap.Entry entry : keys.entries()) {
                Parameter parameter = parameters.get(entry.projectPath());
                if (parameter == null) {
                    throw new IllegalStateException("the key map names " + entry.projectPath()
                            + ", which this network does not have");
                }
                TorchStateDict.Tensor tensor = tensors.get(entry.referenceKey());
                NDArray array = parameter.getArray();
                if (!Arrays.equals(tensor.shape(), array.getShape().getShape())) {
                    wrongShapes.add(entry.referenceKey() + " " + tensor.shapeText() + " (needs "
                            + Arrays.toString(array.getShape().getShape()) + ")");
                    continue;
                }
                array.set(FloatBuffer.wrap(entry.rewrite().apply(tensor.values(), tensor.shape())));
                filled.add(entry.projectPath());
                values += tensor.size();
            }
            if (!wrongShapes.isEmpty()) {
                throw new IllegalArgumentException(stateDict + " is not a state_dict of the reference " + config.name()
                        + " (" + variant.name().toLowerCase(Locale.ROOT) + "): " + wrongShapes.size()
                        + " tensor(s) have another shape: " + String.join(", ", wrongShapes));
            }
            Set<String> unfilled = new TreeSet<>(parameters.keySet());
            unfilled.removeAll(filled);
            if (!unfilled.isEmpty()) {
                throw new IllegalStateException("the key map leaves parameters unset: " + unfilled);
            }
            SavedFmFormer saved = FmFormerModel.save(model, outDir);
            String sourceSha256 = FmFormerModel.sha256(stateDict);
            // Class heads: the reference's argmax is P >= 0.5. Mask only: P is the largest pixel
            // probability, so P >= 0.5 with one pixel is "the mask has an abnormal pixel".
            DecisionRule rule = new DecisionRule(0.5, config.classHeads() ? 0 : 1);
            rule.write(outDir, Map.of("source", "reference " + variant.name().toLowerCase(Locale.ROOT)
                    + " weights, the reference's own decision (argmax)"));
            writeProvenance(outDir, stateDict, sourceSha256, variant, config);
            return new Result(saved, variant, ModelHeads.of(config), sourceSha256, keys.entries().size(), values, rule);
        }
    }

    /** The variant by its head: class heads ({@code head.mlp_head1}) or the dense head ({@code head.decode_out}). */
    static Variant variantOf(Map<String, TorchStateDict.Tensor> tensors, Path file) {
        boolean classification = tensors.containsKey("head.mlp_head1.1.weight");
        boolean segmentation = tensors.containsKey("head.decode_out.weight");
        if (classification == segmentation) {
            List<String> sample = tensors.keySet().stream().limit(8).toList();
            throw new IllegalArgumentException(file + " is not a state_dict of the reference FmFormer (ViTForViCu): "
                    + (classification ? "it has both" : "it has neither") + " a classification head "
                    + "(head.mlp_head1.*) " + (classification ? "and" : "nor") + " a segmentation head "
                    + "(head.decode_out.*); its first keys: " + sample);
        }
        return classification ? Variant.CLASSIFICATION : Variant.SEGMENTATION;
    }

    /** The preset's sizes with the reference's streams, current encoder, heads and input conventions. */
    static FmFormerConfig configFor(FmFormerConfig preset, Variant variant, int samplingRate) {
        TokenizerSpec spec = TokenizerSpec.FMFORMER;
        float eps = FmFormerConfig.LAYER_NORM_EPSILON;
        return preset.withModality(Modality.CROSS_MODAL)
                .withCurrentEncoder(CurrentEncoder.PHASE_NORM, FmFormerConfig.DEFAULT_CURRENT_PATCH)
                .withDenseHead(variant == Variant.SEGMENTATION)
                .withClassHeads(variant == Variant.CLASSIFICATION)
                .withRawEpsilons(eps / (spec.pixelDivisor() * spec.pixelDivisor()),
                        eps / (spec.currentDivisor() * spec.currentDivisor()))
                .withSamplingRate(samplingRate);
    }

    private static void requireSameKeys(Map<String, TorchStateDict.Tensor> tensors, ReferenceKeyMap keys,
                                        Path file, Variant variant, FmFormerConfig config) {
        Set<String> expected = new TreeSet<>();
        keys.entries().forEach(e -> expected.add(e.referenceKey()));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(tensors.keySet());
        Set<String> unknown = new TreeSet<>(tensors.keySet());
        unknown.removeAll(expected);
        unknown.removeAll(keys.dropped());
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException(file + " is not a state_dict of the reference " + config.name()
                    + " (" + variant.name().toLowerCase(Locale.ROOT) + ", depth " + config.depth() + "): "
                    + (missing.isEmpty() ? "" : missing.size() + " missing key(s): " + missing
                            + (unknown.isEmpty() ? "" : "; "))
                    + (unknown.isEmpty() ? "" : unknown.size() + " unknown key(s): " + unknown));
        }
    }

    private static void writeProvenance(Path outDir, Path source, String sha256, Variant variant,
                                        FmFormerConfig config) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("source.file", source.getFileName().toString());
        p.put("source.sha256", sha256);
        p.put("variant", variant.name().toLowerCase(Locale.ROOT));
        p.put("heads", ModelHeads.of(config).describe());
        p.put("convention.pixels", "raw 0..255 in the reference; fed /" + TokenizerSpec.FMFORMER.pixelDivisor()
                + " here with raw LayerNorm epsilon " + config.videoRawEpsilon());
        p.put("convention.currents", "raw amperes in the reference; fed /" + TokenizerSpec.FMFORMER.currentDivisor()
                + " here with raw LayerNorm epsilon " + config.currentRawEpsilon());
        p.put("convention.frameAxes", "reference [x, y] moved into the weights (patch columns, positions, kernels)");
        p.put("convention.samplingRate", Integer.toString(config.samplingRate()));
        Properties properties = new Properties();
        properties.putAll(p);
        try (OutputStream out = Files.newOutputStream(outDir.resolve(PROVENANCE_FILE))) {
            properties.store(out, "Imported from a state_dict of the reference FmFormer (ViTForViCu)");
        }
    }
}
