package org.fmfstream.jobs.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import org.fmfstream.jobs.simulator.SimulatedWindows;
import org.fmfstream.model.dataset.BenchmarkFormatException;
import org.fmfstream.model.fmformer.CurrentEncoder;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.Modality;
import org.fmfstream.model.train.FmFormerTraining;
import org.fmfstream.model.train.LearningRateDecay;
import org.fmfstream.model.train.TrainingConfig;
import org.fmfstream.model.train.TrainingResult;
import org.fmfstream.model.train.TrainingState;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./fmf train}: trains FmFormer on a benchmark-layout directory (train split; test split validates). */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Trains FmFormer on a benchmark-layout directory (./fmf simulate --export, or the public benchmark): "
                        + "train.json for the updates, test.json for a validation pass after every epoch; or with "
                        + "--simulate on simulated furnaces rendered on the fly (validation on other furnaces).",
                "Writes OUT/epoch-N/ checkpoints, OUT/training-state.json and OUT/final/; prints the final "
                        + "parameter file's SHA-256. Progress goes to stderr. Same seed and data give the same weights."})
public final class TrainCommand implements Callable<Integer> {
    private static final TrainingConfig DEFAULTS = TrainingConfig.builder().build();

    /** The streams a model looks at, as the command line names them. */
    enum ModalityOption {
        CROSS(Modality.CROSS_MODAL), VIDEO(Modality.VIDEO_ONLY), CURRENT(Modality.CURRENT_ONLY);

        final Modality modality;

        ModalityOption(Modality modality) {
            this.modality = modality;
        }
    }

    @Spec
    private CommandSpec spec;

    /** Where the windows come from: a benchmark-layout directory, or furnaces simulated on the fly. */
    static final class Source {
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Benchmark-layout directory.")
        Path data;

        @Option(names = "--simulate", required = true,
                description = "Train on simulated furnaces rendered on the fly, a new furnace for every few windows,"
                        + " each with its own camera look, mist, episodes, current lead and clocks; validation on"
                        + " other furnaces. Needs --max-samples (windows per epoch).")
        boolean simulate;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Source source;

    @Option(names = "--furnaces-per-chunk",
            description = "With --simulate: furnaces whose windows are shuffled together (default: ${DEFAULT-VALUE}).")
    private int furnacesPerChunk = 32;

    @Option(names = "--windows-per-furnace",
            description = "With --simulate: windows scored per simulated furnace (default: ${DEFAULT-VALUE}).")
    private int windowsPerFurnace = 8;

    @Option(names = "--validation-furnaces",
            description = "With --simulate: furnaces of the validation family (default: ${DEFAULT-VALUE}).")
    private int validationFurnaces = 48;

    @Option(names = "--onset-share", paramLabel = "SHARE",
            description = "With --simulate: share of each training furnace's windows scored in the first 10 s of one of"
                    + " its episodes, where the spot is young and faint; validation stays evenly drawn. Pass the same"
                    + " value to --resume (default: ${DEFAULT-VALUE}).")
    private double onsetShare = 0;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory (checkpoints, state, final model).")
    private Path out;

    @Option(names = "--resume",
            description = "Continue the run in --out from its last checkpoint with its saved settings (only --epochs may change).")
    private boolean resume;

    @Option(names = "--preset", description = "fmformer-xs or fmformer-s (default: ${DEFAULT-VALUE}).")
    private String preset = "fmformer-xs";

    @Option(names = "--modality", description = "cross, video or current (default: ${DEFAULT-VALUE}).")
    private ModalityOption modality = ModalityOption.CROSS;

    @Option(names = "--dense-head", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Train the mask head too (default: on; off for --modality current).")
    private boolean denseHead;

    @Option(names = "--current-encoder",
            description = "phase_norm (the reference: one token per reading, normalised over its phases) or patches"
                    + " (fixed standardisation, one token per --current-patch readings) (default: ${DEFAULT-VALUE}).")
    private String currentEncoder = "phase_norm";

    @Option(names = "--current-patch", description = "Readings per current token with --current-encoder patches"
            + " (default: ${DEFAULT-VALUE}).")
    private int currentPatch = FmFormerConfig.DEFAULT_CURRENT_PATCH;

    @Option(names = "--epochs", description = "Epochs (default: 30; with --resume: the new total).")
    private Integer epochs;

    @Option(names = "--batch", description = "Windows per step (default: ${DEFAULT-VALUE}).")
    private int batch = DEFAULTS.batchSize();

    @Option(names = "--lr", description = "Adam base learning rate (default: ${DEFAULT-VALUE}).")
    private float learningRate = DEFAULTS.learningRate();

    @Option(names = "--warm-up", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    private int warmUp = DEFAULTS.warmUpSteps();

    @Option(names = "--decay", description = "none, step or cosine (default: ${DEFAULT-VALUE}).")
    private LearningRateDecay decay = DEFAULTS.decay();

    @Option(names = "--step-decay-epoch", description = "First epoch at the decayed rate with --decay step (default: ${DEFAULT-VALUE}).")
    private int stepDecayEpoch = DEFAULTS.stepDecayEpoch();

    @Option(names = "--step-decay-factor", description = "Factor of --decay step (default: ${DEFAULT-VALUE}).")
    private float stepDecayFactor = DEFAULTS.stepDecayFactor();

    @Option(names = "--weight-decay", description = "Decoupled (AdamW) weight decay, 0 = Adam (default: ${DEFAULT-VALUE}).")
    private float weightDecay = DEFAULTS.weightDecay();

    @Option(names = "--seed", description = "Seed of initialisation, order and flips (default: ${DEFAULT-VALUE}).")
    private long seed = DEFAULTS.seed();

    @Option(names = "--sampling-rate", description = "Frame stride s of a clip i-9s..i, from files and with --simulate; the saved model carries it"
                    + " and the job's aligner cuts clips at it (default: ${DEFAULT-VALUE}).")
    private int samplingRate = DEFAULTS.samplingRate();

    @Option(names = "--mask-loss-weight", description = "Weight of the pixel loss (default: ${DEFAULT-VALUE}).")
    private float maskLossWeight = DEFAULTS.maskLossWeight();

    @Option(names = "--abnormal-pixel-weight",
            description = "Class weight of abnormal pixels in the pixel cross-entropy (default: ${DEFAULT-VALUE}).")
    private float abnormalPixelWeight = DEFAULTS.abnormalPixelWeight();

    @Option(names = "--max-samples", description = "Training windows per epoch, 0 = the whole split (default: ${DEFAULT-VALUE}).")
    private int maxSamples = DEFAULTS.maxSamplesPerEpoch();

    @Option(names = "--max-validation-samples",
            description = "Validation windows, evenly spread over the test split; 0 = all (default: ${DEFAULT-VALUE}).")
    private int maxValidationSamples = DEFAULTS.maxValidationSamples();

    @Option(names = "--balanced", description = "Draw abnormal and normal windows equally often.")
    private boolean balanced;

    @Option(names = "--flip", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Random horizontal flip of clip and mask (default: on).")
    private boolean flip;

    @Option(names = "--threads", description = "PyTorch threads, 0 = engine default (default: ${DEFAULT-VALUE}).")
    private int threads = DEFAULTS.threads();

    @Option(names = "--contrastive-weight",
            description = "Weight of the supervised contrastive loss on the class tokens, 0 = off (default: ${DEFAULT-VALUE}).")
    private float contrastiveWeight = DEFAULTS.contrastiveWeight();

    @Option(names = "--contrastive-temperature",
            description = "Temperature of the contrastive loss (default: ${DEFAULT-VALUE}).")
    private float contrastiveTemperature = DEFAULTS.contrastiveTemperature();

    @Option(names = "--modality-dropout", paramLabel = "SHARE",
            description = "Cross-modal models: share of training windows that lose their video (half) or their current"
                    + " (half), so each head learns to decide alone (default: ${DEFAULT-VALUE}).")
    private float modalityDropout = DEFAULTS.modalityDropout();

    @Option(names = "--init-from", paramLabel = "DIR",
            description = "Start from the weights of this saved model (same preset, modality and encoders), e.g. to"
                    + " fine-tune a shipped model; optimiser and schedule start afresh (default: seeded initialisation).")
    private Path initFrom;

    @Override
    public Integer call() {
        TrainingResult result;
        PrintWriter log = spec.commandLine().getErr();
        int totalEpochs = epochs == null ? 0 : epochs;
        try {
            if (source.simulate) {
                // A resumed run renders clips at the stride it was configured with, whatever the flag says.
                int clipStride = resume ? TrainingState.read(out).config().samplingRate() : samplingRate;
                SimulatedWindows windows = new SimulatedWindows(furnacesPerChunk, windowsPerFurnace, validationFurnaces,
                        onsetShare, clipStride);
                result = resume ? FmFormerTraining.resume(windows, out, totalEpochs, log)
                        : FmFormerTraining.run(config(), windows, out, log);
            } else {
                result = resume ? FmFormerTraining.resume(source.data, out, totalEpochs, log)
                        : FmFormerTraining.run(config(), source.data, out, log);
            }
        } catch (BenchmarkFormatException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("fmf train: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            spec.commandLine().getErr().println("fmf train: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println("final model " + result.finalModel().directory()
                + " sha256 " + result.finalModel().paramsSha256());
        return 0;
    }

    private TrainingConfig config() {
        try {
            TrainingConfig.Builder b = TrainingConfig.builder().preset(preset).modality(modality.modality);
            b.model(b.build().model().withCurrentEncoder(
                    CurrentEncoder.valueOf(currentEncoder.toUpperCase(java.util.Locale.ROOT)), currentPatch));
            if (modality.modality.hasVideo()) {
                b.denseHead(denseHead);
            } else if (spec.commandLine().getParseResult().hasMatchedOption("--dense-head") && denseHead) {
                throw new IllegalArgumentException("--dense-head needs the video stream; --modality current has none");
            }
            return b.epochs(epochs == null ? DEFAULTS.epochs() : epochs).batchSize(batch).learningRate(learningRate)
                    .warmUpSteps(warmUp).decay(decay).stepDecayEpoch(stepDecayEpoch).stepDecayFactor(stepDecayFactor)
                    .weightDecay(weightDecay).seed(seed).samplingRate(samplingRate).maskLossWeight(maskLossWeight)
                    .abnormalPixelWeight(abnormalPixelWeight).maxSamplesPerEpoch(maxSamples)
                    .maxValidationSamples(maxValidationSamples).balanced(balanced).flip(flip).threads(threads)
                    .contrastiveWeight(contrastiveWeight).contrastiveTemperature(contrastiveTemperature)
                    .modalityDropout(modalityDropout)
                    .initFrom(initFrom == null ? null : initFrom.toAbsolutePath().toString())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
