package org.fmfstream.jobs.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.fmfstream.model.data.Window;
import org.fmfstream.model.data.WindowGenerator;
import org.fmfstream.model.data.WindowSample;
import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.fmfstream.model.tokenize.MaskTarget;
import org.fmfstream.model.tokenize.TokenizerSpec;

/**
 * Model windows rendered straight from simulated furnaces, never the same furnace twice: the
 * training data of a detector that has to hold on furnaces it has never seen.
 *
 * <p><b>Furnaces.</b> Furnace k of a {@link Family} is simulated with seed {@code family base + k};
 * the three families' seed ranges are disjoint, so training, validation and test furnaces never
 * meet. Every furnace draws its own settings from its seed ({@link #settings}): camera look and
 * reflections (look variety 0..1), mist severity 0..1, episode share, lengths and sizes, current
 * lead, camera clock skew and jitter, and dropped frames; what the simulator varies by itself
 * (shell texture and tint, light, flames, glints, episode place and growth, current set-points and
 * arc noise) varies as well.
 *
 * <p><b>Windows.</b> Each furnace runs for {@link #WARM_UP} (so that every window has its full
 * 120 s of current) plus {@link #SPAN}, and gives {@code windowsPerFurnace} windows scored at
 * frames drawn at random in the span. A window is built as the streaming job builds it: the
 * 10 frames i-9s, ..., i-s, i ending at the scored frame i, s the clip's sampling rate (a dropped
 * frame replaced by the one before it in the stream, as the aligner substitutes the nearest
 * frame), and the readings whose PLC time lies in (t - 120 s, t], t the
 * scored frame's camera timestamp, so clock skew shifts the current against the video exactly as
 * it does live. Only the frames that some clip uses are rendered ({@link FrameStream#skip}), which
 * makes a window cost about as much as rendering 10 frames.
 *
 * <p><b>Chunks.</b> Chunk c holds furnaces c·F .. c·F+F-1 of the training family, their windows
 * shuffled with a seed of c: a pure function of c, as {@link WindowGenerator} requires.
 */
public final class SimulatedWindows implements WindowGenerator {
    /** Simulated time before the first window may be scored: the current window's length. */
    public static final Duration WARM_UP = Duration.ofSeconds(121);
    /** Simulated time in which windows are scored. */
    public static final Duration SPAN = Duration.ofSeconds(90);
    /** An episode's first seconds, where {@code onsetShare} of the windows go: a young, faint spot. */
    public static final Duration ONSET = Duration.ofSeconds(10);
    /** Frames a second of every drawn furnace: the simulator's default, which {@link #draw} keeps. */
    private static final double FPS = SimulatorConfig.builder().build().fps();

    /** Disjoint seed ranges: a furnace belongs to exactly one family. */
    public enum Family {
        TRAIN(1_000_000_000L), VALIDATION(2_000_000_000L), TEST(3_000_000_000L);

        private final long base;

        Family(long base) {
            this.base = base;
        }

        /** The simulator seed of furnace {@code k} of this family. */
        public long seed(long k) {
            if (k < 0 || k >= 1_000_000_000L) {
                throw new IllegalArgumentException("furnace number must be in [0, 1e9), got " + k);
            }
            return base + k;
        }
    }

    private final TokenizerSpec spec;
    private final int furnacesPerChunk;
    private final int windowsPerFurnace;
    private final int validationFurnaces;
    private final double onsetShare;
    private final int samplingRate;

    /** Windows drawn evenly over each furnace's span (no onset share), clips of consecutive frames. */
    public SimulatedWindows(int furnacesPerChunk, int windowsPerFurnace, int validationFurnaces) {
        this(furnacesPerChunk, windowsPerFurnace, validationFurnaces, 0, 1);
    }

    /**
     * @param furnacesPerChunk   training furnaces per chunk (their windows are shuffled together)
     * @param windowsPerFurnace  windows scored per furnace
     * @param validationFurnaces furnaces of the validation family in {@link #validation()}
     * @param onsetShare         share of a training furnace's windows scored in the first {@link #ONSET}
     *                           of one of its episodes (when one starts in its span), the rest evenly
     *                           over the span; validation windows are always drawn evenly, so that
     *                           they keep measuring the rates a stream sees
     * @param samplingRate       frame stride s of a clip (frames i-9s .. i), the model's own
     */
    public SimulatedWindows(int furnacesPerChunk, int windowsPerFurnace, int validationFurnaces, double onsetShare,
                            int samplingRate) {
        if (furnacesPerChunk < 1 || windowsPerFurnace < 1 || validationFurnaces < 1) {
            throw new IllegalArgumentException("furnaces per chunk, windows per furnace and validation furnaces must"
                    + " be at least 1, got " + furnacesPerChunk + ", " + windowsPerFurnace + ", " + validationFurnaces);
        }
        if (!(onsetShare >= 0 && onsetShare <= 1)) {
            throw new IllegalArgumentException("onset share must be in [0, 1], got " + onsetShare);
        }
        if (samplingRate < 1) {
            throw new IllegalArgumentException("clip sampling rate must be at least 1, got " + samplingRate);
        }
        // The warm-up holds the current's 120 s; a clip (and a lost frame's stand-in) must fit in it too.
        if ((long) (TokenizerSpec.FMFORMER.frames() - 1) * samplingRate >= WARM_UP.toSeconds() * FPS) {
            throw new IllegalArgumentException("a clip at sampling rate " + samplingRate + " does not fit in the "
                    + WARM_UP.toSeconds() + " s warm-up");
        }
        this.spec = TokenizerSpec.FMFORMER;
        this.furnacesPerChunk = furnacesPerChunk;
        this.windowsPerFurnace = windowsPerFurnace;
        this.validationFurnaces = validationFurnaces;
        this.onsetShare = onsetShare;
        this.samplingRate = samplingRate;
    }

    @Override
    public int samplingRate() {
        return samplingRate;
    }

    @Override
    public int chunkSize() {
        return furnacesPerChunk * windowsPerFurnace;
    }

    @Override
    public List<Window> chunk(long index) {
        List<Window> windows = new ArrayList<>(chunkSize());
        for (int f = 0; f < furnacesPerChunk; f++) {
            windows.addAll(furnaceWindows(Family.TRAIN, index * furnacesPerChunk + f));
        }
        SplittableRandom shuffle = new SplittableRandom(index * 0x9E3779B97F4A7C15L + 17);
        for (int i = windows.size() - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            Window t = windows.get(i);
            windows.set(i, windows.get(j));
            windows.set(j, t);
        }
        return windows;
    }

    @Override
    public List<Window> validation() {
        List<Window> windows = new ArrayList<>(validationFurnaces * windowsPerFurnace);
        for (int k = 0; k < validationFurnaces; k++) {
            windows.addAll(furnaceWindows(Family.VALIDATION, k));
        }
        return windows;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "simulated furnaces, %d windows each%s%s, %d furnaces per chunk,"
                        + " validation on %d other furnaces", windowsPerFurnace,
                onsetShare > 0 ? String.format(Locale.ROOT, " (%.0f%% in an episode's first %d s)", 100 * onsetShare,
                        ONSET.toSeconds()) : "",
                samplingRate > 1 ? ", clips of every " + samplingRate + ". frame" : "", furnacesPerChunk,
                validationFurnaces);
    }

    /**
     * The settings furnace seed {@code seed} is simulated with: one furnace, its own look, mist,
     * episodes, current lead and clocks, clean transport (the windows emulate dropped frames
     * themselves).
     */
    public static SimulatorConfig settings(long seed) {
        return draw(seed).config();
    }

    /** A furnace's settings and the share of its clip frames lost in transport. */
    private record Draw(SimulatorConfig config, double droppedFrameShare) {}

    private static Draw draw(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double minLength = 15 + 30 * r.nextDouble();
        double maxLength = minLength + 15 + 135 * r.nextDouble();
        double share = 0.2 + 0.35 * r.nextDouble();
        double perHour = share * 3600 / ((minLength + maxLength) / 2);
        SimulatorConfig config = SimulatorConfig.builder()
                .furnaces(1)
                .seed(seed)
                .duration(WARM_UP.plus(SPAN))
                .episodesPerHour(perHour)
                .episodeLength(Duration.ofMillis(Math.round(minLength * 1000)),
                        Duration.ofMillis(Math.round(maxLength * 1000)))
                .mistSeverity(r.nextDouble())
                .lookVariety(r.nextDouble())
                .currentLeadSeconds(-5 + 30 * r.nextDouble())
                .maxClockSkewMillis(1500 * r.nextDouble())
                .clockJitterMillis(15 * r.nextDouble())
                .noTransportFaults()
                .build()
                .validate();
        return new Draw(config, 0.03 * r.nextDouble());
    }

    /** The windows of furnace {@code k} of {@code family}, in time order. */
    public List<Window> furnaceWindows(Family family, long k) {
        long seed = family.seed(k);
        Draw draw = draw(seed);
        SimulatorConfig config = draw.config();
        FurnaceSimulation furnace = Simulation.of(config).furnaces().get(0);
        SplittableRandom picks = new SplittableRandom(seed * 31 + 7);
        long first = (long) Math.ceil(SimulatorConfig.seconds(WARM_UP) * config.fps());
        long span = config.frameCount() - first;
        long[] scored = new long[windowsPerFurnace];
        for (int w = 0; w < scored.length; w++) {
            scored[w] = first + picks.nextLong(span);
        }
        if (family == Family.TRAIN && onsetShare > 0) {
            drawAtOnsets(scored, furnace, config, first, new SplittableRandom(seed * 37 + 11));
        }
        Arrays.sort(scored);
        int frames = spec.frames();
        boolean[] needed = new boolean[(int) config.frameCount()];
        for (long s : scored) {
            for (int t = 0; t < frames; t++) {
                int f = clipFrame(s, t, frames);
                needed[f] = true;
                // A lost frame's stand-in is the frame before it: with s = 1 a clip frame already,
                // and rendering more would change the pattern of skips, hence every later frame.
                if (samplingRate > 1) {
                    needed[f - 1] = true;
                }
            }
        }
        SimulatedFrame[] kept = new SimulatedFrame[needed.length];
        FrameStream stream = furnace.frames();
        for (int i = 0; i < needed.length; i++) {
            if (needed[i]) {
                kept[i] = stream.next();
            } else {
                stream.skip();
            }
        }
        float[][] phases = new float[3][(int) config.readingCount()];
        long[] readingTimes = new long[phases[0].length];
        CurrentStream currents = furnace.currents();
        for (int i = 0; currents.hasNext(); i++) {
            SimulatedReading r = currents.next();
            readingTimes[i] = r.trueTimeMicros();
            phases[0][i] = r.phaseA();
            phases[1][i] = r.phaseB();
            phases[2][i] = r.phaseC();
        }
        double drop = draw.droppedFrameShare();
        String recording = family.name().toLowerCase(Locale.ROOT) + "-" + seed;
        List<Window> windows = new ArrayList<>(scored.length);
        for (long s : scored) {
            SimulatedFrame last = kept[(int) s];
            byte[][] clip = new byte[frames][];
            long[] seqs = new long[frames];
            long[] times = new long[frames];
            for (int t = 0; t < frames; t++) {
                SimulatedFrame f = kept[clipFrame(s, t, frames)];
                clip[t] = f.rgb();
                seqs[t] = f.frameSeq();
                times[t] = f.cameraTimeMicros();
            }
            // A lost frame is replaced by its predecessor, as the aligner substitutes the nearest one:
            // with consecutive frames the previous slot (itself perhaps a stand-in), else the frame
            // just before this slot's.
            for (int t = 1; t < frames - 1; t++) {
                if (picks.nextDouble() < drop) {
                    clip[t] = samplingRate == 1 ? clip[t - 1] : kept[clipFrame(s, t, frames) - 1].rgb();
                }
            }
            long end = last.cameraTimeMicros();
            int to = upperBound(readingTimes, end);
            int from = upperBound(readingTimes, end - 120_000_000L);
            CurrentWindow current = CurrentWindow.of(spec, Arrays.copyOfRange(phases[0], from, to),
                    Arrays.copyOfRange(phases[1], from, to), Arrays.copyOfRange(phases[2], from, to));
            WindowSample sample = new WindowSample(recording, (int) s, last.anomalous(), last.mistLevel());
            windows.add(new Window(sample, Clip.of(spec, clip, seqs, times), current,
                    MaskTarget.of(spec, last.mask())));
        }
        return windows;
    }

    /** Stream index of slot {@code t} (0 = oldest) of the clip scored at frame {@code scored}. */
    private int clipFrame(long scored, int t, int frames) {
        return (int) (scored - (long) (frames - 1 - t) * samplingRate);
    }

    /**
     * Moves each window, with probability {@code onsetShare}, into the first {@link #ONSET} of an
     * episode that starts in the scored span (one drawn at random), if the furnace has one. A
     * separate random stream, so that a share of 0 leaves every window where it was.
     */
    private void drawAtOnsets(long[] scored, FurnaceSimulation furnace, SimulatorConfig config, long first,
                              SplittableRandom onsets) {
        long last = config.frameCount() - 1;
        List<long[]> ranges = new ArrayList<>();
        for (Episode e : furnace.episodes()) {
            long from = (long) Math.ceil((e.startMicros() - config.startEpochMicros()) * config.fps() / 1e6);
            long to = Math.min(last, from + Math.round(SimulatorConfig.seconds(ONSET) * config.fps()) - 1);
            if (from >= first && from <= to) {
                ranges.add(new long[] {from, to});
            }
        }
        if (ranges.isEmpty()) {
            return;
        }
        for (int w = 0; w < scored.length; w++) {
            if (onsets.nextDouble() < onsetShare) {
                long[] range = ranges.get(onsets.nextInt(ranges.size()));
                scored[w] = range[0] + onsets.nextLong(range[1] - range[0] + 1);
            }
        }
    }

    /** First index whose time is above {@code t} (times ascending). */
    private static int upperBound(long[] times, long t) {
        int lo = 0;
        int hi = times.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
