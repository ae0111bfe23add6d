package org.fmfstream.model.eval;

import ai.djl.MalformedModelException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.fmfstream.model.data.Window;
import org.fmfstream.model.data.WindowDataset;
import org.fmfstream.model.data.WindowSample;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.FmFormerPredictor;
import org.fmfstream.model.serve.ModelSource;
import org.fmfstream.model.serve.PredictorConfig;
import org.fmfstream.model.serve.ScoreBuffers;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * Scores the windows of a test split with one or more model variants (cross-modal, video-only,
 * current-only...) through the same predictor the stream uses, and writes the report: metrics per
 * variant on all windows and on the heavy-mist subset, a precision-recall plot, and a grid of sample
 * frames with predicted and true masks for the first variant.
 */
public final class ModelEvaluation {
    /** Report subset of windows whose mist level is at least {@link Settings#heavyMist()}. */
    public static final String HEAVY_MIST = "heavy mist";
    /** Report subsets of a cross-modal model: its video and its current class head alone, at 0.5. */
    public static final String VIDEO_HEAD = "video head alone";
    public static final String CURRENT_HEAD = "current head alone";
    /** File name of the mask overlay grid. */
    public static final String GRID = "sample-masks.png";

    /** A named model to evaluate. */
    public record Variant(String name, ModelSource source) {}

    /**
     * @param batchSize  windows per predictor call
     * @param threshold  decision threshold on the abnormal probability; NaN = each model's own
     *                   ({@link DecisionRule} in its directory, 0.5 without one)
     * @param heavyMist  mist level (0..1, from the simulator sidecar) from which a window counts as heavy mist
     * @param maxSamples evaluate at most this many windows, evenly spaced over the split (0 = all)
     * @param gridTiles  frames in the overlay grid (half abnormal where possible)
     * @param minMaskPixels mask pixels the decision needs; -1 = each model's own
     * @param episodeK   flagged windows an episode needs to count as detected
     */
    public record Settings(int batchSize, double threshold, double heavyMist, int maxSamples, int gridTiles,
                           int minMaskPixels, int episodeK) {
        /** Settings with the given threshold, the model's mask-pixel minimum and episodes detected by 1 window. */
        public Settings(int batchSize, double threshold, double heavyMist, int maxSamples, int gridTiles) {
            this(batchSize, threshold, heavyMist, maxSamples, gridTiles, -1, 1);
        }

        /** The rule a model is decided by: its own, with this evaluation's overrides. */
        public DecisionRule ruleFor(DecisionRule own) {
            DecisionRule rule = Double.isNaN(threshold) ? own : own.withThreshold(threshold);
            return minMaskPixels < 0 ? rule : rule.withMinMaskPixels(minMaskPixels);
        }

        public Settings {
            if (episodeK < 1) {
                throw new IllegalArgumentException("episodes need at least 1 flagged window, got " + episodeK);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (!Double.isNaN(threshold) && !(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("threshold must be inside (0, 1), got " + threshold);
            }
            if (maxSamples < 0 || gridTiles < 0) {
                throw new IllegalArgumentException("max samples and grid tiles must not be negative");
            }
        }
    }

    /** Markdown of the per-furnace and per-episode figures of every variant. */
    public static final String FURNACES = "furnaces.md";

    /** What was written; {@code furnaces} holds each variant's per-furnace figures, in order. */
    public record Result(EvaluationReport report, EvaluationReport.Written files, Path grid,
                         List<FurnaceReport> furnaces) {}

    private final WindowDataset data;
    private final Settings settings;
    private final Consumer<String> log;

    public ModelEvaluation(WindowDataset data, Settings settings, Consumer<String> log) {
        this.data = data;
        this.settings = settings;
        this.log = log;
    }

    /** Evaluates every variant and writes the report files into {@code out}. */
    public Result run(List<Variant> variants, String title, Path out) throws IOException, MalformedModelException {
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("no model to evaluate");
        }
        int[] indexes = chosenWindows();
        int[] gridWindows = gridWindows(indexes);
        EvaluationReport report = new EvaluationReport(title);
        List<MaskOverlayGrid.Tile> tiles = new ArrayList<>();
        List<FurnaceReport> furnaces = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            Variant variant = variants.get(v);
            furnaces.add(score(variant, indexes, report, v == 0 ? gridWindows : new int[0], tiles, out));
        }
        EvaluationReport.Written files = report.writeTo(out);
        StringBuilder md = new StringBuilder("## Per furnace and per episode\n\n");
        for (FurnaceReport f : furnaces) {
            md.append(f.markdown());
            f.writePlot(out.resolve("furnaces-" + f.variant().replaceAll("[^A-Za-z0-9._-]", "_") + ".png"));
        }
        java.nio.file.Files.writeString(out.resolve(FURNACES), md.toString());
        Path grid = null;
        if (!tiles.isEmpty()) {
            grid = out.resolve(GRID);
            new MaskOverlayGrid().write(tiles, grid);
        }
        return new Result(report, files, grid, furnaces);
    }

    private FurnaceReport score(Variant variant, int[] indexes, EvaluationReport report, int[] gridWindows,
                                List<MaskOverlayGrid.Tile> tiles, Path out) throws IOException, MalformedModelException {
        boolean masks = producesMasks(variant.source());
        DecisionRule rule = settings.ruleFor(variant.source().decisionRule());
        FurnaceReport furnaces = new FurnaceReport(variant.name(), rule, settings.episodeK());
        TokenizerSpec spec = data.spec();
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(spec);
        int batch = settings.batchSize();
        TokenBuffers tokens = TokenBuffers.forWindows(spec, batch);
        ScoreBuffers scores = ScoreBuffers.forBatch(batch);
        byte[] truth = new byte[batch * spec.maskPixels()];
        int[] labels = new int[spec.maskPixels()];

        ScoredSamples all = new ScoredSamples();
        ScoredSamples mist = new ScoredSamples();
        // Each class head alone (softmax of its own logits): with modality dropout in training each
        // learned to decide on its own, so this is the model's single-stream ablation.
        ScoredSamples videoHead = new ScoredSamples();
        ScoredSamples currentHead = new ScoredSamples();
        SegmentationMetrics allMasks = new SegmentationMetrics(spec.maskPixels());
        SegmentationMetrics mistMasks = new SegmentationMetrics(spec.maskPixels());
        long started = System.nanoTime();
        try (FmFormerPredictor predictor = FmFormerPredictor.open(variant.source(), PredictorConfig.defaults(batch));
             WindowScoresCsv rows = new WindowScoresCsv(out.resolve(WindowScoresCsv.fileName(variant.name())))) {
            log.accept(String.format(Locale.ROOT, "%s: %s (sha256 %s), %d windows", variant.name(),
                    predictor.identity().name(), predictor.identity().sha256(), indexes.length));
            Window[] windows = new Window[batch];
            for (int from = 0; from < indexes.length; from += batch) {
                int n = Math.min(batch, indexes.length - from);
                for (int b = 0; b < n; b++) {
                    Window w = data.window(indexes[from + b]);
                    windows[b] = w;
                    tokenizer.tokenizeInto(w.clip(), w.current(), tokens, b);
                    w.mask().writeLabels(labels, 0);
                    for (int p = 0; p < labels.length; p++) {
                        truth[b * labels.length + p] = (byte) labels[p];
                    }
                }
                predictor.predict(tokens, n, scores);
                for (int b = 0; b < n; b++) {
                    WindowSample sample = windows[b].sample();
                    float probability = scores.probabilities()[b];
                    double videoAlone = abnormalProbability(scores.videoLogits(), b);
                    double currentAlone = abnormalProbability(scores.currentLogits(), b);
                    videoHead.add(sample.abnormal(), videoAlone);
                    currentHead.add(sample.abnormal(), currentAlone);
                    int maskPixels = DecisionRule.maskPixels(scores.maskProbabilities(), b * labels.length,
                            (b + 1) * labels.length);
                    boolean flagged = rule.isAnomaly(probability, maskPixels, masks);
                    furnaces.add(sample, flagged,
                            sample.episode() >= 0 ? data.episodeOnsetMicros(sample.recording(), sample.episode()) : null);
                    rows.add(sample, probability, videoAlone, currentAlone, masks ? maskPixels : 0,
                            masks ? DecisionRule.strongestPixel(scores.maskProbabilities(), b * labels.length,
                                    (b + 1) * labels.length) : 0,
                            flagged);
                    // The window's decision score: P(abnormal) where the rule's mask evidence holds, else 0,
                    // so that the metric table at the rule's threshold is the rule's decision.
                    double decisionScore = masks && maskPixels < rule.minMaskPixels() ? 0 : probability;
                    all.add(sample.abnormal(), decisionScore);
                    allMasks.add(scores.maskProbabilities(), b * labels.length, truth, b * labels.length);
                    if (sample.mistAtLeast(settings.heavyMist())) {
                        mist.add(sample.abnormal(), decisionScore);
                        mistMasks.add(scores.maskProbabilities(), b * labels.length, truth, b * labels.length);
                    }
                    if (contains(gridWindows, indexes[from + b])) {
                        tiles.add(tile(windows[b], scores, b, truth));
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ClassificationMetrics metrics = all.metrics(rule.threshold());
        report.add(variant.name(), metrics, masks ? allMasks : null);
        // Head-alone rows need both class heads (a mask-only model's class logits are zeros).
        if (variant.source() instanceof ModelSource.SavedFmFormerDirectory saved
                && org.fmfstream.model.fmformer.FmFormerModel.configIn(saved.directory()).modality().isCrossModal()
                && variant.source().heads().classHeads()) {
            report.add(variant.name(), VIDEO_HEAD, videoHead.metrics(0.5), null);
            report.add(variant.name(), CURRENT_HEAD, currentHead.metrics(0.5), null);
        }
        if (mist.size() > 0) {
            report.add(variant.name(), HEAVY_MIST, mist.metrics(rule.threshold()), masks ? mistMasks : null);
        }
        log.accept(String.format(Locale.ROOT, "%s: accuracy %.4f, F1 %.4f, AUROC %.4f, anomaly IoU %.4f "
                        + "(%.1f windows/s); heavy-mist windows: %d", variant.name(), metrics.accuracy(), metrics.f1(),
                metrics.auroc(), allMasks.anomalyIoU(), indexes.length / seconds, mist.size()));
        FurnaceReport.Spread far = furnaces.falseAlarmsPerFurnace();
        long detected = furnaces.episodes().stream().filter(FurnaceReport.Episode::detected).count();
        double[] o = furnaces.overall();
        log.accept(String.format(Locale.ROOT, "%s: rule P >= %.4f and >= %d mask pixels: accuracy %.4f, F1 %.4f, false"
                        + " alarms %.4f, per furnace min/median/max %.4f/%.4f/%.4f, episodes detected %d of %d",
                variant.name(), rule.threshold(), rule.minMaskPixels(), o[0], o[3], o[4], far.min(), far.median(),
                far.max(), detected, furnaces.episodes().size()));
        return furnaces;
    }

    /** Softmax probability of the abnormal class from window b's two logits. */
    private static double abnormalProbability(float[] logits, int b) {
        double normal = logits[2 * b];
        double abnormal = logits[2 * b + 1];
        return 1 / (1 + Math.exp(normal - abnormal));
    }

    /**
     * Whether the model has a dense head. A model without one answers with an all-zero mask (the
     * output convention), which would score as "every pixel 50% abnormal": its pixel metrics are
     * left out of the report instead. A TorchScript file is taken to produce masks.
     */
    static boolean producesMasks(ModelSource source) {
        // The configuration refuses a dense head without video, so this covers current-only too.
        return source.heads().denseHead();
    }

    private MaskOverlayGrid.Tile tile(Window window, ScoreBuffers scores, int b, byte[] truth) {
        int pixels = data.spec().maskPixels();
        byte[] lastFrame = window.clip().frame(window.clip().frameCount() - 1).clone();
        float[] probabilities = java.util.Arrays.copyOfRange(scores.maskProbabilities(), b * pixels, (b + 1) * pixels);
        byte[] mask = java.util.Arrays.copyOfRange(truth, b * pixels, (b + 1) * pixels);
        return new MaskOverlayGrid.Tile(lastFrame, mask, probabilities, window.sample().abnormal(),
                scores.probabilities()[b]);
    }

    /** All windows, or {@code maxSamples} of them evenly spaced (deterministic, keeps episodes' share). */
    int[] chosenWindows() {
        int size = data.size();
        int n = settings.maxSamples() == 0 ? size : Math.min(size, settings.maxSamples());
        int[] indexes = new int[n];
        for (int k = 0; k < n; k++) {
            indexes[k] = (int) ((long) k * size / n);
        }
        return indexes;
    }

    /** Windows for the overlay grid: abnormal ones first (half the tiles), the rest normal, evenly spread. */
    private int[] gridWindows(int[] indexes) {
        List<Integer> abnormal = new ArrayList<>();
        List<Integer> normal = new ArrayList<>();
        for (int i : indexes) {
            (data.sample(i).abnormal() ? abnormal : normal).add(i);
        }
        int wantAbnormal = Math.min(abnormal.size(), (settings.gridTiles() + 1) / 2);
        int wantNormal = Math.min(normal.size(), settings.gridTiles() - wantAbnormal);
        int[] chosen = new int[wantAbnormal + wantNormal];
        for (int k = 0; k < wantAbnormal; k++) {
            chosen[k] = abnormal.get(k * abnormal.size() / wantAbnormal);
        }
        for (int k = 0; k < wantNormal; k++) {
            chosen[wantAbnormal + k] = normal.get(k * normal.size() / wantNormal);
        }
        return chosen;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
