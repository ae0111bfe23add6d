package org.fmfstream.model.serve;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;

/**
 * Times {@link FmFormerPredictor} on one configuration and batch size: a randomly initialised
 * model (seeded) is saved to a scratch directory and opened the way the stream opens one, warmed
 * up, then {@code iterations} batches are timed one by one (tokens in, scores read back).
 */
public final class ScoringBenchmark {

    /** One measured row. */
    public record Result(String preset, int batch, long medianNanosPerBatch, long warmupNanos) {

        public double millisPerBatch() {
            return medianNanosPerBatch / 1e6;
        }

        public double windowsPerSecond() {
            return batch * 1e9 / medianNanosPerBatch;
        }
    }

    private ScoringBenchmark() {}

    /**
     * @param predictorConfig device, threads and warm-up; its batch size is the one measured
     */
    public static Result measure(FmFormerConfig config, long seed, PredictorConfig predictorConfig,
                                 TokenizedBatch tokens, int iterations) throws IOException, MalformedModelException {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        int batch = predictorConfig.batchSize();
        if (tokens.batch() != batch) {
            throw new IllegalArgumentException("token batch has " + tokens.batch() + " windows, predictor " + batch);
        }
        Path scratch = Files.createTempDirectory("fmf-bench-" + config.name());
        try {
            try (Model model = FmFormerModel.create(config, seed)) {
                FmFormerModel.save(model, scratch);
            }
            ModelSource source = new ModelSource.SavedFmFormerDirectory(scratch, null, "random-init-seed-" + seed);
            try (FmFormerPredictor predictor = FmFormerPredictor.open(source, predictorConfig)) {
                ScoreBuffers out = ScoreBuffers.forBatch(batch);
                long[] nanos = new long[iterations];
                for (int i = 0; i < iterations; i++) {
                    long start = System.nanoTime();
                    predictor.predict(tokens.buffers(), batch, out);
                    nanos[i] = System.nanoTime() - start;
                    requireFinite(out, batch);
                }
                return new Result(config.name(), batch, Medians.of(nanos), predictor.warmupNanos());
            }
        } finally {
            deleteTree(scratch);
        }
    }

    private static void requireFinite(ScoreBuffers out, int batch) {
        for (int b = 0; b < batch; b++) {
            if (!Float.isFinite(out.probabilities()[b])) {
                throw new IllegalStateException("non-finite anomaly probability for window " + b);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
