package org.fmfstream.model.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkReader;
import org.fmfstream.model.dataset.BenchmarkRecording;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * The windows of one split of a benchmark-layout directory, as the reference loader forms them: a
 * sample is frame {@code i} of a recording listed in the split; its clip is frames
 * {@code i-9s, ..., i-s, i} ({@code s} the sampling rate, indexes below 0 clamped to 0), its current
 * window the readings whose timestamp second lies in the 120 seconds up to and including frame i's
 * second (2 Hz gives up to 240; the tokenizer stretches fewer), its label whether frame i's mask has
 * an abnormal pixel and its mask target that mask.
 *
 * <p>Everything a window needs is read into memory when the dataset opens (see
 * {@link RecordingWindows} for the cost: about 16 KiB per frame). Immutable afterwards, so windows
 * may be read from several threads.
 */
public final class WindowDataset {
    private final TokenizerSpec spec;
    private final BenchmarkLayout.Split split;
    private final int samplingRate;
    private final Map<String, RecordingWindows> recordings;
    private final List<WindowSample> samples;
    private final Map<String, Map<Integer, Long>> episodeOnsets;

    private WindowDataset(TokenizerSpec spec, BenchmarkLayout.Split split, int samplingRate,
                          Map<String, RecordingWindows> recordings, List<WindowSample> samples,
                          Map<String, Map<Integer, Long>> episodeOnsets) {
        this.episodeOnsets = episodeOnsets;
        this.spec = spec;
        this.split = split;
        this.samplingRate = samplingRate;
        this.recordings = recordings;
        this.samples = samples;
    }

    /**
     * Opens split {@code split} of the layout at {@code dir}.
     *
     * @throws IllegalArgumentException on a sampling rate below 1, a split that lists an unknown
     *                                  recording or a frame out of range, or an empty split
     * @throws org.fmfstream.model.dataset.BenchmarkFormatException when the directory is not a
     *                                  benchmark layout or the split file is missing
     */
    public static WindowDataset open(Path dir, BenchmarkLayout.Split split, int samplingRate) {
        if (samplingRate < 1) {
            throw new IllegalArgumentException("sampling rate must be at least 1, got " + samplingRate);
        }
        TokenizerSpec spec = TokenizerSpec.FMFORMER;
        BenchmarkReader reader = BenchmarkReader.open(dir);
        Map<String, int[]> frames = reader.split(split);
        Map<String, RecordingWindows> recordings = new LinkedHashMap<>();
        List<WindowSample> samples = new ArrayList<>();
        Map<String, Map<Integer, Long>> episodeOnsets = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : frames.entrySet()) {
            String name = e.getKey();
            if (!reader.names().contains(name)) {
                throw new IllegalArgumentException(reader.layout().splitFile(split) + " lists recording '" + name
                        + "' but there is no videos/" + name + ".mat (found " + reader.names() + ")");
            }
            if (e.getValue().length == 0) {
                continue;
            }
            RecordingWindows windows;
            try (BenchmarkRecording recording = reader.recording(name)) {
                windows = RecordingWindows.load(spec, recording, e.getValue(), samplingRate);
            }
            int[] episodes = new int[windows.frameCount()];
            double[] mist = MistSidecar.read(dir, name, windows.frameCount(), episodes);
            recordings.put(name, windows);
            for (int i : e.getValue()) {
                samples.add(new WindowSample(name, i, windows.abnormal(i), mist[i], episodes[i],
                        windows.frameTimeMicros(i)));
            }
            episodeOnsets.put(name, onsets(episodes, windows));
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(reader.layout().splitFile(split) + " lists no frames");
        }
        return new WindowDataset(spec, split, samplingRate, recordings, Collections.unmodifiableList(samples),
                episodeOnsets);
    }

    /** Time of each episode's first frame (all frames, not only scored ones) of one recording. */
    private static Map<Integer, Long> onsets(int[] episodes, RecordingWindows windows) {
        Map<Integer, Long> onsets = new LinkedHashMap<>();
        for (int f = 0; f < episodes.length; f++) {
            if (episodes[f] >= 0) {
                onsets.putIfAbsent(episodes[f], windows.frameTimeMicros(f));
            }
        }
        return onsets;
    }

    /**
     * When episode {@code episode} of {@code recording} began (its first frame's time, from the
     * simulator sidecar), or null when the layout does not say.
     */
    public Long episodeOnsetMicros(String recording, int episode) {
        Map<Integer, Long> onsets = episodeOnsets.get(recording);
        return onsets == null ? null : onsets.get(episode);
    }

    public TokenizerSpec spec() {
        return spec;
    }

    public BenchmarkLayout.Split split() {
        return split;
    }

    public int samplingRate() {
        return samplingRate;
    }

    /** Number of samples (frames listed in the split). */
    public int size() {
        return samples.size();
    }

    /** Sample metadata in split order (recordings in file order, frames in file order). */
    public List<WindowSample> samples() {
        return samples;
    }

    public WindowSample sample(int index) {
        return samples.get(index);
    }

    /** How many samples are abnormal. */
    public int abnormalCount() {
        int n = 0;
        for (WindowSample s : samples) {
            n += s.abnormal() ? 1 : 0;
        }
        return n;
    }

    /** The window of sample {@code index}. */
    public Window window(int index) {
        WindowSample s = samples.get(index);
        RecordingWindows r = recordings.get(s.recording());
        return new Window(s, r.clip(s.frame()), r.current(s.frame()), r.mask(s.frame()));
    }
}
