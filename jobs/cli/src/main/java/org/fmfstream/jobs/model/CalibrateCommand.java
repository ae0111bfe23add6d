package org.fmfstream.jobs.model;

import ai.djl.MalformedModelException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fmfstream.jobs.simulator.SimulatedWindows;
import org.fmfstream.model.data.Window;
import org.fmfstream.model.eval.Calibration;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./fmf calibrate}: picks the checkpoint and its decision rule on validation furnaces and
 * writes the chosen model with its {@value DecisionRule#FILE}.
 */
@Command(name = "calibrate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Scores simulated validation furnaces (the validation seed family: never trained on, never tested on)"
                        + " with each --model, and picks the model, probability threshold and mask-pixel minimum that"
                        + " detect the most abnormal windows while flagging at most --target-false-alarms of the"
                        + " normal ones, and at most --target-worst-furnace-false-alarms of any one furnace's.",
                "Copies the chosen model to --out with decision.properties (the rule and how it was chosen), which"
                        + " run, replay, demo and evaluate then use by default."})
public final class CalibrateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A candidate: a saved FmFormer directory (e.g. a run's epoch-N/ or final/); repeat.")
    private List<Path> models = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the chosen model goes (created).")
    private Path out;

    @Option(names = "--target-false-alarms", paramLabel = "SHARE",
            description = "Most normal validation windows a rule may flag (default: ${DEFAULT-VALUE}).")
    private double targetFalseAlarms = 0.01;

    @Option(names = "--target-worst-furnace-false-alarms", paramLabel = "SHARE",
            description = "Most normal windows of any one validation furnace a rule may flag; 1 = no such limit"
                    + " (default: ${DEFAULT-VALUE}).")
    private double targetWorstFurnaceFalseAlarms = 1;

    @Option(names = "--min-mask-pixels", split = ",", paramLabel = "N",
            description = "Mask-pixel minimums to try, 0 = class evidence alone (default: ${DEFAULT-VALUE}).")
    private int[] maskPixelMinimums = {0, 1, 2, 3, 5, 8};

    @Option(names = "--validation-furnaces", description = "Validation furnaces scored (default: ${DEFAULT-VALUE}).")
    private int validationFurnaces = 64;

    @Option(names = "--windows-per-furnace", description = "Windows per furnace (default: ${DEFAULT-VALUE}).")
    private int windowsPerFurnace = 40;

    @Option(names = "--batch", description = "Windows per predictor call (default: ${DEFAULT-VALUE}).")
    private int batch = 16;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Calibration.Target target;
        try {
            target = new Calibration.Target(targetFalseAlarms, targetWorstFurnaceFalseAlarms);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage() + " (--target-false-alarms "
                    + targetFalseAlarms + ", --target-worst-furnace-false-alarms " + targetWorstFurnaceFalseAlarms + ")");
        }
        if (Files.exists(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " already exists");
        }
        try {
            // The same validation furnaces for every model, with clips at each model's own stride.
            Map<Integer, List<Window>> windowsByStride = new HashMap<>();
            err.printf(Locale.ROOT, "calibrate: %d validation windows from %d furnaces; target: %s%n",
                    validationFurnaces * windowsPerFurnace, validationFurnaces, target);
            Path bestModel = null;
            Calibration.Choice best = null;
            for (Path model : models) {
                boolean hasMask = FmFormerModel.configIn(model).denseHead();
                ModelSource source = ModelSource.of(model, null, null);
                List<Window> windows = windowsByStride.computeIfAbsent(source.samplingRate(),
                        stride -> new SimulatedWindows(1, windowsPerFurnace, validationFurnaces, 0, stride).validation());
                List<Calibration.Outcome> outcomes = Calibration.score(source, windows, batch);
                Calibration.Choice choice = Calibration.choose(outcomes, target,
                        hasMask ? maskPixelMinimums : new int[] {0});
                Calibration.Choice reference = Calibration.evaluate(outcomes, DecisionRule.REFERENCE);
                err.printf(Locale.ROOT, "%s: %s; reference rule (0.5, no mask): false alarms %.4f, detection %.4f%n",
                        model, choice, reference.falseAlarmRate(), reference.detectionRate());
                if (best == null || choice.isBetterThan(best)) {
                    best = choice;
                    bestModel = model;
                }
            }
            Files.createDirectories(out);
            for (String file : List.of(FmFormerModel.CONFIG_FILE, FmFormerModel.PARAMS_FILE)) {
                Files.copy(bestModel.resolve(file), out.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
            }
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("calibratedFrom", bestModel.toString());
            provenance.put("validation", String.format(Locale.ROOT,
                    "simulated validation family, furnaces 0..%d, %d windows each", validationFurnaces - 1,
                    windowsPerFurnace));
            provenance.put("targetFalseAlarms", Double.toString(targetFalseAlarms));
            provenance.put("targetWorstFurnaceFalseAlarms", Double.toString(targetWorstFurnaceFalseAlarms));
            provenance.put("validationFalseAlarms", String.format(Locale.ROOT, "%.6f", best.falseAlarmRate()));
            provenance.put("validationWorstFurnaceFalseAlarms",
                    String.format(Locale.ROOT, "%.6f", best.worstFurnaceFalseAlarmRate()));
            provenance.put("validationDetection", String.format(Locale.ROOT, "%.6f", best.detectionRate()));
            best.rule().write(out, provenance);
            spec.commandLine().getOut().printf(Locale.ROOT, "chose %s: %s -> %s%n", bestModel, best, out);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("fmf calibrate: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException | MalformedModelException e) {
            err.println("fmf calibrate: " + e.getMessage());
            return 1;
        }
    }
}
