package org.fmfstream.jobs.ingest;

import org.fmfstream.jobs.kafka.KafkaOptions;
import org.fmfstream.jobs.feed.SinkFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.fmfstream.jobs.console.ProgressBar;
import org.fmfstream.jobs.kafka.RecordPublisher;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./fmf ingest-current [FILE|-]}: publishes PLC current exports to Kafka. */
@Command(name = "ingest-current",
        mixinStandardHelpOptions = true,
        description = {
                "Publishes PLC electrode current exports (CSV time,A,B,C) to Kafka.",
                "",
                "Reads CSV lines time,A,B,C (amperes, optional header) from FILE or stdin and publishes them as "
                        + "CurrentSample blocks.",
                "Times: ISO-8601 instant (2023-05-10T21:33:27.5Z) or local date-time, yyyy-MM-dd HH:mm:ss[.SSS] "
                        + "in --zone, or epoch milliseconds. Malformed lines and NaN/infinite currents are "
                        + "reported with their line number and skipped."})
public final class IngestCurrentCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE|-", arity = "0..1", defaultValue = "-",
            description = "The export to read; - (the default) reads stdin.")
    String input;

    @Option(names = "--furnace-id", required = true, description = "Furnace the currents belong to.")
    String furnaceId;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--current-topic", defaultValue = Topics.CURRENT_SAMPLES, description = "Default: ${DEFAULT-VALUE}.")
    String currentTopic;

    @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE",
            description = "Zone of times without one (default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--block", paramLabel = "N", defaultValue = "1",
            description = "Readings per CurrentSample (default: ${DEFAULT-VALUE}).")
    int block;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "2",
            description = "Readings per second of the PLC; the samples' rate (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--follow", description = "Keep reading the FILE as it grows (like tail -F) until Ctrl-C.")
    boolean follow;

    @Option(names = "--poll-ms", defaultValue = "250", hidden = true, description = "Follow poll interval.")
    long pollMillis;

    @Spec
    CommandSpec spec;

    private final SinkFactory sinks;
    private final InputStream stdin;

    public IngestCurrentCommand() {
        this(SinkFactory.kafka(), System.in);
    }

    IngestCurrentCommand(SinkFactory sinks, InputStream stdin) {
        this.sinks = sinks;
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        boolean fromStdin = "-".equals(input);
        if (follow && fromStdin) {
            throw new ParameterException(spec.commandLine(), "--follow needs a FILE; stdin cannot be followed");
        }
        String where = fromStdin ? "stdin" : input;
        try (GracefulStop stop = GracefulStop.forCurrentThread()) {
            PlcTimeParser times = new PlcTimeParser(zone());
            if (!fromStdin) {
                Path file = Path.of(input);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException(input + (Files.exists(file) ? " is not a regular file" : " does not exist"));
                }
            }
            ProgressBar progress = new ProgressBar("ingest-current", "readings", 0, err,
                    ProgressBar.stderrIsTerminal(), System::nanoTime);
            CurrentCsvIngest.Summary summary;
            try (FurnaceRecordSink sink = sinks.open(kafka.settings(), Topics.VIDEO_FRAMES, currentTopic);
                 LineSource lines = open(fromStdin, msg -> progress.println(where + ": " + msg))) {
                CurrentCsvIngest ingest = new CurrentCsvIngest(furnaceId, times, block, rate, sink,
                        msg -> progress.println(where + " " + msg), () -> progress.advance(1));
                try {
                    summary = ingest.run(lines);
                } finally {
                    progress.finish();
                }
            }
            err.printf(Locale.ROOT, "ingest-current: published %,d readings in %,d samples for furnace %s; "
                    + "%,d malformed line(s) skipped%n", summary.readings(), summary.samples(), furnaceId,
                    summary.skippedLines());
            return 0;
        } catch (IllegalArgumentException | RecordPublisher.PublishException | KafkaException e) {
            err.println("ingest-current: " + e.getMessage());
            return 1;
        } catch (IOException | UncheckedIOException e) {
            err.println("ingest-current: cannot read " + where + ": " + e.getMessage());
            return 1;
        }
    }

    private LineSource open(boolean fromStdin, java.util.function.Consumer<String> notices) throws IOException {
        if (fromStdin) {
            return new StreamLineSource(stdin);
        }
        Path file = Path.of(input);
        return follow ? FollowedFile.open(file, pollMillis, notices) : new StreamLineSource(Files.newInputStream(file));
    }

    private ZoneId zone() {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--zone '" + zone + "' is not a time zone (e.g. UTC, Asia/Shanghai, +08:00)");
        }
    }
}
