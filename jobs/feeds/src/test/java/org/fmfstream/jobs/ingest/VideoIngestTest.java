package org.fmfstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.fmfstream.jobs.importer.CollectingSink;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Encodes a real MP4 with FFmpeg (MPEG-4 part 2, built into the LGPL build) and ingests it. */
class VideoIngestTest {
    static final int SRC_W = 128;
    static final int SRC_H = 96;
    static final int FRAMES = 50;
    static final int FPS = 25;
    static final int TOLERANCE = 40;

    @TempDir
    static Path videos;
    static Path mp4;

    /** Left half red, right half blue, a white 16x16 square moving right along the top. */
    @BeforeAll
    static void encode() throws Exception {
        mp4 = videos.resolve("furnace.mp4");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(mp4.toString(), SRC_W, SRC_H)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(FPS);
            recorder.setVideoQuality(2);
            recorder.start();
            for (int i = 0; i < FRAMES; i++) {
                Frame frame = new Frame(SRC_W, SRC_H, Frame.DEPTH_UBYTE, 3);
                ByteBuffer pixels = (ByteBuffer) frame.image[0];
                for (int y = 0; y < SRC_H; y++) {
                    for (int x = 0; x < SRC_W; x++) {
                        boolean square = y < 16 && x >= 2 * i && x < 2 * i + 16;
                        int o = y * frame.imageStride + x * 3;
                        pixels.put(o, (byte) (square || x < SRC_W / 2 ? 255 : 0));
                        pixels.put(o + 1, (byte) (square ? 255 : 0));
                        pixels.put(o + 2, (byte) (square || x >= SRC_W / 2 ? 255 : 0));
                    }
                }
                recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
        }
    }

    private record Run(int exit, String err, CollectingSink sink) {}

    private static Run ingestVideo(String... args) {
        CollectingSink sink = new CollectingSink();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new IngestVideoCommand((k, video, c) -> {
            assertThat(video).isEqualTo("frames");
            return sink;
        }));
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cli.execute(args);
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        return new Run(exit, err.toString(), sink);
    }

    @Test
    void publishesEveryFrameScaledTo64x64Rgb8WithEventTimesSpacedByTheFrameRate() {
        long start = Instant.parse("2023-05-10T21:33:27Z").getEpochSecond() * 1_000_000L;
        Run r = ingestVideo(mp4.toString(), "--furnace-id", "F01", "--camera-id", "shell-east",
                "--start-time", "2023-05-10T21:33:27Z", "--video-topic", "frames");

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.err).contains("published 50 frames of 64x64 for furnace F01 camera shell-east");
        List<VideoFrame> frames = r.sink.frames;
        assertThat(frames).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            VideoFrame f = frames.get(i);
            assertThat(f.getFrameSeq()).isEqualTo(i);
            assertThat(f.getFurnaceId()).isEqualTo("F01");
            assertThat(f.getCameraId()).isEqualTo("shell-east");
            assertThat(f.getEncoding()).isEqualTo(PixelEncoding.RGB8);
            assertThat(f.getWidth()).isEqualTo(64);
            assertThat(f.getHeight()).isEqualTo(64);
            assertThat(f.getPayload().remaining()).isEqualTo(64 * 64 * 3);
            assertThat(f.getGroundTruthMask()).isNull();
            assertThat(f.getEventTimeMicros()).isCloseTo(start + i * 1_000_000L / FPS, org.assertj.core.data.Offset.offset(1000L));
            // Below the square's rows: red on the left, blue on the right (away from the seam).
            for (int y = 16; y < 64; y += 6) {
                for (int x = 2; x < 28; x += 5) {
                    assertColor(f, x, y, 255, 0, 0);
                    assertColor(f, 63 - x, y, 0, 0, 255);
                }
            }
        }
        // The white square: at frame 40 it covers source x 80..95, i.e. x 40..47 of 64, rows 0..10.
        assertColor(frames.get(40), 43, 4, 255, 255, 255);
        assertColor(frames.get(0), 43, 4, 0, 0, 255);
    }

    @Test
    void withoutAStartTimeAFileStartsAtItsModificationTime(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(mp4, dir.resolve("copy.mp4"));
        Instant mtime = Instant.parse("2024-01-02T03:04:05Z");
        Files.setLastModifiedTime(copy, FileTime.from(mtime));
        Run r = ingestVideo(copy.toString(), "--furnace-id", "F01", "--video-topic", "frames", "--max-frames", "3",
                "--width", "32", "--height", "16");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.sink.frames).hasSize(3);
        assertThat(r.sink.frames.get(0).getEventTimeMicros()).isEqualTo(mtime.getEpochSecond() * 1_000_000L);
        assertThat(r.sink.frames.get(2).getWidth()).isEqualTo(32);
        assertThat(r.sink.frames.get(2).getHeight()).isEqualTo(16);
        assertThat(r.sink.frames.get(2).getPayload().remaining()).isEqualTo(32 * 16 * 3);
    }

    @Test
    void unreadableOrMissingVideosAreClearErrors(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.mp4");
        Files.writeString(text, "this is not a video\n".repeat(20));
        Run bad = ingestVideo(text.toString(), "--furnace-id", "F01", "--video-topic", "frames");
        assertThat(bad.exit).isEqualTo(1);
        assertThat(bad.err).contains("ingest-video: cannot open video " + text + ": Invalid data found when processing input")
                .doesNotContain("setFormat");
        assertThat(bad.sink.frames).isEmpty();

        Run missing = ingestVideo(dir.resolve("none.mp4").toString(), "--furnace-id", "F01", "--video-topic", "frames");
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.err).contains("none.mp4 does not exist");

        Run start = ingestVideo(mp4.toString(), "--furnace-id", "F01", "--video-topic", "frames", "--start-time", "noon");
        assertThat(start.err).contains("--start-time 'noon' is not an ISO-8601 instant");

        Run size = ingestVideo(mp4.toString(), "--furnace-id", "F01", "--video-topic", "frames", "--width", "0");
        assertThat(size.err).contains("frame size 0x64 must be between 1 and 8192");
    }

    private static void assertColor(VideoFrame f, int x, int y, int r, int g, int b) {
        ByteBuffer p = f.getPayload();
        int o = p.position() + (y * f.getWidth() + x) * 3;
        assertThat(p.get(o) & 0xff).as("R at (%d,%d) of frame %d", x, y, f.getFrameSeq()).isCloseTo(r, org.assertj.core.data.Offset.offset(TOLERANCE));
        assertThat(p.get(o + 1) & 0xff).as("G at (%d,%d) of frame %d", x, y, f.getFrameSeq()).isCloseTo(g, org.assertj.core.data.Offset.offset(TOLERANCE));
        assertThat(p.get(o + 2) & 0xff).as("B at (%d,%d) of frame %d", x, y, f.getFrameSeq()).isCloseTo(b, org.assertj.core.data.Offset.offset(TOLERANCE));
    }
}
