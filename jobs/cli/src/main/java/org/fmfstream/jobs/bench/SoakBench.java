package org.fmfstream.jobs.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.fmfstream.jobs.cluster.ClusterFolder;
import org.fmfstream.jobs.cluster.LocalCluster;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.TopicAccess;
import org.fmfstream.jobs.console.DurationConverter;
import org.fmfstream.model.serve.ProcessMemory;
import org.fmfstream.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./fmf bench soak}: the detection job for a long time on the local standalone cluster
 * ({@code ./fmf cluster}), fed by the simulator in real time, as a plant would run it. Once a minute
 * it samples each process's RSS (JobManager, TaskManagers, which run the job, the broker and the
 * simulator, each a JVM of its own), the latest checkpoint's size and duration, the job's consumer
 * lag on the input topics and the events a read_committed consumer can read; at the end it writes
 * the samples (CSV), a table and trends (Markdown) and a PNG, and says whether RSS and checkpoint
 * size stayed flat.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Runs the detection job on a fresh local standalone cluster (./fmf cluster) for a long time,"
                + " fed by the simulator in real time, and samples every process's RSS, the checkpoints' size and"
                + " duration and the consumer lag once a minute; writes soak.csv, soak.md and soak.png and says whether"
                + " RSS and checkpoint size stayed flat. Other arguments are the job's flags (as ./fmf run takes them)."})
public final class SoakBench implements Callable<Integer> {

    private static final String SIMULATOR = "simulator";
    private static final String GROUP = "fmf-soak";

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "60m", converter = DurationConverter.class,
            description = "How long the job runs. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--furnaces", defaultValue = "16", description = "Simulated furnaces. Default: ${DEFAULT-VALUE}.")
    int furnaces;

    @Option(names = "--sample-every", defaultValue = "60s", converter = DurationConverter.class,
            description = "Time between samples. Default: ${DEFAULT-VALUE}.")
    Duration sampleEvery;

    @Option(names = "--warm-up", defaultValue = "5m", converter = DurationConverter.class,
            description = "Samples left out of the trends (model load, first windows, JIT, heap growth)."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration warmUp;

    @Option(names = "--dir", defaultValue = ".fmf/soak",
            description = "Folder of the run: cluster/ (the cluster's folder, wiped first), simulator.out and the"
                    + " report (soak.csv, soak.md, soak.png). Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--job-jar", defaultValue = "jobs/cli/target/fmf-job.jar",
            description = "The shaded job jar (./fmf builds it). Default: ${DEFAULT-VALUE}.")
    Path jobJar;

    @Option(names = "--taskmanager-memory", defaultValue = "4g",
            description = "taskmanager.memory.process.size. Default: ${DEFAULT-VALUE}.")
    String taskManagerMemory;

    @Option(names = "--rest-port", defaultValue = "8081", description = "The cluster's REST port. Default: ${DEFAULT-VALUE}.")
    int restPort;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "The broker's client port. Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--seed", defaultValue = "1", description = "Simulator seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Unmatched
    List<String> jobArgs = new ArrayList<>();

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        if (furnaces < 1 || duration.isNegative() || duration.isZero() || sampleEvery.isNegative() || sampleEvery.isZero()) {
            throw new ParameterException(spec.commandLine(), "furnaces, duration and sample interval must be positive");
        }
        out = spec.commandLine().getOut();
        Path clusterDir = dir.resolve("cluster");
        ClusterFolder folder = new ClusterFolder(clusterDir);
        for (String p : folder.recorded()) {
            if (folder.running(p).isPresent()) {
                throw new ParameterException(spec.commandLine(), p + " of an earlier soak still runs in " + clusterDir
                        + "; stop it first (./fmf cluster --dir " + clusterDir + " stop)");
            }
        }
        deleteTree(clusterDir);   // a soak starts from nothing: no old checkpoints, topics or logs
        Files.createDirectories(dir);
        LocalCluster cluster = new LocalCluster(folder, jobJar);
        LocalCluster.Settings d = LocalCluster.Settings.defaults();
        String classPath = System.getProperty("java.class.path");
        List<SoakSample> samples = new ArrayList<>();
        Process simulator = null;
        say("# fmf bench soak: %d furnaces for %s, a sample every %s; %d processors, started %s", furnaces,
                duration, sampleEvery, Runtime.getRuntime().availableProcessors(), Instant.now());
        try {
            cluster.start(new LocalCluster.Settings(restPort, 1, d.slots(), taskManagerMemory, d.jobManagerMemory(),
                    kafkaPort, kafkaPort + 1, d.prometheusPortFrom(), d.jobManagerRpcPort()), classPath,
                    Duration.ofSeconds(120));
            KafkaSettings kafka = KafkaSettings.of(cluster.bootstrapServers());
            say("# cluster up: %s, Kafka %s, folder %s", cluster.restAddress(), kafka.bootstrapServers(), clusterDir);

            // The simulator runs a little longer than the job so that the input never ends first.
            simulator = startSimulator(classPath, kafka, duration.plusMinutes(5));
            List<String> args = new ArrayList<>(List.of("--group-id", GROUP, "--transactional-id-prefix", GROUP,
                    "--start-from", "earliest"));
            args.addAll(jobArgs);
            String jobId = LocalCluster.jobId(cluster.submit(args, Duration.ofSeconds(120)));
            long submitted = System.nanoTime();
            say("# job %s submitted: %s", jobId, String.join(" ", args));

            try (Admin admin = TopicAccess.admin(kafka);
                 KafkaConsumer<byte[], byte[]> uncommitted = TopicAccess.consumer(kafka, false);
                 KafkaConsumer<byte[], byte[]> committed = TopicAccess.consumer(kafka, true)) {
                long next = submitted;
                while (true) {
                    next += sampleEvery.toNanos();
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                    double minute = (System.nanoTime() - submitted) / 60e9;
                    SoakSample s = sample(minute, cluster, jobId, simulator, admin, uncommitted, committed);
                    samples.add(s);
                    say("%6.1f min  %s  job %s, checkpoints %d (%d failed), state %.0f KiB, checkpoint %d ms, input lag %d,"
                                    + " events %d", s.minute(), rss(s), s.jobState(), s.checkpoints(), s.failedCheckpoints(),
                            s.stateBytes() / 1024.0, s.checkpointMillis(), s.inputLag(), s.eventsCommitted());
                    if (minute * 60e9 >= duration.toNanos() || s.jobState().equals("FAILED")) {
                        break;
                    }
                    if (!simulator.isAlive()) {
                        say("# the simulator ended early (exit %d); see %s", simulator.exitValue(), dir.resolve("simulator.out"));
                        break;
                    }
                }
            }
        } finally {
            if (simulator != null) {
                simulator.destroy();
                simulator.waitFor(30, TimeUnit.SECONDS);
            }
            cluster.stop(Duration.ofSeconds(30));
        }
        return report(samples);
    }

    private int report(List<SoakSample> samples) throws IOException {
        SoakReport report = new SoakReport(samples, warmUp.toSeconds() / 60.0, furnaces);
        report.writeCsv(dir.resolve("soak.csv"));
        String title = String.format(Locale.ROOT, "fmf soak: %d furnaces, %.0f min on the local cluster", furnaces,
                samples.isEmpty() ? 0 : samples.get(samples.size() - 1).minute());
        report.writePlot(dir.resolve("soak.png"), title);
        StringBuilder md = new StringBuilder("# " + title + "\n\n");
        report.summary().forEach(l -> md.append("- ").append(l).append('\n'));
        md.append('\n').append(report.markdownTable(5));
        Files.writeString(dir.resolve("soak.md"), md);
        report.summary().forEach(l -> say("%s", l));
        say("# wrote %s, %s and %s", dir.resolve("soak.csv"), dir.resolve("soak.md"), dir.resolve("soak.png"));
        boolean flat = report.processes().stream().allMatch(p -> report.rssTrend(p).flat()) && report.stateTrend().flat();
        return flat ? 0 : 1;
    }

    private SoakSample sample(double minute, LocalCluster cluster, String jobId, Process simulator, Admin admin,
                              KafkaConsumer<byte[], byte[]> uncommitted, KafkaConsumer<byte[], byte[]> committed)
            throws IOException {
        Map<String, Double> rss = new LinkedHashMap<>();
        for (String p : cluster.folder().recorded()) {
            Optional<ProcessHandle> h = cluster.folder().running(p);
            if (h.isPresent()) {
                put(rss, p, ProcessMemory.rssKiB(h.get().pid()));
            }
        }
        put(rss, SIMULATOR, ProcessMemory.rssKiB(simulator.pid()));
        LocalCluster.Checkpoints c = cluster.checkpoints(jobId);

        Map<TopicPartition, Long> done = TopicAccess.committed(admin, GROUP);
        long lag = 0;
        for (String topic : List.of(Topics.VIDEO_FRAMES, Topics.CURRENT_SAMPLES)) {
            List<TopicPartition> parts = TopicAccess.partitions(uncommitted, topic);
            for (Map.Entry<TopicPartition, Long> e : uncommitted.endOffsets(parts).entrySet()) {
                lag += e.getValue() - done.getOrDefault(e.getKey(), 0L);
            }
        }
        List<TopicPartition> eventParts = TopicAccess.partitions(committed, Topics.ANOMALY_EVENTS);
        long events = 0;
        Map<TopicPartition, Long> begin = committed.beginningOffsets(eventParts);
        for (Map.Entry<TopicPartition, Long> e : committed.endOffsets(eventParts).entrySet()) {
            events += e.getValue() - begin.get(e.getKey());
        }
        return new SoakSample(minute, rss, cluster.jobState(jobId), c.completed(), c.failed(), c.stateBytes(),
                c.durationMillis(), lag, events);
    }

    private static void put(Map<String, Double> rss, String process, OptionalLong kib) {
        if (kib.isPresent()) {
            rss.put(process, kib.getAsLong() / 1024.0);
        }
    }

    private static String rss(SoakSample s) {
        StringBuilder b = new StringBuilder("RSS");
        s.rssMiB().forEach((p, v) -> b.append(String.format(Locale.ROOT, " %s %.0f", p, v)));
        return b.append(" MiB").toString();
    }

    /** The simulator in real time, a JVM of its own so that its memory is measured apart from the job's. */
    private Process startSimulator(String classPath, KafkaSettings kafka, Duration span) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classPath, "org.fmfstream.jobs.cli.FmfCli", "simulate",
                "--bootstrap-servers", kafka.bootstrapServers(), "--furnaces", Integer.toString(furnaces),
                "--duration", span.toSeconds() + "s", "--seed", Long.toString(seed), "--realtime");
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("simulator.out").toFile()).start();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }
}
