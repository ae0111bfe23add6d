package org.fmfstream.jobs.demo;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.fmfstream.jobs.job.FurnaceAnomalyJob;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.jobs.kafka.FmfTopics;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.TopicAccess;
import org.fmfstream.jobs.view.ViewServer;
import org.fmfstream.jobs.view.ViewTopics;
import org.fmfstream.schemas.Topics;
import org.fmfstream.jobs.kafka.LocalKafkaBroker;
import org.fmfstream.jobs.console.DurationConverter;
import org.fmfstream.jobs.simulator.FurnaceSimulation;
import org.fmfstream.jobs.simulator.Simulation;
import org.fmfstream.jobs.simulator.SimulationRun;
import org.fmfstream.jobs.simulator.SimulatorConfig;
import org.fmfstream.jobs.feed.KafkaFurnaceSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./fmf demo}: everything on one machine. A fresh local Kafka broker, the simulator feeding
 * furnaces in real time, the detection job in an embedded Flink, and {@link AnomalyConsole}
 * printing each anomaly as it lands on the events topic and drawing its mask. Ctrl-C stops the
 * simulator, cancels the job and stops the broker, in that order.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline locally: Kafka broker, simulated furnaces in real time,",
                "the detection job (embedded Flink) and a live console of anomaly events. Ctrl-C stops it."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--furnaces", description = "Simulated furnaces (default: ${DEFAULT-VALUE}).")
    int furnaces = 2;

    @Option(names = "--episodes-per-hour", description = "Burn-through episodes per furnace and hour (default: ${DEFAULT-VALUE}).")
    double episodesPerHour = 12;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "How long the simulator runs (default: ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofHours(8);

    @Option(names = "--seed", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed = 202;

    @Option(names = "--pictures", paramLabel = "DIR",
            description = "Where mask-overlay PNGs of anomalies go (default: ${DEFAULT-VALUE}).")
    Path pictures = Path.of(".fmf/demo/masks");

    @Option(names = "--backfill", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Simulated history delivered at once before real time starts, so the first windows have"
                    + " their full 120 s of current (default: ${DEFAULT-VALUE}).")
    Duration backfill = Duration.ofMinutes(2);

    @Option(names = "--model", paramLabel = "DIR",
            description = "Score with this model (a saved or imported model directory, or a TorchScript .pt file)"
                    + " instead of the shipped one.")
    Path model;

    @Option(names = "--view-port", paramLabel = "PORT",
            description = "Port of the web view on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port; -1 = no view).")
    int viewPort = 8088;

    @Option(names = "--checkpoint-interval", converter = DurationConverter.class,
            description = "Checkpoint interval; exactly-once events become visible at each checkpoint (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval = Duration.ofSeconds(2);

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Broker data and checkpoints, wiped at start (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of(".fmf/demo");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintStream console = System.out;
        try {
            simulatorConfig(); // refuse bad simulator settings before anything starts
            if (model != null && !java.nio.file.Files.exists(model)) {
                throw new IllegalArgumentException("--model " + model + " does not exist");
            }
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        out.println("demo: starting a local Kafka broker...");
        out.flush();
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).controllerPort(0)
                .dataDir(workDir.resolve("kafka")).fresh(true).start()) {
            KafkaSettings kafka = broker.settings();
            FmfTopics.ensure(kafka, 1, FmfTopics.Retention.BY_AGE, Duration.ofSeconds(60));

            JobConfig config = JobConfig.of(demoConfig(broker.bootstrapServers()));
            // The fresh broker's offsets topic exists before the job's first checkpoint commits offsets.
            TopicAccess.awaitGroupCoordinator(kafka, config.groupId(), Duration.ofSeconds(60));
            out.println("demo: broker on " + broker.bootstrapServers() + "; " + FurnaceAnomalyJob.describe(config));
            out.flush();
            StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(config, null);
            FurnaceAnomalyJob.define(env, config);
            JobClient job = env.executeAsync(FurnaceAnomalyJob.JOB_NAME);

            Simulation simulation = Simulation.of(simulatorConfig());
            long nowMicros = simulation.config().startEpochMicros() + backfill.toNanos() / 1000;
            for (FurnaceSimulation f : simulation.furnaces()) {
                long firstIn = f.episodes().isEmpty() ? 0 : f.episodes().get(0).startMicros() - nowMicros;
                out.printf("demo: %s has %d burn-through episodes in %s (%s back-filled); first %s%n", f.furnaceId(),
                        f.episodes().size(), duration.plus(backfill), backfill, f.episodes().isEmpty() ? "-"
                                : firstIn < 0 ? "in the back-filled history" : "in " + Duration.ofNanos(firstIn * 1000));
            }
            out.println("demo: " + backfill + " of history go out at once, then real time; anomalies print below as"
                    + " the job writes them; pictures in " + pictures.toAbsolutePath());
            out.flush();

            SimulationRun run = SimulationRun.of(simulation).realtime(backfill);
            AnomalyConsole view = new AnomalyConsole(kafka, config.eventsTopic(), config.masksTopic(),
                    config.framesTopic(), pictures, console, Duration.ofSeconds(15));
            Thread viewer = new Thread(view, "fmf-demo-console");
            viewer.setDaemon(true);
            viewer.start();
            ViewServer web = viewPort < 0 ? null : ViewServer.start(kafka, new ViewTopics(config.framesTopic(),
                    config.currentsTopic(), config.eventsTopic(), config.masksTopic(), Topics.ALERTS, "the demo",
                    null, null), viewPort, Duration.ofMinutes(10), 4);
            if (web != null) {
                out.println("demo: web view of every furnace at " + web.url());
                out.flush();
            }
            Thread simulator = new Thread(() -> {
                try (KafkaFurnaceSink sink = new KafkaFurnaceSink(kafka)) {
                    run.deliverTo(sink);
                } catch (RuntimeException e) {
                    console.println("demo: the simulator stopped: " + e.getMessage());
                }
            }, "fmf-demo-simulator");
            simulator.start();

            CountDownLatch stopped = new CountDownLatch(1);
            Thread stopOnExit = new Thread(() -> {
                console.println("demo: stopping...");
                run.stop();
                try {
                    simulator.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                job.cancel().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
                view.close();
                if (web != null) {
                    web.close();
                }
                try {
                    stopped.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fmf-demo-shutdown");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            try {
                simulator.join();
                // The simulation ran its whole duration: let the job drain the last windows, then stop.
                Thread.sleep(checkpointInterval.toMillis() * 3 + 5_000);
                job.cancel().get(30, TimeUnit.SECONDS);
                view.close();
                if (web != null) {
                    web.close();
                }
                console.printf("demo: done, %d anomalous windows shown, %d pictures%n", view.anomalies(),
                        view.picturesWritten());
                return 0;
            } finally {
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnExit);
                } catch (IllegalStateException exiting) {
                    // Ctrl-C: the hook runs now.
                }
            }
        }
    }

    /** The simulated furnaces, starting now (the simulator paces itself from its start time). */
    private SimulatorConfig simulatorConfig() {
        return SimulatorConfig.builder()
                .furnaces(furnaces).seed(seed).duration(duration.plus(backfill)).episodesPerHour(episodesPerHour)
                .start(java.time.Instant.now().minus(backfill)).build().validate();
    }

    private Map<String, String> demoConfig(String bootstrapServers) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", bootstrapServers);
        m.put("start.from", "earliest");
        m.put("checkpoint.interval", checkpointInterval.toMillis() + "ms");
        // A fresh folder per run: the demo never restores, and old runs' checkpoints only fill the disk.
        m.put("checkpoint.dir", workDir.resolve("checkpoints").resolve(Long.toString(System.currentTimeMillis())).toString());
        m.put("transactional.id.prefix", "fmf-demo-" + System.currentTimeMillis());
        if (model != null) {
            m.put("model.path", model.toString());
        }
        return m;
    }
}
