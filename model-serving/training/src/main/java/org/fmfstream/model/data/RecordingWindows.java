package org.fmfstream.model.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import org.fmfstream.model.dataset.BenchmarkFrame;
import org.fmfstream.model.dataset.BenchmarkRecording;
import org.fmfstream.model.dataset.CurrentReading;
import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.fmfstream.model.tokenize.MaskTarget;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * The windows of one recording, in memory: the pixels of every frame some window uses, the masks of
 * the scored frames, all frame times and all current readings.
 *
 * <p>Memory: 12,288 bytes (64x64 RGB) per frame any clip touches plus 4,096 bytes per scored frame,
 * i.e. about 16 KiB per frame when the split lists every frame: 1 GiB holds about 65,000 frames, a
 * 10-minute 25 fps simulator furnace (15,000 frames) about 240 MiB. Frames no window needs are read
 * from disk once (slice by slice) and dropped.
 */
final class RecordingWindows {
    private static final long MICROS_PER_SECOND = 1_000_000L;
    /** Seconds of current a window covers: 120 s at 2 Hz gives the 240 current tokens. */
    static final int CURRENT_SECONDS = 120;

    private final TokenizerSpec spec;
    private final String name;
    private final int samplingRate;
    private final byte[][] rgb;
    private final byte[][] masks;
    private final long[] frameTimes;
    private final long[] currentSeconds;
    private final float[][] phases;

    private RecordingWindows(TokenizerSpec spec, String name, int samplingRate, byte[][] rgb, byte[][] masks,
                             long[] frameTimes, long[] currentSeconds, float[][] phases) {
        this.spec = spec;
        this.name = name;
        this.samplingRate = samplingRate;
        this.rgb = rgb;
        this.masks = masks;
        this.frameTimes = frameTimes;
        this.currentSeconds = currentSeconds;
        this.phases = phases;
    }

    /** Loads what the windows scored at {@code scoredFrames} need; indexes must be in range. */
    static RecordingWindows load(TokenizerSpec spec, BenchmarkRecording recording, int[] scoredFrames,
                                 int samplingRate) {
        int count = recording.frameCount();
        if (recording.width() != spec.frameSize() || recording.height() != spec.frameSize()) {
            throw new IllegalArgumentException("recording '" + recording.name() + "' has " + recording.width() + "x"
                    + recording.height() + " frames; the model takes " + spec.frameSize() + "x" + spec.frameSize());
        }
        BitSet scored = new BitSet(count);
        BitSet used = new BitSet(count);
        for (int i : scoredFrames) {
            if (i < 0 || i >= count) {
                throw new IllegalArgumentException("split lists frame " + i + " of recording '" + recording.name()
                        + "', which has frames 0.." + (count - 1));
            }
            scored.set(i);
            for (int t = 0; t < spec.frames(); t++) {
                used.set(clipFrame(i, t, spec.frames(), samplingRate));
            }
        }
        byte[][] rgb = new byte[count][];
        byte[][] masks = new byte[count][];
        int first = used.nextSetBit(0);
        int last = used.length() - 1;
        // Read the span the windows touch in slices of about 4 MiB, keeping only what is used.
        int slice = 256;
        for (int from = Math.max(first, 0); first >= 0 && from <= last; from += slice) {
            int n = Math.min(slice, last + 1 - from);
            int next = used.nextSetBit(from);
            if (next < 0 || next >= from + n) {
                continue;
            }
            for (BenchmarkFrame f : recording.readFrames(from, n)) {
                if (used.get(f.index())) {
                    rgb[f.index()] = f.rgb();
                }
                if (scored.get(f.index())) {
                    masks[f.index()] = f.mask();
                }
            }
        }
        long[] frameTimes = new long[count];
        for (int i = 0; i < count; i++) {
            frameTimes[i] = recording.frameTimeMicros(i);
        }
        // The reference selects current rows by their timestamp second; order them by time so a
        // second's rows are found by binary search (a stable sort keeps file order within a second).
        List<CurrentReading> readings = new ArrayList<>(recording.currents());
        readings.sort(Comparator.comparingLong(CurrentReading::eventTimeMicros));
        long[] seconds = new long[readings.size()];
        float[][] phases = new float[3][readings.size()];
        for (int k = 0; k < seconds.length; k++) {
            CurrentReading r = readings.get(k);
            seconds[k] = Math.floorDiv(r.eventTimeMicros(), MICROS_PER_SECOND);
            phases[0][k] = r.phaseA();
            phases[1][k] = r.phaseB();
            phases[2][k] = r.phaseC();
        }
        return new RecordingWindows(spec, recording.name(), samplingRate, rgb, masks, frameTimes, seconds, phases);
    }

    /** Frame index of clip slot {@code t} (0 oldest) for scored frame {@code i}: i-(frames-1-t)·s, at least 0. */
    static int clipFrame(int i, int t, int frames, int samplingRate) {
        return Math.max(0, i - (frames - 1 - t) * samplingRate);
    }

    String name() {
        return name;
    }

    long frameTimeMicros(int frame) {
        return frameTimes[frame];
    }

    int frameCount() {
        return frameTimes.length;
    }

    boolean abnormal(int frame) {
        for (byte b : scoredMask(frame)) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    Clip clip(int frame) {
        int n = spec.frames();
        byte[][] frames = new byte[n][];
        long[] seqs = new long[n];
        long[] times = new long[n];
        for (int t = 0; t < n; t++) {
            int f = clipFrame(frame, t, n, samplingRate);
            frames[t] = rgb[f];
            seqs[t] = f;
            times[t] = frameTimes[f];
        }
        return Clip.of(spec, frames, seqs, times);
    }

    /** The readings whose second lies in the 120 seconds ending with (and including) the frame's second. */
    CurrentWindow current(int frame) {
        long second = Math.floorDiv(frameTimes[frame], MICROS_PER_SECOND);
        int from = firstAtLeast(second - (CURRENT_SECONDS - 1));
        int to = firstAtLeast(second + 1);
        return CurrentWindow.of(spec, Arrays.copyOfRange(phases[0], from, to),
                Arrays.copyOfRange(phases[1], from, to), Arrays.copyOfRange(phases[2], from, to));
    }

    MaskTarget mask(int frame) {
        return MaskTarget.of(spec, scoredMask(frame));
    }

    private byte[] scoredMask(int frame) {
        byte[] m = masks[frame];
        if (m == null) {
            throw new IllegalArgumentException("frame " + frame + " of '" + name + "' is not a scored frame");
        }
        return m;
    }

    private int firstAtLeast(long second) {
        int lo = 0;
        int hi = currentSeconds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (currentSeconds[mid] < second) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
