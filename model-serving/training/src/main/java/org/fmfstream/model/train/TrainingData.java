package org.fmfstream.model.train;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.data.EpochPlan;
import org.fmfstream.model.data.Window;
import org.fmfstream.model.data.WindowDataset;
import org.fmfstream.model.data.WindowGenerator;

/**
 * Where a run's batches and validation windows come from: the splits of a benchmark-layout
 * directory, or a {@link WindowGenerator} (a simulator rendering new furnaces without end). Either
 * way batch (epoch, step) is a pure function of the configuration, so a resumed run sees exactly
 * the batches an uninterrupted one sees.
 */
abstract class TrainingData implements AutoCloseable {

    /** One optimiser step's windows and which of them to mirror. */
    record Batch(List<Window> windows, boolean[] flips) {}

    /** Windows drawn per epoch. */
    abstract int samplesPerEpoch();

    abstract Batch batch(int epoch, int step);

    /** The validation windows, at most {@code max} (0 = all), evenly spread over what there is. */
    abstract List<Window> validation(int max);

    /** One line for the training log. */
    abstract String description();

    @Override
    public void close() {}

    /** The train split for the updates, the test split for validation. */
    static TrainingData split(Path dataDir, TrainingConfig config) {
        return new Split(WindowDataset.open(dataDir, BenchmarkLayout.Split.TRAIN, config.samplingRate()),
                WindowDataset.open(dataDir, BenchmarkLayout.Split.TEST, config.samplingRate()), config);
    }

    /** Generated windows: epoch e, step s takes the next batch of the generator's endless stream. */
    static TrainingData generated(WindowGenerator generator, TrainingConfig config) {
        if (config.maxSamplesPerEpoch() <= 0) {
            throw new IllegalArgumentException("generated training data is endless: give the windows per epoch"
                    + " (max samples per epoch), got " + config.maxSamplesPerEpoch());
        }
        if (generator.samplingRate() != config.samplingRate()) {
            // The saved model tells the job's aligner its stride: it must be the one it trained on.
            throw new IllegalArgumentException("the generated clips take every " + generator.samplingRate()
                    + ". frame but the run is configured for a clip sampling rate of " + config.samplingRate());
        }
        return new Generated(generator, config);
    }

    /** Evenly spread indexes 0..size-1, at most {@code max} (0 = all). */
    static int[] spread(int size, int max) {
        int n = max == 0 ? size : Math.min(max, size);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            // Evenly spread: a split's first windows are one recording's first minutes, which may hold
            // no episode at all.
            out[k] = (int) ((long) k * size / n);
        }
        return out;
    }

    private static final class Split extends TrainingData {
        private final WindowDataset train;
        private final WindowDataset validation;
        private final TrainingConfig config;
        private final boolean[] labels;
        private EpochPlan plan;
        private int planEpoch;

        Split(WindowDataset train, WindowDataset validation, TrainingConfig config) {
            this.train = train;
            this.validation = validation;
            this.config = config;
            this.labels = new boolean[train.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = train.sample(i).abnormal();
            }
        }

        @Override
        int samplesPerEpoch() {
            return config.maxSamplesPerEpoch() == 0 ? train.size()
                    : config.balanced() ? config.maxSamplesPerEpoch()
                    : Math.min(config.maxSamplesPerEpoch(), train.size());
        }

        @Override
        Batch batch(int epoch, int step) {
            if (plan == null || planEpoch != epoch) {
                plan = EpochPlan.of(labels, config.seed(), epoch, config.batchSize(), config.maxSamplesPerEpoch(),
                        config.balanced(), config.flip());
                planEpoch = epoch;
            }
            int[] indexes = plan.batch(step);
            List<Window> windows = new ArrayList<>(indexes.length);
            for (int i : indexes) {
                windows.add(train.window(i));
            }
            return new Batch(windows, plan.flips(step));
        }

        @Override
        List<Window> validation(int max) {
            int[] indexes = spread(validation.size(), max);
            return new AbstractList<>() {
                @Override
                public Window get(int i) {
                    return validation.window(indexes[i]);
                }

                @Override
                public int size() {
                    return indexes.length;
                }
            };
        }

        @Override
        String description() {
            return String.format(Locale.ROOT, "%d train windows (%d abnormal), %d validation windows (%d abnormal)",
                    train.size(), train.abnormalCount(), validation.size(), validation.abnormalCount());
        }
    }

    /**
     * Batches cut from the generator's stream in order: step s of epoch e holds stream positions
     * ((e-1)·steps + s)·B .. +B. The chunk after the one in use is made on a background thread while
     * the model trains, so generating costs little wall time when a core is free.
     */
    private static final class Generated extends TrainingData {
        private final WindowGenerator generator;
        private final TrainingConfig config;
        private final ExecutorService maker;
        private final TreeMap<Long, CompletableFuture<List<Window>>> chunks = new TreeMap<>();
        private List<Window> validation;

        Generated(WindowGenerator generator, TrainingConfig config) {
            this.generator = generator;
            this.config = config;
            this.maker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "training-window-generator");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        int samplesPerEpoch() {
            return config.maxSamplesPerEpoch();
        }

        @Override
        Batch batch(int epoch, int step) {
            int b = config.batchSize();
            long globalStep = (epoch - 1) * (long) EpochPlan.stepsPerEpoch(samplesPerEpoch(), b) + step;
            long from = (epoch - 1) * (long) samplesPerEpoch() + (long) step * b;
            // The epoch's last batch may be short, like a split's.
            int size = Math.min(b, samplesPerEpoch() - step * b);
            List<Window> windows = new ArrayList<>(size);
            SplittableRandom flipper = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + globalStep);
            boolean[] flips = new boolean[size];
            for (int k = 0; k < size; k++) {
                long position = from + k;
                windows.add(chunk(position / generator.chunkSize()).get((int) (position % generator.chunkSize())));
                flips[k] = config.flip() && flipper.nextBoolean();
            }
            return new Batch(windows, flips);
        }

        private List<Window> chunk(long index) {
            chunks.headMap(index).clear();
            CompletableFuture<List<Window>> wanted = submit(index);
            submit(index + 1);
            try {
                return wanted.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating training windows", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("generating training chunk " + index + " failed: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }

        private CompletableFuture<List<Window>> submit(long index) {
            return chunks.computeIfAbsent(index, c -> CompletableFuture.supplyAsync(() -> {
                List<Window> windows = generator.chunk(c);
                if (windows.size() != generator.chunkSize()) {
                    throw new IllegalStateException("chunk " + c + " has " + windows.size() + " windows, expected "
                            + generator.chunkSize());
                }
                return windows;
            }, maker));
        }

        @Override
        List<Window> validation(int max) {
            if (validation == null) {
                validation = generator.validation();
            }
            int[] indexes = spread(validation.size(), max);
            List<Window> out = new ArrayList<>(indexes.length);
            for (int i : indexes) {
                out.add(validation.get(i));
            }
            return out;
        }

        @Override
        String description() {
            return "generated windows (" + generator.description() + "), " + samplesPerEpoch() + " per epoch";
        }

        @Override
        public void close() {
            maker.shutdownNow();
        }
    }
}
