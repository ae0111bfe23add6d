package org.fmfstream.jobs.model;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.reference.ReferenceImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./fmf import-weights}: a state_dict saved by the reference authors' code becomes a model
 * directory that run, replay, demo and evaluate take as {@code --model} / {@code model.path}.
 */
@Command(name = "import-weights",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Imports a PyTorch state_dict saved by the reference FmFormer code (ViTForViCu of the FMF benchmark,"
                        + " e.g. state_dict_vicu_cls.pth; classification or segmentation variant) into a model"
                        + " directory: every key mapped and every shape checked, the reference's input conventions"
                        + " applied (raw pixels and amperes, frame x/y axes, clip sampling rate), and the source"
                        + " file's SHA-256, the variant and its heads recorded in reference.properties.",
                "A classification checkpoint gives events without masks; a segmentation checkpoint gives masks,"
                        + " and the window decision is taken from the mask (P = the most anomalous pixel's)."})
public final class ImportWeightsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.pth", description = "The state_dict file (torch.save, zip format).")
    private Path stateDict;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write (created).")
    private Path out;

    @Option(names = "--preset", description = "Network sizes the checkpoint has (default: ${DEFAULT-VALUE}, the"
            + " released configuration).")
    private String preset = FmFormerConfig.FMFORMER_S;

    @Option(names = "--sampling-rate", paramLabel = "S", description = "Clip frame stride the weights were trained"
            + " for, frames i-9s .. i (default: ${DEFAULT-VALUE}, as the reference evaluates its released weights).")
    private int samplingRate = ReferenceImport.RELEASED_SAMPLING_RATE;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(stateDict)) {
            throw new ParameterException(spec.commandLine(), "FILE.pth " + stateDict + " is not a file");
        }
        if (Files.exists(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " already exists");
        }
        if (samplingRate < 1) {
            throw new ParameterException(spec.commandLine(), "--sampling-rate must be at least 1, got " + samplingRate);
        }
        FmFormerConfig sizes;
        try {
            sizes = FmFormerConfig.byName(preset);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--preset: " + e.getMessage());
        }
        long start = System.nanoTime();
        ReferenceImport.Result result;
        try {
            result = ReferenceImport.run(stateDict, out, sizes, samplingRate);
        } catch (IllegalArgumentException e) {
            err.println("import-weights: " + e.getMessage());
            return 2;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "imported %s (sha256 %s): %s variant, %s, %d tensors, %,d values, in %.2f s%n",
                stateDict.getFileName(), result.sourceSha256(), result.variant().name().toLowerCase(Locale.ROOT),
                result.heads().describe(), result.tensors(), result.values(), seconds);
        stdout.printf(Locale.ROOT, "model %s: parameters sha256 %s, sampling rate %d, decision P >= %s and mask pixels >= %d%n",
                result.saved().directory(), result.saved().paramsSha256(), samplingRate,
                result.rule().threshold(), result.rule().minMaskPixels());
        stdout.printf("use it with: ./fmf evaluate --data DIR --model cross=%s   or   ./fmf run --model %s%n",
                result.saved().directory(), result.saved().directory());
        stdout.flush();
        return 0;
    }
}
