package org.fmfstream.jobs.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.model.serve.EngineThreads;
import org.fmfstream.model.serve.PredictorConfig;
import org.fmfstream.model.serve.ProcessMemory;
import org.fmfstream.model.serve.ScoringBenchmark;
import org.fmfstream.model.serve.TokenizedBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./fmf bench}: performance measurements. {@code bench model} times the FmFormer predictor;
 * further subcommands (e.g. the whole pipeline) hang off the same parent.
 */
@Command(name = "bench",
        description = "Performance measurements on this machine.",
        mixinStandardHelpOptions = true,
        subcommands = {BenchCommand.ModelBench.class, org.fmfstream.jobs.bench.PipelineBench.class,
                org.fmfstream.jobs.bench.SoakBench.class})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "choose what to measure, e.g. 'bench model'");
    }

    /** {@code ./fmf bench model}: scoring throughput and latency of the predictor, per preset and batch. */
    @Command(name = "model",
            mixinStandardHelpOptions = true,
            description = {
                "Times FmFormerPredictor (the stream's scoring path: tokens in, probabilities, logits and masks"
                        + " out) for each preset and batch size, with randomly initialised weights (seeded; timing"
                        + " does not depend on the values) and the dense head on. Prints the median ms per batch and"
                        + " windows/s over the timed batches, the tokenization time per window (synthetic clips into"
                        + " the batch buffers, timed separately), the thread counts and the peak RSS.",
                "Inter-op threads can only be set at JVM start: FMF_JAVA_OPTS='-Dai.djl.pytorch.num_interop_threads=1'."})
    static final class ModelBench implements Callable<Integer> {

        private static final long SEED = 7;

        @Spec
        CommandSpec spec;

        @Option(names = "--presets", split = ",", defaultValue = "fmformer-xs,fmformer-s",
                description = "Model presets, comma-separated. Default: ${DEFAULT-VALUE}.")
        List<String> presets;

        @Option(names = "--batches", split = ",", defaultValue = "1,4,16,64",
                description = "Batch sizes, comma-separated. Default: ${DEFAULT-VALUE}.")
        List<Integer> batches;

        @Option(names = "--iterations", defaultValue = "20",
                description = "Timed batches per preset and batch size (the median is reported). Default: ${DEFAULT-VALUE}.")
        int iterations;

        @Option(names = "--warmup", defaultValue = "2",
                description = "Untimed warm-up batches before timing. Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Option(names = "--threads", defaultValue = "0",
                description = "PyTorch intra-op threads (JVM-wide); 0 keeps the engine's default. Default: ${DEFAULT-VALUE}.")
        int threads;

        @Option(names = "--device", defaultValue = "auto",
                description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
        String device;

        @Override
        public Integer call() throws Exception {
            List<FmFormerConfig> configs = validate();
            DeviceChoice choice = DeviceChoice.parse(device);
            PrintWriter out = spec.commandLine().getOut();
            String resolved = choice.resolve().toString();
            if (threads > 0) {
                EngineThreads.setIntraOp(threads);
            }
            out.printf(Locale.ROOT, "# fmf bench model: %s, device %s, randomly initialised weights (seed %d),"
                            + " dense head on%n", EngineThreads.engineDescription(), resolved, SEED);
            out.printf(Locale.ROOT, "# threads: intra-op=%d inter-op=%d  available processors=%d%n",
                    EngineThreads.intraOp(), EngineThreads.interOp(), Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "# per row: %d warm-up batches, then the median of %d timed batches%n",
                    warmup, iterations);
            out.flush();
            for (int batch : batches) {
                TokenizedBatch tokens = TokenizedBatch.synthetic(batch, Math.max(iterations, 5), SEED + batch);
                out.printf(Locale.ROOT, "tokenize batch=%d ms/window=%.3f%n", batch,
                        tokens.tokenizeNanosPerWindow() / 1e6);
                out.flush();
                for (FmFormerConfig config : configs) {
                    PredictorConfig predictorConfig = new PredictorConfig(choice, batch, 0, warmup);
                    ScoringBenchmark.Result r = ScoringBenchmark.measure(config, SEED, predictorConfig, tokens, iterations);
                    out.printf(Locale.ROOT, "score preset=%s batch=%d ms/batch=%.2f windows/s=%.1f ms/window=%.2f%n",
                            r.preset(), r.batch(), r.millisPerBatch(), r.windowsPerSecond(),
                            r.millisPerBatch() / r.batch());
                    out.flush();
                }
            }
            OptionalLong peak = ProcessMemory.peakRssKiB();
            out.printf(Locale.ROOT, "peak-rss MiB=%s intra-op threads=%d%n",
                    peak.isPresent() ? String.format(Locale.ROOT, "%.0f", peak.getAsLong() / 1024.0) : "n/a",
                    EngineThreads.intraOp());
            return 0;
        }

        private List<FmFormerConfig> validate() {
            if (iterations < 1) {
                throw new ParameterException(spec.commandLine(), "--iterations must be at least 1");
            }
            if (warmup < 0) {
                throw new ParameterException(spec.commandLine(), "--warmup must not be negative");
            }
            if (threads < 0) {
                throw new ParameterException(spec.commandLine(), "--threads must be 0 (default) or positive");
            }
            for (int b : batches) {
                if (b < 1) {
                    throw new ParameterException(spec.commandLine(), "batch sizes must be at least 1, got " + b);
                }
            }
            try {
                DeviceChoice.parse(device);
                return presets.stream().map(p -> FmFormerConfig.byName(p.trim()).withDenseHead(true)).toList();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }
}
