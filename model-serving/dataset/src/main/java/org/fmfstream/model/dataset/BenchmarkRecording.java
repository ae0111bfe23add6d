package org.fmfstream.model.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * One recording NAME of a layout: its video (read lazily in slices), the event time of every frame
 * and its current readings. Opening checks that the timestamps have one row per frame.
 */
public final class BenchmarkRecording implements AutoCloseable {
    /** A slice is read at once; about 4 MiB of pixels and labels keeps chunk reads efficient. */
    private static final int SLICE_BYTES = 4 << 20;

    private final String name;
    private final BenchmarkVideo video;
    private final long[] frameTimes;
    private final List<CurrentReading> currents;

    private BenchmarkRecording(String name, BenchmarkVideo video, long[] frameTimes, List<CurrentReading> currents) {
        this.name = name;
        this.video = video;
        this.frameTimes = frameTimes;
        this.currents = currents;
    }

    static BenchmarkRecording open(BenchmarkLayout layout, String name, ZoneId zone, Consumer<String> warnings) {
        BenchmarkVideo video = BenchmarkVideo.open(layout.videoFile(name));
        try {
            long[] seconds = BenchmarkCsv.readFrameSeconds(layout.timestampFile(name), zone, warnings);
            if (seconds.length != video.frames()) {
                throw new BenchmarkFormatException(layout.timestampFile(name) + " has " + seconds.length
                        + " timestamp rows but " + video.path() + " has " + video.frames()
                        + " frames; there must be one row per frame");
            }
            warnIfBackwards(layout.timestampFile(name) + " (frames)", seconds, warnings);
            List<CurrentReading> currents = BenchmarkCsv.readCurrents(layout.currentFile(name), zone, warnings);
            return new BenchmarkRecording(name, video, SecondSpread.toMicros(seconds), currents);
        } catch (IOException e) {
            video.close();
            throw new UncheckedIOException("cannot read recording '" + name + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            video.close();
            throw e;
        }
    }

    /** Publishing keeps file order; a clock step backwards is worth a word, not a refusal. */
    private static void warnIfBackwards(String what, long[] seconds, Consumer<String> warnings) {
        for (int i = 1; i < seconds.length; i++) {
            if (seconds[i] < seconds[i - 1]) {
                warnings.accept(what + ": row " + (i + 1) + " is earlier than the row before it; "
                        + "records keep file order, so their event times go back there");
                return;
            }
        }
    }

    public String name() {
        return name;
    }

    public int frameCount() {
        return video.frames();
    }

    public int width() {
        return video.width();
    }

    public int height() {
        return video.height();
    }

    /** Event time of frame {@code index}, microseconds since the epoch. */
    public long frameTimeMicros(int index) {
        return frameTimes[index];
    }

    /** The current readings in file order, with their event times. */
    public List<CurrentReading> currents() {
        return currents;
    }

    /** Frames {@code from .. from+count-1}, read in one slice. */
    public List<BenchmarkFrame> readFrames(int from, int count) {
        byte[] planes = video.readPlanes(from, count);
        byte[] labels = video.readLabels(from, count);
        int w = width();
        int h = height();
        List<BenchmarkFrame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] rgb = PixelOrder.planesToPayload(planes, i * 3 * w * h, w, h);
            byte[] mask = PixelOrder.labelToMask(labels, i * w * h, w, h);
            frames.add(new BenchmarkFrame(from + i, frameTimes[from + i], w, h, rgb, mask));
        }
        return frames;
    }

    /** All frames in order, read lazily a slice at a time. */
    public Iterator<BenchmarkFrame> frames() {
        int slice = video.sliceFrames((int) Math.max(1, SLICE_BYTES / (4L * width() * height())));
        return new Iterator<>() {
            private int next;
            private Iterator<BenchmarkFrame> buffered = List.<BenchmarkFrame>of().iterator();

            @Override
            public boolean hasNext() {
                return buffered.hasNext() || next < frameCount();
            }

            @Override
            public BenchmarkFrame next() {
                if (!buffered.hasNext()) {
                    if (next >= frameCount()) {
                        throw new NoSuchElementException();
                    }
                    int count = Math.min(slice, frameCount() - next);
                    buffered = readFrames(next, count).iterator();
                    next += count;
                }
                return buffered.next();
            }
        };
    }

    @Override
    public void close() {
        video.close();
    }
}
