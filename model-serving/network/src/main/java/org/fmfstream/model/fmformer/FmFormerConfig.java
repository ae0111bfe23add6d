package org.fmfstream.model.fmformer;

import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Every hyper-parameter of one FmFormer network, with the token geometry it expects from the
 * tokenizer. Two presets exist: {@link #fmformerS()} is the released configuration of the paper,
 * {@link #fmformerXs()} a smaller network for CPU-bound tests and experiments.
 *
 * <p>Token geometry (defaults): a clip of {@code frames}=10 RGB frames of {@code frameSize}=64 is
 * cut into space-time patches of {@code framePatch}=2 frames × {@code patch}=8×8 pixels, giving
 * 5×8×8 = 320 standard tokens of 3·8·8·2 = 384 values; the same clip down-sampled by 2 gives
 * 5×4×4 = 80 dilated tokens of 384 values; the current window gives 240 tokens of 3 phases.
 *
 * @param name preset name, also the DJL model name
 * @param dim token width D
 * @param depth number of {@link FmFormerBlock} layers
 * @param heads attention heads
 * @param headDim width of one head (heads × headDim need not equal D: Q/K/V project to it)
 * @param mlpDim hidden width of the feed-forward blocks
 * @param classes output classes of the classification heads and the dense head (normal, abnormal)
 * @param decoderChannels channels of the dense head's up-sampling stages, one ×2 stage each
 * @param frames frames in a clip
 * @param frameSize frame height and width in pixels
 * @param patch patch height and width in pixels
 * @param framePatch frames in one patch
 * @param channels colour channels of a frame
 * @param currentSteps current readings in a window (one token each)
 * @param currentPhases values per current reading (one per furnace phase)
 * @param modality which streams exist
 * @param denseHead whether the network also predicts the pixel mask of the clip's last frame
 * @param currentEncoder how current readings become tokens ({@link CurrentEncoder})
 * @param currentPatch readings per current token with {@link CurrentEncoder#PATCHES} (ignored otherwise)
 * @param classHeads whether the network has its per-stream classification heads; the reference's
 *        segmentation variant has the dense head instead, and then the window decision comes from
 *        the mask (see {@code org.fmfstream.model.serve.ModelHeads})
 * @param videoRawEpsilon epsilon of the LayerNorm every raw video token starts with (PyTorch's 1e-5;
 *        1e-5/255² for weights trained on raw 0..255 pixels, which this project feeds divided by 255)
 * @param currentRawEpsilon epsilon of the LayerNorm every raw current token starts with (1e-5;
 *        1e-5/1000² for weights trained on raw amperes, fed here in kA)
 * @param samplingRate frame stride s of a clip: frames i-9s .. i (1 = consecutive frames; the
 *        reference evaluates its released weights with 18)
 */
public record FmFormerConfig(
        String name,
        int dim,
        int depth,
        int heads,
        int headDim,
        int mlpDim,
        int classes,
        List<Integer> decoderChannels,
        int frames,
        int frameSize,
        int patch,
        int framePatch,
        int channels,
        int currentSteps,
        int currentPhases,
        Modality modality,
        boolean denseHead,
        CurrentEncoder currentEncoder,
        int currentPatch,
        boolean classHeads,
        float videoRawEpsilon,
        float currentRawEpsilon,
        int samplingRate) {

    /** Readings per current token of {@link CurrentEncoder#PATCHES} by default: 4 s at 2 Hz. */
    public static final int DEFAULT_CURRENT_PATCH = 8;
    /** PyTorch's default LayerNorm epsilon, used by every LayerNorm unless a configuration says otherwise. */
    public static final float LAYER_NORM_EPSILON = 1e-5f;

    /** A configuration with class heads, PyTorch's LayerNorm epsilon and consecutive clip frames. */
    public FmFormerConfig(String name, int dim, int depth, int heads, int headDim, int mlpDim, int classes,
                          List<Integer> decoderChannels, int frames, int frameSize, int patch, int framePatch,
                          int channels, int currentSteps, int currentPhases, Modality modality, boolean denseHead,
                          CurrentEncoder currentEncoder, int currentPatch) {
        this(name, dim, depth, heads, headDim, mlpDim, classes, decoderChannels, frames, frameSize, patch,
                framePatch, channels, currentSteps, currentPhases, modality, denseHead, currentEncoder,
                currentPatch, true, LAYER_NORM_EPSILON, LAYER_NORM_EPSILON, 1);
    }

    /** A configuration with the reference's current encoder ({@link CurrentEncoder#PHASE_NORM}). */
    public FmFormerConfig(String name, int dim, int depth, int heads, int headDim, int mlpDim, int classes,
                          List<Integer> decoderChannels, int frames, int frameSize, int patch, int framePatch,
                          int channels, int currentSteps, int currentPhases, Modality modality, boolean denseHead) {
        this(name, dim, depth, heads, headDim, mlpDim, classes, decoderChannels, frames, frameSize, patch,
                framePatch, channels, currentSteps, currentPhases, modality, denseHead, CurrentEncoder.PHASE_NORM,
                DEFAULT_CURRENT_PATCH);
    }

    /** Name of the released configuration (D=96, depth 6, 3 heads × 32, MLP 384). */
    public static final String FMFORMER_S = "fmformer-s";
    /** Name of the CPU-sized configuration (D=64, depth 4, 2 heads × 32, MLP 256). */
    public static final String FMFORMER_XS = "fmformer-xs";

    public FmFormerConfig {
        decoderChannels = List.copyOf(decoderChannels);
        require(name != null && !name.isBlank(), "name must not be blank");
        require(modality != null, "modality must be given");
        require(dim > 0 && depth > 0 && heads > 0 && headDim > 0 && mlpDim > 0, "sizes must be positive");
        require(classes >= 2, "at least two classes");
        require(frames > 0 && framePatch > 0 && frames % framePatch == 0,
                "frames must be a multiple of framePatch");
        // The dilated clip is the frame down-sampled by 2 and patched like the standard one.
        require(patch > 0 && frameSize % (2 * patch) == 0, "frameSize must be a multiple of 2*patch");
        require(channels > 0 && currentSteps > 0 && currentPhases > 0, "input sizes must be positive");
        // The dense head doubles the standard token grid once per decoder stage and must land
        // exactly on the frame size, because its target is the frame's pixel mask.
        require(!decoderChannels.isEmpty() && decoderChannels.stream().allMatch(c -> c > 0),
                "decoderChannels must be positive and non-empty");
        require((frameSize / patch) << decoderChannels.size() == frameSize,
                "decoder stages must up-sample the token grid to frameSize");
        require(!(denseHead && !modality.hasVideo()), "the dense head needs the video stream");
        require(currentEncoder != null, "current encoder must be given");
        require(currentPatch > 0 && currentSteps % currentPatch == 0,
                "currentSteps must be a multiple of currentPatch");
        require(classHeads || denseHead, "a network needs class heads, a dense head or both");
        require(videoRawEpsilon > 0 && currentRawEpsilon > 0 && Float.isFinite(videoRawEpsilon)
                && Float.isFinite(currentRawEpsilon), "raw LayerNorm epsilons must be finite and > 0");
        require(samplingRate >= 1, "sampling rate must be at least 1");
    }

    /** The released FmFormer configuration of the paper: cross-modal, classification variant. */
    public static FmFormerConfig fmformerS() {
        return new FmFormerConfig(FMFORMER_S, 96, 6, 3, 32, 384, 2, List.of(128, 64, 32),
                10, 64, 8, 2, 3, 240, 3, Modality.CROSS_MODAL, false);
    }

    /**
     * A smaller network with the same token geometry, sized so that a forward pass of one window
     * takes a few tens of milliseconds on two CPU cores: D=64, depth 4, 2 heads × 32, MLP 256 (4D,
     * as in the paper's preset).
     */
    public static FmFormerConfig fmformerXs() {
        return new FmFormerConfig(FMFORMER_XS, 64, 4, 2, 32, 256, 2, List.of(128, 64, 32),
                10, 64, 8, 2, 3, 240, 3, Modality.CROSS_MODAL, false);
    }

    /** A preset by name ({@value #FMFORMER_S} or {@value #FMFORMER_XS}, case-insensitive). */
    public static FmFormerConfig byName(String presetName) {
        return switch (presetName.trim().toLowerCase(Locale.ROOT)) {
            case FMFORMER_S -> fmformerS();
            case FMFORMER_XS -> fmformerXs();
            default -> throw new IllegalArgumentException("unknown FmFormer preset '" + presetName
                    + "'; known: " + FMFORMER_S + ", " + FMFORMER_XS);
        };
    }

    /**
     * This configuration with another set of streams. The dense head is kept only where the new
     * modality has the video stream it decodes.
     */
    public FmFormerConfig withModality(Modality newModality) {
        return new FmFormerConfig(name, dim, depth, heads, headDim, mlpDim, classes, decoderChannels,
                frames, frameSize, patch, framePatch, channels, currentSteps, currentPhases,
                newModality, denseHead && newModality.hasVideo(), currentEncoder, currentPatch,
                classHeads, videoRawEpsilon, currentRawEpsilon, samplingRate);
    }

    /** This configuration with another current encoder ({@code patch}: readings per token of PATCHES). */
    public FmFormerConfig withCurrentEncoder(CurrentEncoder encoder, int patch) {
        return new FmFormerConfig(name, dim, depth, heads, headDim, mlpDim, classes, decoderChannels,
                frames, frameSize, this.patch, framePatch, channels, currentSteps, currentPhases,
                modality, denseHead, encoder, patch, classHeads, videoRawEpsilon, currentRawEpsilon, samplingRate);
    }

    /** Current tokens the encoder sees (without the class token): one per reading or one per patch. */
    public int currentTokens() {
        return currentEncoder == CurrentEncoder.PATCHES ? currentSteps / currentPatch : currentSteps;
    }

    /** This configuration with the dense (mask) head switched on or off. */
    public FmFormerConfig withDenseHead(boolean on) {
        return new FmFormerConfig(name, dim, depth, heads, headDim, mlpDim, classes, decoderChannels,
                frames, frameSize, patch, framePatch, channels, currentSteps, currentPhases,
                modality, on, currentEncoder, currentPatch, classHeads, videoRawEpsilon, currentRawEpsilon,
                samplingRate);
    }

    /** This configuration with the classification heads switched on or off. */
    public FmFormerConfig withClassHeads(boolean on) {
        return new FmFormerConfig(name, dim, depth, heads, headDim, mlpDim, classes, decoderChannels,
                frames, frameSize, patch, framePatch, channels, currentSteps, currentPhases,
                modality, denseHead, currentEncoder, currentPatch, on, videoRawEpsilon, currentRawEpsilon,
                samplingRate);
    }

    /** This configuration with other epsilons of the raw-token LayerNorms (video, current). */
    public FmFormerConfig withRawEpsilons(float video, float current) {
        return new FmFormerConfig(name, dim, depth, heads, headDim, mlpDim, classes, decoderChannels,
                frames, frameSize, patch, framePatch, channels, currentSteps, currentPhases,
                modality, denseHead, currentEncoder, currentPatch, classHeads, video, current, samplingRate);
    }

    /** This configuration with another clip frame stride. */
    public FmFormerConfig withSamplingRate(int rate) {
        return new FmFormerConfig(name, dim, depth, heads, headDim, mlpDim, classes, decoderChannels,
                frames, frameSize, patch, framePatch, channels, currentSteps, currentPhases,
                modality, denseHead, currentEncoder, currentPatch, classHeads, videoRawEpsilon, currentRawEpsilon,
                rate);
    }

    /** Width of the attention projections: heads × headDim. */
    public int innerDim() {
        return heads * headDim;
    }

    /** Values in one video patch: channels × patch × patch × framePatch (384 by default). */
    public int patchDim() {
        return channels * patch * patch * framePatch;
    }

    /** Time slots of the patch grid: frames / framePatch (5 by default). */
    public int timeSlots() {
        return frames / framePatch;
    }

    /** Side of the standard token grid: frameSize / patch (8 by default). */
    public int gridSide() {
        return frameSize / patch;
    }

    /** Side of the dilated token grid: half the standard side (4 by default). */
    public int dilatedGridSide() {
        return gridSide() / 2;
    }

    /** Standard video tokens: timeSlots × gridSide² (320 by default). */
    public int standardTokens() {
        return timeSlots() * gridSide() * gridSide();
    }

    /** Dilated video tokens: timeSlots × dilatedGridSide² (80 by default). */
    public int dilatedTokens() {
        return timeSlots() * dilatedGridSide() * dilatedGridSide();
    }

    /** Video stream length in the encoder: class token, standard tokens, dilated tokens (401). */
    public int videoSequenceLength() {
        return 1 + standardTokens() + dilatedTokens();
    }

    /** Current stream length in the encoder: class token and the current tokens (241, or 31 with patches of 8). */
    public int currentSequenceLength() {
        return 1 + currentTokens();
    }

    /** Writes every field, so that {@link #fromProperties} gives an equal configuration back. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("dim", Integer.toString(dim));
        p.setProperty("depth", Integer.toString(depth));
        p.setProperty("heads", Integer.toString(heads));
        p.setProperty("headDim", Integer.toString(headDim));
        p.setProperty("mlpDim", Integer.toString(mlpDim));
        p.setProperty("classes", Integer.toString(classes));
        p.setProperty("decoderChannels",
                decoderChannels.stream().map(String::valueOf).collect(Collectors.joining(",")));
        p.setProperty("frames", Integer.toString(frames));
        p.setProperty("frameSize", Integer.toString(frameSize));
        p.setProperty("patch", Integer.toString(patch));
        p.setProperty("framePatch", Integer.toString(framePatch));
        p.setProperty("channels", Integer.toString(channels));
        p.setProperty("currentSteps", Integer.toString(currentSteps));
        p.setProperty("currentPhases", Integer.toString(currentPhases));
        p.setProperty("modality", modality.name());
        p.setProperty("denseHead", Boolean.toString(denseHead));
        p.setProperty("currentEncoder", currentEncoder.name());
        p.setProperty("currentPatch", Integer.toString(currentPatch));
        p.setProperty("classHeads", Boolean.toString(classHeads));
        p.setProperty("videoRawEpsilon", Float.toString(videoRawEpsilon));
        p.setProperty("currentRawEpsilon", Float.toString(currentRawEpsilon));
        p.setProperty("samplingRate", Integer.toString(samplingRate));
        return p;
    }

    /**
     * Reads a configuration written by {@link #toProperties}; every field must be present except those
     * added later, which older models lack: the current encoder ({@link CurrentEncoder#PHASE_NORM}),
     * class heads (present), raw epsilons ({@value #LAYER_NORM_EPSILON}) and sampling rate (1).
     */
    public static FmFormerConfig fromProperties(Properties p) {
        return new FmFormerConfig(
                text(p, "name"),
                integer(p, "dim"),
                integer(p, "depth"),
                integer(p, "heads"),
                integer(p, "headDim"),
                integer(p, "mlpDim"),
                integer(p, "classes"),
                List.of(text(p, "decoderChannels").split(",")).stream()
                        .map(s -> Integer.valueOf(s.trim())).toList(),
                integer(p, "frames"),
                integer(p, "frameSize"),
                integer(p, "patch"),
                integer(p, "framePatch"),
                integer(p, "channels"),
                integer(p, "currentSteps"),
                integer(p, "currentPhases"),
                Modality.valueOf(text(p, "modality")),
                Boolean.parseBoolean(text(p, "denseHead")),
                CurrentEncoder.valueOf(p.getProperty("currentEncoder", CurrentEncoder.PHASE_NORM.name()).trim()),
                p.containsKey("currentPatch") ? integer(p, "currentPatch") : DEFAULT_CURRENT_PATCH,
                !p.containsKey("classHeads") || Boolean.parseBoolean(text(p, "classHeads")),
                p.containsKey("videoRawEpsilon") ? decimal(p, "videoRawEpsilon") : LAYER_NORM_EPSILON,
                p.containsKey("currentRawEpsilon") ? decimal(p, "currentRawEpsilon") : LAYER_NORM_EPSILON,
                p.containsKey("samplingRate") ? integer(p, "samplingRate") : 1);
    }

    private static float decimal(Properties p, String key) {
        try {
            return Float.parseFloat(text(p, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FmFormer configuration '" + key + "' is not a number", e);
        }
    }

    private static String text(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("FmFormer configuration lacks '" + key + "'");
        }
        return value.trim();
    }

    private static int integer(Properties p, String key) {
        try {
            return Integer.parseInt(text(p, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FmFormer configuration '" + key + "' is not an integer", e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid FmFormer configuration: " + message);
        }
    }
}
