package org.fmfstream.jobs.model;

import ai.djl.MalformedModelException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fmfstream.model.dataset.BenchmarkFormatException;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.data.WindowDataset;
import org.fmfstream.model.eval.ModelEvaluation;
import org.fmfstream.model.serve.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./fmf evaluate}: metrics, report and pictures for one or more models on a test split. */
@Command(name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Scores the test split of a benchmark-layout directory with each --model and writes "
                        + "OUT/evaluation.md, OUT/evaluation.json, OUT/precision-recall.png, OUT/sample-masks.png, "
                        + "OUT/furnaces.md (per furnace and per episode, with each model's decision rule), "
                        + "OUT/furnaces-MODEL.png, and every window's scores and decision in OUT/windows-MODEL.csv.",
                "Metrics per model on all windows and on the heavy-mist subset (simulator exports carry the "
                        + "mist level per frame): accuracy, precision, recall, F1, false-detection and "
                        + "missed-detection rates, AUROC, average precision, pixel accuracy, mean IoU, anomaly IoU."})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Benchmark-layout directory with test.json.")
    private Path data;

    @Option(names = "--model", required = true, paramLabel = "NAME=PATH",
            description = "A model to evaluate: a saved FmFormer directory (e.g. a run's final/) or a TorchScript "
                    + ".pt file, named in the report; repeat for ablations, the first one also draws the sample grid.")
    private List<String> models = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the report goes.")
    private Path out;

    @Option(names = "--batch", description = "Windows per predictor call (default: ${DEFAULT-VALUE}).")
    private int batch = 16;

    @Option(names = "--threshold",
            description = "Decision threshold on P(abnormal) (default: each model's calibrated one, 0.5 without).")
    private double threshold = Double.NaN;

    @Option(names = "--min-mask-pixels",
            description = "Mask pixels the decision needs as well (default: each model's calibrated number, 0 without).")
    private int minMaskPixels = -1;

    @Option(names = "--episode-k", paramLabel = "K",
            description = "Flagged windows an episode needs to count as detected (default: ${DEFAULT-VALUE}).")
    private int episodeK = 1;

    @Option(names = "--heavy-mist", paramLabel = "LEVEL",
            description = "Mist level from which a window is in the heavy-mist subset (default: ${DEFAULT-VALUE}).")
    private double heavyMist = 0.6;

    @Option(names = "--max-samples", description = "Evaluate at most N windows, evenly spread (default: all).")
    private int maxSamples = 0;

    @Option(names = "--grid", paramLabel = "N", description = "Sample frames in the mask grid (default: ${DEFAULT-VALUE}).")
    private int grid = 12;

    @Option(names = "--sampling-rate", paramLabel = "S",
            description = "Clip frame spacing s (frames i-9s .. i) (default: the models' own, recorded in their"
                    + " configuration; models compared in one run must share it).")
    private int samplingRate = 0;

    @Override
    public Integer call() {
        ModelEvaluation.Settings settings;
        List<ModelEvaluation.Variant> variants = new ArrayList<>();
        try {
            settings = new ModelEvaluation.Settings(batch, threshold, heavyMist, maxSamples, grid, minMaskPixels,
                    episodeK);
            for (Map.Entry<String, Path> m : parseModels().entrySet()) {
                variants.add(new ModelEvaluation.Variant(m.getKey(), ModelSource.of(m.getValue(), null, null)));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            int stride = samplingRate > 0 ? samplingRate : modelsSamplingRate(variants);
            WindowDataset dataset = WindowDataset.open(data, BenchmarkLayout.Split.TEST, stride);
            ModelEvaluation.Result result = new ModelEvaluation(dataset, settings, line -> {
                err.println("evaluate: " + line);
                err.flush();
            }).run(variants, "FmFormer evaluation on " + data.getFileName() + " (test split)", out);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(result.report().markdown());
            stdout.println();
            stdout.println("Written: " + result.files().markdown() + ", " + result.files().json() + ", "
                    + result.files().precisionRecallPlot() + (result.grid() == null ? "" : ", " + result.grid()));
            stdout.flush();
            return 0;
        } catch (BenchmarkFormatException | IllegalArgumentException | IllegalStateException e) {
            err.println("fmf evaluate: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException | MalformedModelException e) {
            err.println("fmf evaluate: " + e.getMessage());
            return 1;
        }
    }

    /** The clip stride every model was trained with; they must agree to share one dataset. */
    private int modelsSamplingRate(List<ModelEvaluation.Variant> variants) {
        Map<String, Integer> rates = new LinkedHashMap<>();
        for (ModelEvaluation.Variant v : variants) {
            try {
                rates.put(v.name(), v.source().samplingRate());
            } catch (UncheckedIOException e) {
                throw new IllegalArgumentException("model '" + v.name() + "': " + e.getMessage(), e);
            }
        }
        if (rates.values().stream().distinct().count() > 1) {
            throw new IllegalArgumentException("the models were trained with different clip sampling rates " + rates
                    + "; evaluate them in separate runs, or force one with --sampling-rate");
        }
        return rates.values().iterator().next();
    }

    private Map<String, Path> parseModels() {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (String m : models) {
            int eq = m.indexOf('=');
            String name = eq > 0 ? m.substring(0, eq) : Path.of(m).getFileName().toString();
            Path path = Path.of(eq > 0 ? m.substring(eq + 1) : m);
            if (byName.put(name, path) != null) {
                throw new IllegalArgumentException("--model name '" + name + "' is given twice");
            }
        }
        return byName;
    }
}
