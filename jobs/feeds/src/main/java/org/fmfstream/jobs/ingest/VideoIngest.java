package org.fmfstream.jobs.ingest;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.fmfstream.jobs.console.ProgressBar;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;

/**
 * Publishes the frames of a video file or live stream as RGB8 VideoFrames of the model's size.
 * FFmpeg decodes, converts to RGB24 and scales (area averaging, which suits shrinking camera frames
 * to 64x64) in one pass. Event times: for a file, the start time plus each frame's timestamp relative
 * to the first frame; for a live stream, the wall clock when the frame was grabbed. Frame sequence
 * numbers count from 0. The source is opened by {@link #open}, before any sink, so an unreadable
 * video fails before Kafka is contacted.
 */
public final class VideoIngest implements AutoCloseable {
    /** Socket timeout for live streams, so a dead camera ends the ingest instead of hanging it. */
    private static final String LIVE_TIMEOUT_MICROS = "10000000";
    private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-?\\d+)");

    private final VideoSource source;
    private final FFmpegFrameGrabber grabber;
    private final String furnaceId;
    private final String cameraId;
    private final int width;
    private final int height;
    private final long maxFrames;
    private volatile boolean stopRequested;

    /** What was published. */
    public record Summary(long frames, boolean live) {}

    private VideoIngest(VideoSource source, FFmpegFrameGrabber grabber, String furnaceId, String cameraId, int width,
                        int height, long maxFrames) {
        this.source = source;
        this.grabber = grabber;
        this.furnaceId = furnaceId;
        this.cameraId = cameraId;
        this.width = width;
        this.height = height;
        this.maxFrames = maxFrames;
    }

    /**
     * Opens {@code source} for frames of {@code width} x {@code height}.
     *
     * @param maxFrames stop after this many frames; 0 for no limit
     * @throws IllegalArgumentException for impossible settings
     * @throws VideoException           when the source cannot be opened or has no video
     */
    public static VideoIngest open(VideoSource source, String furnaceId, String cameraId, int width, int height,
                                   long maxFrames) {
        if (furnaceId == null || furnaceId.isBlank()) {
            throw new IllegalArgumentException("--furnace-id must not be blank");
        }
        if (cameraId == null || cameraId.isBlank()) {
            throw new IllegalArgumentException("--camera-id must not be blank");
        }
        if (width <= 0 || height <= 0 || width > 8192 || height > 8192) {
            throw new IllegalArgumentException("frame size " + width + "x" + height + " must be between 1 and 8192");
        }
        if (maxFrames < 0) {
            throw new IllegalArgumentException("--max-frames must not be negative");
        }
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.location());
        grabber.setImageWidth(width);
        grabber.setImageHeight(height);
        grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        grabber.setImageScalingFlags(swscale.SWS_AREA);
        if (source.live()) {
            grabber.setOption("rtsp_transport", "tcp");
            grabber.setOption("timeout", LIVE_TIMEOUT_MICROS);
            grabber.setOption("rw_timeout", LIVE_TIMEOUT_MICROS);
        }
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(grabber);
            throw new VideoException("cannot open video " + source.location() + ": " + reason(e), e);
        }
        if (!grabber.hasVideo()) {
            closeQuietly(grabber);
            throw new VideoException(source.location() + " has no video stream");
        }
        return new VideoIngest(source, grabber, furnaceId, cameraId, width, height, maxFrames);
    }

    /** Frames the file says it holds (may be an estimate); 0 for live streams or when unknown. */
    public long expectedFrames() {
        if (source.live()) {
            return 0;
        }
        long length = Math.max(0, grabber.getLengthInVideoFrames());
        return maxFrames > 0 ? Math.min(length, maxFrames) : length;
    }

    /**
     * Publishes frames until the file ends, {@link #stop()}, an interrupt or {@code maxFrames};
     * flushes the sink.
     *
     * @param startMicros event time of a file's first frame; ignored for live streams
     * @param progress    advanced once per frame
     * @throws VideoException when decoding fails; the frames before it were published
     */
    public Summary publish(long startMicros, FurnaceRecordSink sink, ProgressBar progress) {
        long frames = 0;
        long firstTimestamp = Long.MIN_VALUE;
        try {
            while (!stopRequested && !Thread.currentThread().isInterrupted() && (maxFrames == 0 || frames < maxFrames)) {
                Frame frame;
                try {
                    frame = grabber.grabImage();
                } catch (FrameGrabber.Exception e) {
                    throw new VideoException("cannot decode " + source.location() + " after " + frames + " frames: "
                            + reason(e), e);
                }
                if (frame == null) {
                    break;
                }
                long eventMicros;
                if (source.live()) {
                    Instant now = Instant.now();
                    eventMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
                } else {
                    if (firstTimestamp == Long.MIN_VALUE) {
                        firstTimestamp = frame.timestamp;
                    }
                    eventMicros = startMicros + (frame.timestamp - firstTimestamp);
                }
                // A fresh array per frame: the record keeps it (the sink may still be sending it).
                byte[] payload = new byte[width * height * 3];
                copyRgb(frame, payload);
                sink.frame(VideoFrame.newBuilder()
                        .setFurnaceId(furnaceId)
                        .setCameraId(cameraId)
                        .setFrameSeq(frames)
                        .setEventTimeMicros(eventMicros)
                        .setWidth(width)
                        .setHeight(height)
                        .setEncoding(PixelEncoding.RGB8)
                        .setPayload(ByteBuffer.wrap(payload))
                        .setGroundTruthMask(null)
                        .build());
                frames++;
                progress.advance(1);
            }
        } finally {
            sink.flush();
        }
        return new Summary(frames, source.live());
    }

    /** Ends a running publish after the current frame. Safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    @Override
    public void close() {
        closeQuietly(grabber);
    }

    /**
     * The frame's RGB rows into the payload, dropping the row padding FFmpeg adds for alignment (JavaCV
     * then reports stride/width as the channel count, so the stride is what is checked).
     */
    private void copyRgb(Frame frame, byte[] payload) {
        if (frame.imageWidth != width || frame.imageHeight != height || frame.imageStride < width * 3
                || frame.imageDepth != Frame.DEPTH_UBYTE) {
            throw new VideoException("decoder returned a " + frame.imageWidth + "x" + frame.imageHeight
                    + " frame with rows of " + frame.imageStride + " bytes, not " + width + "x" + height + " RGB24");
        }
        ByteBuffer image = ((ByteBuffer) frame.image[0]).duplicate();
        int row = width * 3;
        for (int y = 0; y < height; y++) {
            image.position(y * frame.imageStride);
            image.get(payload, y * row, row);
        }
    }

    /**
     * FFmpeg's own words for the error code in JavaCV's message, without JavaCV's hints to
     * developers ("Has setFormat() been called?").
     */
    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        for (String hint : new String[] {" (Has setFormat", " (For more details"}) {
            int at = message.indexOf(hint);
            if (at > 0) {
                message = message.substring(0, at);
            }
        }
        Matcher m = FFMPEG_ERROR.matcher(message);
        if (m.find()) {
            try (BytePointer text = new BytePointer(256)) {
                if (avutil.av_strerror(Integer.parseInt(m.group(1)), text, 256) == 0) {
                    byte[] raw = new byte[256];
                    text.get(raw);
                    int length = 0;
                    while (length < raw.length && raw[length] != 0) {
                        length++;
                    }
                    return new String(raw, 0, length, java.nio.charset.StandardCharsets.UTF_8) + " (" + message + ")";
                }
            } catch (NumberFormatException ignored) {
                // Not an int: keep JavaCV's message as it is.
            }
        }
        return message;
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception ignored) {
            // Closing a source we only read from loses nothing.
        }
    }

    /** The video could not be opened or decoded; the message says which and why. */
    public static final class VideoException extends RuntimeException {
        VideoException(String message) {
            super(message);
        }

        VideoException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
