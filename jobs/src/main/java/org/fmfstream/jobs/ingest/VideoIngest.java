package org.fmfstream.jobs.ingest;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.fmfstream.jobs.cli.ProgressBar;
import org.fmfstream.jobs.sink.FurnaceRecordSink;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;

/**
 * Publishes the frames of a video file or live stream as RGB8 VideoFrames of the model's size.
 * FFmpeg decodes, converts to RGB24 and scales (area averaging, which suits shrinking camera frames
 * to 64x64) in one pass. Event times: for a file, the start time plus each frame's timestamp relative
 * to the first frame; for a live stream, the wall clock when the frame was grabbed. Frame sequence
 * numbers count from 0.
 */
public final class VideoIngest {
    /** Socket timeout for live streams, so a dead camera ends the ingest instead of hanging it. */
    private static final String LIVE_TIMEOUT_MICROS = "10000000";

    private final String furnaceId;
    private final String cameraId;
    private final int width;
    private final int height;
    private final long maxFrames;
    private volatile boolean stopRequested;

    /** What was published. */
    public record Summary(long frames, boolean live) {}

    /**
     * @param maxFrames stop after this many frames; 0 for no limit
     */
    public VideoIngest(String furnaceId, String cameraId, int width, int height, long maxFrames) {
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
        this.furnaceId = furnaceId;
        this.cameraId = cameraId;
        this.width = width;
        this.height = height;
        this.maxFrames = maxFrames;
    }

    /**
     * Reads {@code source} to its end (files), until {@link #stop()}, an interrupt or {@code maxFrames}.
     *
     * @param startMicros event time of a file's first frame; ignored for live streams
     * @param progress    advanced once per frame; its total is set from the file's frame count
     * @throws VideoException when the source cannot be opened or decoded
     */
    public Summary run(VideoSource source, long startMicros, FurnaceRecordSink sink, ProgressBar progress) {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        long frames = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.location())) {
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
                throw new VideoException("cannot open video " + source.location() + ": " + reason(e), e);
            }
            if (!grabber.hasVideo()) {
                throw new VideoException(source.location() + " has no video stream");
            }
            if (!source.live()) {
                long length = Math.max(0, grabber.getLengthInVideoFrames());
                progress.setTotal(maxFrames > 0 ? Math.min(length, maxFrames) : length);
            }
            long firstTimestamp = Long.MIN_VALUE;
            byte[] payload = new byte[width * height * 3];
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
                copyRgb(frame, payload);
                sink.frame(VideoFrame.newBuilder()
                        .setFurnaceId(furnaceId)
                        .setCameraId(cameraId)
                        .setFrameSeq(frames)
                        .setEventTimeMicros(eventMicros)
                        .setWidth(width)
                        .setHeight(height)
                        .setEncoding(PixelEncoding.RGB8)
                        .setPayload(ByteBuffer.wrap(payload.clone()))
                        .setGroundTruthMask(null)
                        .build());
                frames++;
                progress.advance(1);
            }
        } catch (FrameGrabber.Exception e) {
            // Thrown by close() only: the frames were read and published.
            throw new VideoException("cannot close " + source.location() + ": " + reason(e), e);
        } finally {
            sink.flush();
        }
        return new Summary(frames, source.live());
    }

    /** Ends a running ingest after the current frame. Safe from any thread. */
    public void stop() {
        stopRequested = true;
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

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
