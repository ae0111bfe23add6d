package org.fmfstream.jobs.importer;

import org.fmfstream.model.dataset.BenchmarkReader;
import org.fmfstream.model.dataset.BenchmarkFormatException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.fmfstream.jobs.console.ProgressBar;
import org.fmfstream.jobs.ingest.GracefulStop;
import org.fmfstream.jobs.kafka.KafkaOptions;
import org.fmfstream.jobs.feed.SinkFactory;
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

/** {@code ./fmf import-benchmark DIR}: replays a benchmark layout into Kafka. */
@Command(name = "import-benchmark",
        mixinStandardHelpOptions = true,
        description = {
                "Replays the public FMF benchmark layout into Kafka with the original event times.",
                "",
                "DIR is an FMFBenchmarkV2/pixel-level layout: videos/NAME.mat, timestamps/NAME.csv, "
                        + "currents/NAME.csv. Frames go out as RGB8 with their labels as ground-truth masks, "
                        + "each current reading as one sample; per recording, frames and currents are interleaved "
                        + "in event-time order. Second-resolution timestamps are spread evenly within their second."})
public final class ImportBenchmarkCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The layout directory (holding videos/, timestamps/, currents/).")
    Path dir;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--video-topic", defaultValue = Topics.VIDEO_FRAMES, description = "Default: ${DEFAULT-VALUE}.")
    String videoTopic;

    @Option(names = "--current-topic", defaultValue = Topics.CURRENT_SAMPLES, description = "Default: ${DEFAULT-VALUE}.")
    String currentTopic;

    @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE",
            description = "Time zone of the CSV timestamps, e.g. Asia/Shanghai (default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--realtime", description = "Pace publishing by the original event times.")
    boolean realtime;

    @Option(names = "--fast", description = "Publish as fast as Kafka takes it (the default).")
    boolean fast;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1",
            description = "With --realtime: play X times as fast (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--furnace-id", paramLabel = "NAME=ID|ID", split = ",",
            description = "Furnace id per recording (NAME=ID), or one ID for all; default: the recording NAME.")
    List<String> furnaceIds = new ArrayList<>();

    @Option(names = "--names", paramLabel = "NAME", split = ",",
            description = "Recordings to import (default: all videos/*.mat).")
    List<String> names = new ArrayList<>();

    @Option(names = "--camera-id", defaultValue = "cam0", description = "Camera id of the frames (default: ${DEFAULT-VALUE}).")
    String cameraId;

    @Spec
    CommandSpec spec;

    private final SinkFactory sinks;

    public ImportBenchmarkCommand() {
        this(SinkFactory.kafka());
    }

    ImportBenchmarkCommand(SinkFactory sinks) {
        this.sinks = sinks;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (realtime && fast) {
            throw new ParameterException(spec.commandLine(), "--realtime and --fast exclude each other");
        }
        if (!realtime && speed != 1) {
            throw new ParameterException(spec.commandLine(), "--speed needs --realtime");
        }
        try (GracefulStop stop = GracefulStop.forCurrentThread()) {
            ZoneId zoneId = zone();
            EventTimePacer pacer = realtime ? EventTimePacer.realtime(speed) : EventTimePacer.fast();
            FurnaceIdMapping mapping = FurnaceIdMapping.parse(furnaceIds);
            ProgressBar progress = new ProgressBar("import-benchmark", "records", 0, err,
                    ProgressBar.stderrIsTerminal(), System::nanoTime);
            BenchmarkReader reader = BenchmarkReader.open(dir, zoneId, progress::println);
            long started = System.nanoTime();
            try (BenchmarkImporter importer = BenchmarkImporter.open(reader, names)) {
                mapping.checkNames(importer.names());
                progress.setTotal(importer.totalRecords());
                BenchmarkImporter.Summary summary;
                try (FurnaceRecordSink sink = sinks.open(kafka.settings(), videoTopic, currentTopic)) {
                    try {
                        summary = importer.publish(sink, mapping, cameraId, pacer, progress);
                    } finally {
                        progress.finish();
                    }
                }
                err.printf(Locale.ROOT, "import-benchmark: published %,d frames and %,d current readings of %d "
                                + "recording(s) %s in %.1f s%n", summary.frames(), summary.currentReadings(),
                        summary.recordings(), importer.names(), (System.nanoTime() - started) / 1e9);
                return 0;
            } catch (InterruptedException e) {
                err.println("import-benchmark: interrupted; records published so far were flushed");
                return 130;
            }
        } catch (BenchmarkFormatException | IllegalArgumentException | UncheckedIOException
                 | RecordPublisher.PublishException | KafkaException e) {
            err.println("import-benchmark: " + e.getMessage());
            return 1;
        }
    }

    private ZoneId zone() {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--zone '" + zone + "' is not a time zone (e.g. UTC, Asia/Shanghai, +08:00)");
        }
    }
}
