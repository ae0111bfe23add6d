package org.fmfstream.jobs.view;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fmfstream.jobs.kafka.KafkaOptions;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.console.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./fmf view}: the live web view of every furnace. */
@Command(name = "view",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Serves a web page on 127.0.0.1 with one tile per furnace: the latest frame with the predicted mask"
                        + " (and the ground truth outlined when the frames carry one), the three phase currents of the"
                        + " last 120 s, the anomaly probability timeline with the threshold, degraded windows and"
                        + " incidents; a click on a window shows its 10-frame clip.",
                "Reads the committed topics (read_committed) of the live job, or of a replay run with --run, and"
                        + " can overlay a second run's probabilities with --compare. Ctrl-C stops it."})
public final class ViewCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions = new KafkaOptions();

    @Option(names = "--port", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port).")
    private int port = 8088;

    @Option(names = "--run", paramLabel = "NAME",
            description = "Show a replay run's events and masks (fmf.replay.NAME.*) instead of the live job's.")
    private String run;

    @Option(names = "--compare", paramLabel = "RUN",
            description = "Overlay the probabilities of another run (a replay run's name, or 'live').")
    private String compare;

    @Option(names = "--history", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How far back in event time (record timestamps) the page starts (default: 10m for the"
                    + " live job; every record with --run, whose replayed event times may lie far in the past).")
    private Duration history;

    @Option(names = "--all", description = "Read every record of the topics instead of --history.")
    private boolean all;

    @Option(names = "--frames-per-second", paramLabel = "FPS",
            description = "Frames per furnace sent to the page (default: ${DEFAULT-VALUE}; the camera's rate is thinned).")
    private double framesPerSecond = 4;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0..65535, got " + port);
        }
        if (!(framesPerSecond > 0 && framesPerSecond <= 60)) {
            throw new ParameterException(spec.commandLine(), "--frames-per-second must be in (0, 60], got " + framesPerSecond);
        }
        KafkaSettings kafka;
        ViewTopics topics;
        try {
            kafka = kafkaOptions.settings();
            topics = ViewTopics.live();
            if (run != null) {
                topics = topics.forRun(run);
            }
            if (compare != null) {
                topics = topics.comparedWith(compare);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Duration from = all || (history == null && run != null) ? null
                : history == null ? Duration.ofMinutes(10) : history;
        try (ViewServer server = ViewServer.start(kafka, topics, port, from, framesPerSecond)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "fmf-view-stop"));
            out.println("view: " + server.url() + " (furnaces of " + topics.runLabel() + " from Kafka at "
                    + kafka.bootstrapServers() + ", " + (from == null ? "every record" : "the last " + from)
                    + "; Ctrl-C stops it)");
            out.flush();
            stopped.await();
        }
        return 0;
    }
}
