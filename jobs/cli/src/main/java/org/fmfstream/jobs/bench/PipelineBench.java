package org.fmfstream.jobs.bench;

import org.fmfstream.jobs.kafka.TopicAccess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.fmfstream.jobs.job.FurnaceAnomalyJob;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.jobs.job.JobFlags;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.LocalKafkaBroker;
import org.fmfstream.jobs.kafka.RecordPublisher;
import org.fmfstream.jobs.simulator.Simulation;
import org.fmfstream.jobs.simulator.SimulationRun;
import org.fmfstream.jobs.simulator.SimulatorConfig;
import org.fmfstream.jobs.feed.KafkaFurnaceSink;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.model.serve.FmFormerPredictor;
import org.fmfstream.model.serve.PredictorConfig;
import org.fmfstream.model.serve.ProcessMemory;
import org.fmfstream.model.serve.ScoreBuffers;
import org.fmfstream.model.serve.TokenizedBatch;
import org.fmfstream.operators.infer.FmFormerInference;
import org.fmfstream.operators.infer.InferenceConfig;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.codec.RecordCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./fmf bench pipeline}: the whole job (sources, aligner, micro-batched inference, sinks) in
 * an embedded Flink against an in-JVM broker. Three parts, one run:
 *
 * <ol>
 *   <li>throughput: input pre-filled (fast simulation), the job bounded ({@code stop.at=latest});
 *       windows/s from the first to the last event's emit time, against the bare predictor at the
 *       same batch size and against the same job with batch size 1;</li>
 *   <li>latency: the simulator in real time at each furnace count, the job unbounded with
 *       at-least-once delivery (transactions would add the checkpoint interval); latency =
 *       {@code emitTimeMillis - ingestTimeMillis} of each event;</li>
 *   <li>keyed state per furnace (the retained checkpoint of each latency run / furnaces) and the
 *       process's RSS (the MiniCluster's TaskManager runs in this JVM);</li>
 *   <li>capacity: further real-time runs at growing furnace counts until one does not keep up
 *       ({@link PipelineReport}); the largest count that did, and a PNG of latency and windows
 *       scored against furnaces.</li>
 * </ol>
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true, defaultValueProvider = JobFlags.JobDefaults.class,
        description = {"Measures the whole job on an in-JVM broker: sustained windows/s against the bare model and"
                + " against batch size 1, latency p50/p99 at several furnace counts in real time, keyed state per"
                + " furnace and RSS."})
public final class PipelineBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--furnaces", defaultValue = "4",
            description = "Furnaces of the throughput input. Default: ${DEFAULT-VALUE}.")
    int furnaces;

    @Option(names = "--minutes", defaultValue = "2",
            description = "Simulated minutes of throughput input per furnace. Default: ${DEFAULT-VALUE}.")
    double minutes;

    // --batch-size, --batch-timeout and --device default to the job's own defaults (JobOptions).
    @Option(names = "--batch-size", description = "inference.batch-size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--parallelism",
            description = "parallelism of every run; the bare model then runs one predictor per subtask, concurrently,"
                    + " with the job's intra-op threads each. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--batch-timeout",
            description = "inference.batch-timeout. Default: ${DEFAULT-VALUE}.")
    String batchTimeout;

    @Option(names = "--latency-furnaces", split = ",", defaultValue = "1,4,16",
            description = "Furnace counts of the real-time latency runs (empty list: none). Default: ${DEFAULT-VALUE}.")
    List<String> latencyFurnaces;

    @Option(names = "--latency-duration", defaultValue = "60",
            description = "Seconds of real-time simulation per latency run. Default: ${DEFAULT-VALUE}.")
    int latencySeconds;

    @Option(names = "--latency-warmup", defaultValue = "10",
            description = "Seconds at the start of each latency run left out (model load, first checkpoint)."
                    + " Default: ${DEFAULT-VALUE}.")
    int latencyWarmupSeconds;

    @Option(names = "--capacity-furnaces", split = ",", defaultValue = "24,32,48",
            description = "Further real-time furnace counts, tried in order after --latency-furnaces until one does not"
                    + " keep up (latency p99 over 2 s, or under 80% of its windows scored); the largest count that"
                    + " kept up is this machine's real-time capacity (empty list: none). Default: ${DEFAULT-VALUE}.")
    List<String> capacityFurnaces;

    @Option(names = "--out", defaultValue = ".fmf/bench-pipeline",
            description = "Folder for pipeline.png (latency and windows scored against furnaces). Default: ${DEFAULT-VALUE}.")
    Path outDir;

    @Option(names = "--out-of-orderness", defaultValue = "0s",
            description = "watermark.out-of-orderness of the latency runs; the simulator's transport is clean, and"
                    + " a window waits this long in event time before it closes. Default: ${DEFAULT-VALUE}.")
    String outOfOrderness;

    @Option(names = "--replays", defaultValue = "3",
            description = "Times the pre-filled input is replayed at the configured batch size; the last one is the"
                    + " figure (the first pays for the JIT). Default: ${DEFAULT-VALUE}.")
    int replays;

    @Option(names = "--skip-batch1", description = "Leave out the batch-size-1 throughput run.")
    boolean skipBatch1;

    @Option(names = "--committed-furnaces", defaultValue = "16",
            description = "Furnaces of the exactly-once runs (real time). Default: ${DEFAULT-VALUE}.")
    int committedFurnaces;

    @Option(names = "--committed-intervals", split = ",", defaultValue = "10s,2s,1s",
            description = "checkpoint.interval of each exactly-once run, whose latency a read_committed consumer"
                    + " measures (empty list: none). Default: ${DEFAULT-VALUE}.")
    List<String> committedIntervals;

    @Option(names = "--iterations", defaultValue = "20",
            description = "Timed batches of the bare-model measurement. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--device", description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--seed", defaultValue = "1", description = "Simulator seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    /** Events of one batch are encoded within a few ms of each other; batches are further apart. */
    private static final long SAME_BATCH_MILLIS = 10;

    private PrintWriter out;
    private KafkaSettings kafka;
    private Path scratch;

    @Override
    public Integer call() throws Exception {
        if (furnaces < 1 || minutes <= 0 || batchSize < 1 || parallelism < 1 || replays < 1 || latencySeconds < 1 || iterations < 1
                || latencyWarmupSeconds < 0 || latencyWarmupSeconds >= latencySeconds) {
            throw new ParameterException(spec.commandLine(), "furnaces, minutes, batch size, parallelism, replays, iterations and latency"
                    + " duration must be positive; the latency warm-up shorter than the latency duration");
        }
        out = spec.commandLine().getOut();
        scratch = Files.createTempDirectory("fmf-bench-pipeline");
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().fresh(true).deleteDataDirOnClose(true).start()) {
            kafka = broker.settings();
            say("# fmf bench pipeline: %d available processors, load average %s, device %s",
                    Runtime.getRuntime().availableProcessors(), loadAverage(), device);

            // --- throughput ---
            String frames = topic("frames");
            String currents = topic("currents");
            SimulatorConfig sim = SimulatorConfig.builder().furnaces(furnaces).seed(seed)
                    .duration(Duration.ofMillis((long) (minutes * 60_000))).noTransportFaults().build();
            long t0 = System.nanoTime();
            try (KafkaFurnaceSink sink = new KafkaFurnaceSink(new RecordPublisher(kafka), frames, currents)) {
                SimulationRun.of(Simulation.of(sim)).fast().deliverTo(sink);
            }
            say("input: %d furnaces x %.1f simulated min pre-filled in %.1f s", furnaces, minutes,
                    (System.nanoTime() - t0) / 1e9);

            // The first replays also pay for the JIT compiling Flink's, Kafka's and the job's code on the
            // same cores (measured: most of a first replay's CPU); the last replay is the figure.
            Throughput job = null;
            for (int run = 1; run <= replays; run++) {
                ThreadCpu cpuBefore = ThreadCpu.now();
                long replayStart = System.nanoTime();
                job = withCpuSampled(cpuBefore, () -> throughput(frames, currents, batchSize), replayStart);
                say("throughput job batch=%d (replay %d of %d: pre-filled topics read to their end): %d windows in"
                                + " about %d batches (mean %.1f), %.2f windows/s (after the first batch, over %.1f s of"
                                + " emits)", batchSize, run, replays, job.windows, job.batches,
                        (double) job.windows / job.batches, job.perSecond, job.spanMillis / 1000.0);
            }
            Bare bare = bareModel(batchSize);
            say("throughput bare model batch=%d: %d predictor(s) at once, %d intra-op thread(s) each: %.2f ms/batch"
                            + " (median of %d each), %.2f windows/s", batchSize, bare.predictors, bare.threads,
                    bare.millisPerBatch, iterations, bare.perSecond);
            say("ratio replay/bare = %.2f (goal >= 0.9)", BenchMath.ratio(job.perSecond, bare.perSecond));
            if (!skipBatch1) {
                Throughput one = throughput(frames, currents, 1);
                say("throughput job batch=1: %d windows, %.2f windows/s (%.1f s)", one.windows, one.perSecond,
                        one.spanMillis / 1000.0);
                say("ratio job batch=%d / job batch=1 = %.2f (goal >= 3)", batchSize,
                        BenchMath.ratio(job.perSecond, one.perSecond));
            }

            // --- latency, state, RSS ---
            double goal = BenchMath.latencyGoalMillis(JobConfig.of(Map.of("inference.batch-timeout", batchTimeout))
                    .batchTimeout().toMillis(), bare.millisPerBatch);
            List<PipelineReport.LiveRun> live = new ArrayList<>();
            for (int n : counts(latencyFurnaces)) {
                latency(n, goal).ifPresent(live::add);
            }
            for (int n : counts(capacityFurnaces)) {
                Optional<PipelineReport.LiveRun> run = latency(n, goal);
                run.ifPresent(live::add);
                if (run.isEmpty() || !run.get().keptUp()) {
                    break;
                }
            }
            if (!live.isEmpty()) {
                PipelineReport report = new PipelineReport(live);
                for (PipelineReport.LiveRun r : report.runs()) {
                    say("real time furnaces=%d: %d of %d offered windows scored (%.1f/s), p99 %d ms: %s", r.furnaces(),
                            r.windows(), r.offeredWindows(), r.scoredPerSecond(), r.p99Millis(),
                            r.keptUp() ? "kept up" : "did not keep up");
                }
                say("capacity: %s furnaces kept in real time (p99 <= %d ms, >= %.0f%% of windows scored; goal >= 48);"
                                + " live job at capacity / bare model = %s", report.largestKeptUp().isPresent()
                                ? String.valueOf(report.largestKeptUp().getAsInt()) : "none of the",
                        PipelineReport.REAL_TIME_P99_MILLIS, 100 * PipelineReport.MIN_SCORED_SHARE,
                        report.largestKeptUp().isPresent() ? String.format(Locale.ROOT, "%.2f",
                                BenchMath.ratio(report.largestKeptUp().getAsInt(), bare.perSecond)) : "n/a");
                Files.createDirectories(outDir);
                Path png = outDir.resolve("pipeline.png");
                report.writePlot(png, String.format(Locale.ROOT, "fmf bench pipeline: batch %d, %d processors",
                        batchSize, Runtime.getRuntime().availableProcessors()), bare.perSecond);
                say("plot: %s", png);
            }
            for (String interval : committedIntervals) {
                if (!interval.isBlank()) {
                    committedLatency(committedFurnaces, interval.trim());
                }
            }
            say("rss: VmRSS %s MiB, VmHWM (peak) %s MiB", mib(ProcessMemory.rssKiB()), mib(ProcessMemory.peakRssKiB()));
        } finally {
            deleteTree(scratch);
        }
        return 0;
    }

    /** Runs {@code part} while sampling the threads' CPU time every 500 ms, then prints where it went. */
    private <T> T withCpuSampled(ThreadCpu before, Callable<T> part, long startNanos) throws Exception {
        java.util.concurrent.atomic.AtomicReference<ThreadCpu> seen = new java.util.concurrent.atomic.AtomicReference<>(before);
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                seen.updateAndGet(s -> s.merge(ThreadCpu.now()));
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            return part.call();
        } finally {
            done.set(true);
            sampler.join(5_000);
            sayCpu(before, seen.get().merge(ThreadCpu.now()), (System.nanoTime() - startNanos) / 1e9);
        }
    }

    /**
     * Where the cores went during the replay: CPU seconds by thread (native libtorch workers count
     * under the inference thread that started them), the largest first, the rest summed.
     */
    private void sayCpu(ThreadCpu before, ThreadCpu after, double wallSeconds) {
        Map<String, Double> spent = after.secondsSince(before);
        double total = spent.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "replay cpu: %.1f s on %d processors in %.1f s wall (whole process, model load included):", total,
                Runtime.getRuntime().availableProcessors(), wallSeconds));
        int shown = 0;
        double rest = total;
        for (Map.Entry<String, Double> e : spent.entrySet()) {
            if (shown++ == 8) {
                break;
            }
            line.append(String.format(Locale.ROOT, " %s %.1f s (%.0f%%);", e.getKey(), e.getValue(),
                    100 * e.getValue() / total));
            rest -= e.getValue();
        }
        line.append(String.format(Locale.ROOT, " other %.1f s", rest));
        say("%s", line);
        // With every core busy, the replay can reach at most about this share of the bare model's
        // rate, which has the cores to itself.
        double modelSeconds = spent.getOrDefault(ThreadCpu.nameOf(FmFormerInference.THREAD_NAME_PREFIX + 0), 0.0);
        say("replay cpu: the model's threads had %.0f%% of it (with every core busy, replay/bare can reach about"
                + " this share at most)", 100 * modelSeconds / total);
    }

    /** A furnace-count list flag; an empty value ('') gives no counts. */
    private List<Integer> counts(List<String> values) {
        List<Integer> counts = new ArrayList<>();
        for (String v : values) {
            if (v.isBlank()) {
                continue;
            }
            try {
                counts.add(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "not a furnace count: '" + v + "'");
            }
            if (counts.get(counts.size() - 1) < 1) {
                throw new ParameterException(spec.commandLine(), "furnace counts must be positive, got " + v);
            }
        }
        return counts;
    }

    private record Throughput(int windows, double perSecond, long spanMillis, int batches) {}

    private record Bare(int predictors, int threads, double millisPerBatch, double perSecond) {}

    private Throughput throughput(String frames, String currents, int batch) throws Exception {
        String name = "tp" + batch + "-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> v = base(frames, currents, name, batch);
        v.put("stop.at", "latest");
        JobConfig config = JobConfig.of(v);
        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(config, null);
        FurnaceAnomalyJob.define(env, config);
        env.execute("bench-throughput-" + batch);
        List<AnomalyEvent> events = readAll(config.eventsTopic());
        long first = events.stream().mapToLong(AnomalyEvent::getEmitTimeMillis).min().orElse(0);
        long last = events.stream().mapToLong(AnomalyEvent::getEmitTimeMillis).max().orElse(0);
        long[] emits = events.stream().mapToLong(AnomalyEvent::getEmitTimeMillis).toArray();
        return new Throughput(events.size(), BenchMath.sustainedPerSecond(emits, SAME_BATCH_MILLIS), last - first,
                BenchMath.batches(emits, SAME_BATCH_MILLIS));
    }

    /**
     * The shipped model through the predictors the job runs: one per subtask, each with the job's
     * intra-op threads, scoring synthetic tokenized batches at the same time on their own threads.
     * Windows/s is the sum over predictors of batch / median batch time, so that with parallelism 1
     * it is one predictor's rate and with more it is what the model alone gets from these cores.
     */
    private Bare bareModel(int batch) throws Exception {
        JobConfig config = JobConfig.of(Map.of("model.device", device, "parallelism", String.valueOf(parallelism)));
        InferenceConfig inference = FurnaceAnomalyJob.inferenceConfig(config);
        TokenizedBatch tokens = TokenizedBatch.synthetic(batch, 5, seed);
        PredictorConfig job = inference.predictorConfig(Runtime.getRuntime().availableProcessors(), config.parallelism());
        PredictorConfig pc = new PredictorConfig(DeviceChoice.parse(device), batch, job.intraOpThreads(), 2);
        List<FmFormerPredictor> predictors = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            for (int p = 0; p < parallelism; p++) {
                predictors.add(FmFormerPredictor.open(inference.modelSource(), pc));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> timings = new ArrayList<>();
            for (FmFormerPredictor predictor : predictors) {
                timings.add(pool.submit(() -> {
                    ScoreBuffers buffers = ScoreBuffers.forBatch(batch);
                    long[] nanos = new long[iterations];
                    start.await();
                    for (int i = 0; i < iterations; i++) {
                        long t = System.nanoTime();
                        predictor.predict(tokens.buffers(), batch, buffers);
                        nanos[i] = System.nanoTime() - t;
                    }
                    return nanos;
                }));
            }
            start.countDown();
            double perSecond = 0;
            long[] all = new long[parallelism * iterations];
            for (int p = 0; p < parallelism; p++) {
                long[] nanos = timings.get(p).get();
                perSecond += batch * 1e9 / BenchMath.percentile(nanos, 50);
                System.arraycopy(nanos, 0, all, p * iterations, iterations);
            }
            return new Bare(parallelism, pc.intraOpThreads(), BenchMath.percentile(all, 50) / 1e6, perSecond);
        } finally {
            pool.shutdownNow();
            for (FmFormerPredictor predictor : predictors) {
                predictor.close();
            }
        }
    }

    private Optional<PipelineReport.LiveRun> latency(int n, double goalMillis) throws Exception {
        String name = "lat" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
        String frames = topic(name + "-frames");
        String currents = topic(name + "-currents");
        Map<String, String> v = base(frames, currents, name, batchSize);
        v.put("watermark.out-of-orderness", outOfOrderness);
        JobConfig config = JobConfig.of(v);
        long startMillis = System.currentTimeMillis();
        // The last windows close once the watermark passes them; give them time to be scored and written.
        String rss = runLive(config, n, frames, currents, config.outOfOrderness().plusSeconds(3));
        List<AnomalyEvent> events = readAll(config.eventsTopic());
        long cutoff = startMillis + latencyWarmupSeconds * 1000L;
        long[] lat = events.stream().filter(e -> e.getIngestTimeMillis() >= cutoff)
                .mapToLong(e -> e.getEmitTimeMillis() - e.getIngestTimeMillis()).toArray();
        // From the moment the window was cut (its input complete) to its event: what the goal formula
        // bounds. The wait before it is for the record that completes the window (2 Hz current).
        long[] scoring = events.stream().filter(e -> e.getIngestTimeMillis() >= cutoff && e.getDecidedTimeMillis() != null)
                .mapToLong(e -> e.getEmitTimeMillis() - e.getDecidedTimeMillis()).toArray();
        Optional<Path> chk = latestCheckpoint(Path.of(config.checkpointDir()));
        String state = chk.map(p -> String.format(Locale.ROOT, "%.0f KiB per furnace (%s, %d KiB in all)",
                sizeOf(p) / 1024.0 / n, p.getFileName(), sizeOf(p) / 1024)).orElse("n/a (no completed checkpoint)");
        if (lat.length == 0) {
            say("latency furnaces=%d: no events after the %d s warm-up (%d in all)", n, latencyWarmupSeconds,
                    events.size());
            return Optional.empty();
        } else {
            say("latency furnaces=%d: %d windows, newest record -> event p50 %d ms, p99 %d ms; window cut -> event"
                    + " p50 %d ms, p99 %d ms (goal p99 <= %.0f ms = batch timeout + 2 x %.0f ms batch inference);"
                    + " state %s; VmRSS %s MiB", n, lat.length,
                    BenchMath.percentile(lat, 50), BenchMath.percentile(lat, 99),
                    scoring.length == 0 ? -1 : BenchMath.percentile(scoring, 50),
                    scoring.length == 0 ? -1 : BenchMath.percentile(scoring, 99), goalMillis,
                    (goalMillis - JobConfig.of(Map.of("inference.batch-timeout", batchTimeout)).batchTimeout()
                            .toMillis()) / 2, state, rss);
            return Optional.of(new PipelineReport.LiveRun(n, latencySeconds - latencyWarmupSeconds, lat.length,
                    BenchMath.percentile(lat, 50), BenchMath.percentile(lat, 99)));
        }
    }

    /**
     * Exactly-once, as a plant runs it: the latency a read_committed consumer sees, from the moment the
     * job read a window's newest record ({@code ingestTimeMillis}; the producer sent it a few ms
     * earlier, on the same clock) to the moment the consumer received the event, which includes the
     * wait for the checkpoint that commits it.
     */
    private void committedLatency(int n, String checkpointInterval) throws Exception {
        String name = "eo" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
        String frames = topic(name + "-frames");
        String currents = topic(name + "-currents");
        Map<String, String> v = base(frames, currents, name, batchSize);
        v.put("watermark.out-of-orderness", outOfOrderness);
        v.put("delivery", "exactly-once");
        v.put("checkpoint.interval", checkpointInterval);
        JobConfig config = JobConfig.of(v);
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        long startMillis = System.currentTimeMillis();
        long cutoff = startMillis + latencyWarmupSeconds * 1000L;
        Thread reader = new Thread(() -> {
            RecordCodec<AnomalyEvent> codec = RecordCodec.anomalyEvents();
            try (var consumer = TopicAccess.consumer(kafka, true)) {
                consumer.assign(TopicAccess.partitions(consumer, config.eventsTopic()));
                while (!stop.get()) {
                    for (var r : consumer.poll(Duration.ofMillis(50))) {
                        long received = System.currentTimeMillis();
                        AnomalyEvent e = codec.decode(r.value()).orElseThrow();
                        if (e.getIngestTimeMillis() >= cutoff) {
                            seen.add(received - e.getIngestTimeMillis());
                        }
                    }
                }
            }
        }, "bench-committed-reader");
        reader.start();
        // The last windows close once the watermark passes them, and become visible at the next checkpoint.
        runLive(config, n, frames, currents, config.outOfOrderness().plus(config.checkpointInterval()).plusSeconds(3));
        stop.set(true);
        reader.join(10_000);
        long[] lat;
        synchronized (seen) {
            lat = seen.stream().mapToLong(Long::longValue).toArray();
        }
        Optional<Path> chk = latestCheckpoint(Path.of(config.checkpointDir()));
        String state = chk.map(p -> String.format(Locale.ROOT, "%.0f KiB per furnace", sizeOf(p) / 1024.0 / n))
                .orElse("n/a");
        if (lat.length == 0) {
            say("committed latency furnaces=%d checkpoint.interval=%s: no committed event after the warm-up", n,
                    checkpointInterval);
        } else {
            say("committed latency furnaces=%d checkpoint.interval=%s (exactly-once, read_committed): %d windows,"
                            + " p50 %d ms, p99 %d ms, max %d ms (goal p99 <= 1500 ms at 16 furnaces); state %s", n,
                    checkpointInterval, lat.length, BenchMath.percentile(lat, 50), BenchMath.percentile(lat, 99),
                    BenchMath.percentile(lat, 100), state);
        }
    }

    /**
     * Runs the job unbounded while the simulator feeds {@code n} furnaces in real time for
     * {@code --latency-duration}, waits {@code tail} for the last windows, and cancels it; returns
     * the process's VmRSS (MiB) just before the cancel.
     */
    private String runLive(JobConfig config, int n, String frames, String currents, Duration tail) throws Exception {
        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(config, null);
        FurnaceAnomalyJob.define(env, config);
        JobClient job = env.executeAsync("bench-live-" + n);
        SimulatorConfig sim = SimulatorConfig.builder().furnaces(n).seed(seed)
                .duration(Duration.ofSeconds(latencySeconds)).noTransportFaults().build();
        try (KafkaFurnaceSink sink = new KafkaFurnaceSink(new RecordPublisher(kafka), frames, currents)) {
            SimulationRun.of(Simulation.of(sim)).realtime().deliverTo(sink);
        }
        Thread.sleep(tail.toMillis());
        String rss = mib(ProcessMemory.rssKiB());
        job.cancel().get(60, TimeUnit.SECONDS);
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException cancelled) {
            // the normal end of an unbounded job
        }
        return rss;
    }

    private Map<String, String> base(String frames, String currents, String name, int batch) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("bootstrap.servers", kafka.bootstrapServers());
        v.put("topic.frames", frames);
        v.put("topic.currents", currents);
        v.put("topic.events", topic(name + "-events"));
        v.put("topic.masks", topic(name + "-masks"));
        v.put("topic.deadletters", topic(name + "-dead"));
        v.put("group.id", "bench-" + name);
        v.put("start.from", "earliest");
        v.put("inference.batch-size", String.valueOf(batch));
        v.put("parallelism", String.valueOf(parallelism));
        v.put("inference.batch-timeout", batchTimeout);
        v.put("model.device", device);
        // At-least-once: exactly-once output would become visible only at checkpoints.
        v.put("delivery", "at-least-once");
        v.put("checkpoint.interval", "5s");
        v.put("checkpoint.dir", scratch.resolve("checkpoints-" + name).toString());
        return v;
    }

    private String topic(String name) {
        String t = "bench-" + name;
        try (Admin admin = Admin.create(kafka.clientProperties(Map.of()))) {
            admin.createTopics(List.of(new NewTopic(t, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // Let the new partitions get leaders before anyone produces.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try {
                    var d = admin.describeTopics(List.of(t)).allTopicNames().get(30, TimeUnit.SECONDS).get(t);
                    if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        break;
                    }
                } catch (java.util.concurrent.ExecutionException notYet) {
                    // metadata not propagated yet
                }
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + t, e);
        }
        return t;
    }

    private List<AnomalyEvent> readAll(String topic) {
        RecordCodec<AnomalyEvent> codec = RecordCodec.anomalyEvents();
        return TopicAccess.readAll(kafka, topic).stream().map(r -> codec.decode(r.value()).orElseThrow()).toList();
    }

    static Optional<Path> latestCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))));
        }
    }

    /** Bytes of a checkpoint: its own directory plus the job's shared/ directory (incremental files). */
    private static long sizeOf(Path chk) {
        long bytes = 0;
        for (Path root : List.of(chk, chk.resolveSibling("shared"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                bytes += s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return bytes;
    }

    /** A line of /proc/self/status in MiB ("n/a" where there is none, e.g. not Linux). */
    private static String mib(OptionalLong kib) {
        return kib.isPresent() ? String.format(Locale.ROOT, "%.0f", kib.getAsLong() / 1024.0) : "n/a";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
