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
import org.fmfstream.model.serve.FmFormerPredictor;
import org.fmfstream.model.serve.ModelSource;
import org.fmfstream.model.serve.PredictorConfig;
import org.fmfstream.model.serve.ScoreBuffers;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
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
    /** File name of the mask overlay grid. */
    public static final String GRID = "sample-masks.png";

    /** A named model to evaluate. */
    public record Variant(String name, ModelSource source) {}

    /**
     * @param batchSize  windows per predictor call
     * @param threshold  decision threshold on the abnormal probability
     * @param heavyMist  mist level (0..1, from the simulator sidecar) from which a window counts as heavy mist
     * @param maxSamples evaluate at most this many windows, evenly spaced over the split (0 = all)
     * @param gridTiles  frames in the overlay grid (half abnormal where possible)
     */
    public record Settings(int batchSize, double threshold, double heavyMist, int maxSamples, int gridTiles) {
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("threshold must be inside (0, 1), got " + threshold);
            }
            if (maxSamples < 0 || gridTiles < 0) {
                throw new IllegalArgumentException("max samples and grid tiles must not be negative");
            }
        }
    }

    /** What was written. */
    public record Result(EvaluationReport report, EvaluationReport.Written files, Path grid) {}

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
        for (int v = 0; v < variants.size(); v++) {
            Variant variant = variants.get(v);
            score(variant, indexes, report, v == 0 ? gridWindows : new int[0], tiles);
        }
        EvaluationReport.Written files = report.writeTo(out);
        Path grid = null;
        if (!tiles.isEmpty()) {
            grid = out.resolve(GRID);
            new MaskOverlayGrid().write(tiles, grid);
        }
        return new Result(report, files, grid);
    }

    private void score(Variant variant, int[] indexes, EvaluationReport report, int[] gridWindows,
                       List<MaskOverlayGrid.Tile> tiles) throws IOException, MalformedModelException {
        TokenizerSpec spec = data.spec();
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(spec);
        int batch = settings.batchSize();
        float[] standard = new float[batch * spec.standardLength()];
        float[] dilated = new float[batch * spec.dilatedLength()];
        float[] current = new float[batch * spec.currentLength()];
        ScoreBuffers scores = ScoreBuffers.forBatch(batch);
        byte[] truth = new byte[batch * spec.maskPixels()];
        int[] labels = new int[spec.maskPixels()];

        ScoredSamples all = new ScoredSamples();
        ScoredSamples mist = new ScoredSamples();
        SegmentationMetrics allMasks = new SegmentationMetrics(spec.maskPixels());
        SegmentationMetrics mistMasks = new SegmentationMetrics(spec.maskPixels());
        long started = System.nanoTime();
        try (FmFormerPredictor predictor = FmFormerPredictor.open(variant.source(), PredictorConfig.defaults(batch))) {
            log.accept(String.format(Locale.ROOT, "%s: %s (sha256 %s), %d windows", variant.name(),
                    predictor.identity().name(), predictor.identity().sha256(), indexes.length));
            Window[] windows = new Window[batch];
            for (int from = 0; from < indexes.length; from += batch) {
                int n = Math.min(batch, indexes.length - from);
                for (int b = 0; b < n; b++) {
                    Window w = data.window(indexes[from + b]);
                    windows[b] = w;
                    tokenizer.tokenizeInto(w.clip(), w.current(), standard, b * spec.standardLength(),
                            dilated, b * spec.dilatedLength(), current, b * spec.currentLength());
                    w.mask().writeLabels(labels, 0);
                    for (int p = 0; p < labels.length; p++) {
                        truth[b * labels.length + p] = (byte) labels[p];
                    }
                }
                predictor.predict(standard, dilated, current, n, scores);
                for (int b = 0; b < n; b++) {
                    WindowSample sample = windows[b].sample();
                    float probability = scores.probabilities()[b];
                    all.add(sample.abnormal(), probability);
                    allMasks.add(scores.maskProbabilities(), b * labels.length, truth, b * labels.length);
                    if (sample.mistAtLeast(settings.heavyMist())) {
                        mist.add(sample.abnormal(), probability);
                        mistMasks.add(scores.maskProbabilities(), b * labels.length, truth, b * labels.length);
                    }
                    if (contains(gridWindows, indexes[from + b])) {
                        tiles.add(tile(windows[b], scores, b, truth));
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ClassificationMetrics metrics = all.metrics(settings.threshold());
        boolean masks = producesMasks(variant.source());
        report.add(variant.name(), metrics, masks ? allMasks : null);
        if (mist.size() > 0) {
            report.add(variant.name(), HEAVY_MIST, mist.metrics(settings.threshold()), masks ? mistMasks : null);
        }
        log.accept(String.format(Locale.ROOT, "%s: accuracy %.4f, F1 %.4f, AUROC %.4f, anomaly IoU %.4f "
                        + "(%.1f windows/s); heavy-mist windows: %d", variant.name(), metrics.accuracy(), metrics.f1(),
                metrics.auroc(), allMasks.anomalyIoU(), indexes.length / seconds, mist.size()));
    }

    /**
     * Whether the model has a dense head. A model without one answers with an all-zero mask (the
     * output convention), which would score as "every pixel 50% abnormal": its pixel metrics are
     * left out of the report instead. A TorchScript file is taken to produce masks.
     */
    static boolean producesMasks(ModelSource source) throws IOException {
        if (source instanceof ModelSource.SavedFmFormerDirectory saved) {
            // The configuration refuses a dense head without video, so this covers current-only too.
            return org.fmfstream.model.fmformer.FmFormerModel.configIn(saved.directory()).denseHead();
        }
        return true;
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
