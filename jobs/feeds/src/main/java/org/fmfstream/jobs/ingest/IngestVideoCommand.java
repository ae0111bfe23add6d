package org.fmfstream.jobs.ingest;

import org.fmfstream.jobs.kafka.KafkaOptions;
import org.fmfstream.jobs.feed.SinkFactory;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.fmfstream.jobs.console.ProgressBar;
import org.fmfstream.jobs.kafka.RecordPublisher;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.schemas.Topics;
import org.fmfstream.schemas.codec.RecordCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./fmf ingest-video SOURCE}: publishes a video file or camera stream as model-size frames. */
@Command(name = "ingest-video",
        mixinStandardHelpOptions = true,
        description = {
                "Publishes a video file or camera stream to Kafka as model-size RGB8 frames.",
                "",
                "SOURCE is a video file or a live stream URL (rtsp://, http://, ...); FFmpeg decodes it and scales "
                        + "every frame to --width x --height.",
                "Event time: --start-time (default: the file's modification time) plus the frame's timestamp for "
                        + "files; the wall clock at grab for live streams."})
public final class IngestVideoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SOURCE", description = "A video file, or a stream URL such as rtsp://camera/stream.")
    String source;

    @Option(names = "--furnace-id", required = true, description = "Furnace the camera films.")
    String furnaceId;

    @Option(names = "--camera-id", defaultValue = "cam0", description = "Camera id (default: ${DEFAULT-VALUE}).")
    String cameraId;

    @Option(names = "--width", defaultValue = "" + RecordCodec.MODEL_FRAME_SIZE,
            description = "Frame width to publish (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "" + RecordCodec.MODEL_FRAME_SIZE,
            description = "Frame height to publish (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--start-time", paramLabel = "INSTANT",
            description = "Event time of a file's first frame, ISO-8601 (e.g. 2023-05-10T21:33:27Z); "
                    + "default: the file's modification time.")
    String startTime;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "0",
            description = "Stop after N frames (default: no limit).")
    long maxFrames;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--video-topic", defaultValue = Topics.VIDEO_FRAMES, description = "Default: ${DEFAULT-VALUE}.")
    String videoTopic;

    @Spec
    CommandSpec spec;

    private final SinkFactory sinks;

    public IngestVideoCommand() {
        this(SinkFactory.kafka());
    }

    IngestVideoCommand(SinkFactory sinks) {
        this.sinks = sinks;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (GracefulStop stop = GracefulStop.forCurrentThread()) {
            VideoSource video = VideoSource.of(source);
            if (video.live() && startTime != null) {
                throw new IllegalArgumentException("--start-time applies to files; live frames get the wall clock");
            }
            long startMicros = video.live() ? 0 : startTime != null ? parseInstant(startTime) : video.modifiedMicros();
            long started = System.nanoTime();
            VideoIngest.Summary summary;
            try (VideoIngest ingest = VideoIngest.open(video, furnaceId, cameraId, width, height, maxFrames)) {
                ProgressBar progress = new ProgressBar("ingest-video", "frames", ingest.expectedFrames(), err,
                        ProgressBar.stderrIsTerminal(), System::nanoTime);
                try (FurnaceRecordSink sink = sinks.open(kafka.settings(), videoTopic, Topics.CURRENT_SAMPLES)) {
                    try {
                        summary = ingest.publish(startMicros, sink, progress);
                    } finally {
                        progress.finish();
                    }
                }
            }
            err.printf(Locale.ROOT, "ingest-video: published %,d frames of %dx%d for furnace %s camera %s in %.1f s%n",
                    summary.frames(), width, height, furnaceId, cameraId, (System.nanoTime() - started) / 1e9);
            return 0;
        } catch (IllegalArgumentException | VideoIngest.VideoException | RecordPublisher.PublishException
                 | KafkaException e) {
            err.println("ingest-video: " + e.getMessage());
            return 1;
        }
    }

    private static long parseInstant(String text) {
        try {
            Instant i = Instant.parse(text);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--start-time '" + text + "' is not an ISO-8601 instant "
                    + "(e.g. 2023-05-10T21:33:27Z)");
        }
    }
}
