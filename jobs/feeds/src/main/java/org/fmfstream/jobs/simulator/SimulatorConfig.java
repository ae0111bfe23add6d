package org.fmfstream.jobs.simulator;

import java.time.Duration;
import java.time.Instant;
import org.fmfstream.schemas.codec.Validators;

/**
 * Every setting of the furnace simulator. Build with {@link #builder()} (all fields have defaults)
 * and check with {@link #validate()}, which names the first impossible setting.
 *
 * @param furnaces             number of simulated furnaces, ids F01, F02, ...
 * @param seed                 master seed; furnace i derives its own generator from seed and i
 * @param startEpochMicros     true (PLC) time of the first frame and the first current reading
 * @param duration             simulated time span
 * @param fps                  camera frames per second
 * @param frameWidth           frame width in pixels
 * @param frameHeight          frame height in pixels
 * @param currentRateHz        current readings per second
 * @param readingsPerSample    readings in one published {@code CurrentSample} block
 * @param episodesPerHour      mean number of anomaly (burn-through) episodes per furnace and hour
 * @param minEpisodeLength     shortest episode
 * @param maxEpisodeLength     longest episode (lengths are uniform between the two)
 * @param mistSeverity         0 = dry shell, 1 = the foggiest plant: scales light-mist density and
 *                             the frequency and density of heavy-mist periods
 * @param currentLeadSeconds   how much earlier the current regime changes than the visual episode
 *                             (negative: later)
 * @param maxClockSkewMillis   each camera clock is off the PLC clock by a constant drawn uniformly
 *                             from [-max, +max]
 * @param clockJitterMillis    each frame timestamp wobbles uniformly by up to +-jitter
 * @param droppedFrameFraction share of frames lost between camera and Kafka (frameSeq gaps)
 * @param outOfOrderFraction   share of records overtaken by one to three of their successors
 * @param lateFraction         share of records held back by about {@code lateness}
 * @param lateness             how long a late record is held back
 * @param lookVariety          0 = every furnace filmed by the same neutral camera; 1 = each furnace
 *                             gets its own camera look (exposure, balance, vignetting, blur, noise,
 *                             compression, zoom, tilt) and 60% of them a harmless reflection on the
 *                             shell ({@link CameraLook}, {@link ReflectionDecoy}); in between scales
 *                             the ranges
 */
public record SimulatorConfig(
        int furnaces,
        long seed,
        long startEpochMicros,
        Duration duration,
        double fps,
        int frameWidth,
        int frameHeight,
        double currentRateHz,
        int readingsPerSample,
        double episodesPerHour,
        Duration minEpisodeLength,
        Duration maxEpisodeLength,
        double mistSeverity,
        double currentLeadSeconds,
        double maxClockSkewMillis,
        double clockJitterMillis,
        double droppedFrameFraction,
        double outOfOrderFraction,
        double lateFraction,
        Duration lateness,
        double lookVariety) {

    /** 2024-01-01T00:00:00Z: a fixed default so that fast runs are reproducible byte for byte. */
    public static final long DEFAULT_START_EPOCH_MICROS =
            Instant.parse("2024-01-01T00:00:00Z").getEpochSecond() * 1_000_000L;

    static final int MAX_FURNACES = 99;
    static final Duration MAX_DURATION = Duration.ofDays(366);
    static final Duration MAX_EPISODE_LENGTH = Duration.ofHours(24);
    static final Duration MAX_LATENESS = Duration.ofHours(1);
    static final int MIN_FRAME_SIDE = 16;
    static final int MAX_FRAME_SIDE = 1024;
    static final double MAX_FPS = 240;
    static final double MAX_CURRENT_RATE_HZ = 1000;
    static final double MAX_LEAD_SECONDS = 3600;
    static final double MAX_SKEW_MILLIS = 60_000;
    /** An out-of-order record is overtaken by at most this many successors of its own stream. */
    static final int MAX_OVERTAKING_RECORDS = 3;

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns this config, or throws {@link IllegalArgumentException} naming the first bad setting. */
    public SimulatorConfig validate() {
        require(furnaces >= 1 && furnaces <= MAX_FURNACES,
                "furnaces must be between 1 and " + MAX_FURNACES + " (ids F01..F99), got " + furnaces);
        require(startEpochMicros >= 0, "start time must not be before 1970-01-01, got " + startEpochMicros + " µs");
        require(duration != null && !duration.isNegative() && !duration.isZero(),
                "duration must be positive, got " + duration);
        require(duration.compareTo(MAX_DURATION) <= 0,
                "duration must be at most " + MAX_DURATION.toDays() + " days, got " + duration);
        require(finite(fps) && fps > 0 && fps <= MAX_FPS,
                "fps must be above 0 and at most " + fmt(MAX_FPS) + ", got " + fmt(fps));
        require(frameWidth >= MIN_FRAME_SIDE && frameWidth <= MAX_FRAME_SIDE,
                "frame width must be between " + MIN_FRAME_SIDE + " and " + MAX_FRAME_SIDE + " pixels, got "
                        + frameWidth);
        require(frameHeight >= MIN_FRAME_SIDE && frameHeight <= MAX_FRAME_SIDE,
                "frame height must be between " + MIN_FRAME_SIDE + " and " + MAX_FRAME_SIDE + " pixels, got "
                        + frameHeight);
        require(finite(currentRateHz) && currentRateHz > 0 && currentRateHz <= MAX_CURRENT_RATE_HZ,
                "current rate must be above 0 and at most " + fmt(MAX_CURRENT_RATE_HZ) + " Hz, got "
                        + fmt(currentRateHz));
        require(readingsPerSample >= 1 && readingsPerSample <= Validators.MAX_READINGS_PER_BLOCK,
                "readings per current sample must be between 1 and " + Validators.MAX_READINGS_PER_BLOCK
                        + ", got " + readingsPerSample);
        require(finite(episodesPerHour) && episodesPerHour >= 0,
                "episodes per hour must be 0 or more, got " + fmt(episodesPerHour));
        require(minEpisodeLength != null && !minEpisodeLength.isNegative() && !minEpisodeLength.isZero(),
                "minimum episode length must be positive, got " + minEpisodeLength);
        require(maxEpisodeLength != null && maxEpisodeLength.compareTo(minEpisodeLength) >= 0,
                "maximum episode length " + maxEpisodeLength + " is shorter than the minimum " + minEpisodeLength);
        require(maxEpisodeLength.compareTo(MAX_EPISODE_LENGTH) <= 0,
                "maximum episode length must be at most " + MAX_EPISODE_LENGTH.toHours() + " hours, got "
                        + maxEpisodeLength);
        double coveredShare = episodesPerHour * meanEpisodeSeconds() / 3600.0;
        require(coveredShare < 1,
                "episodes per hour x mean episode length covers " + fmt(coveredShare * 100)
                        + "% of the time; it must stay below 100% or episodes would overlap");
        require(finite(mistSeverity) && mistSeverity >= 0 && mistSeverity <= 1,
                "mist severity must be between 0 and 1, got " + fmt(mistSeverity));
        require(finite(currentLeadSeconds) && Math.abs(currentLeadSeconds) <= MAX_LEAD_SECONDS,
                "current lead must be between -" + fmt(MAX_LEAD_SECONDS) + " and " + fmt(MAX_LEAD_SECONDS)
                        + " seconds, got " + fmt(currentLeadSeconds));
        require(finite(maxClockSkewMillis) && maxClockSkewMillis >= 0 && maxClockSkewMillis <= MAX_SKEW_MILLIS,
                "max clock skew must be between 0 and " + fmt(MAX_SKEW_MILLIS) + " ms, got "
                        + fmt(maxClockSkewMillis));
        double halfFrameMillis = 500.0 / fps;
        require(finite(clockJitterMillis) && clockJitterMillis >= 0 && clockJitterMillis < halfFrameMillis,
                "clock jitter must be at least 0 and below half a frame interval (" + fmt(halfFrameMillis)
                        + " ms at " + fmt(fps) + " fps) or frames would swap order, got " + fmt(clockJitterMillis));
        require(finite(droppedFrameFraction) && droppedFrameFraction >= 0 && droppedFrameFraction < 1,
                "dropped-frame fraction must be at least 0 and below 1, got " + fmt(droppedFrameFraction));
        require(finite(outOfOrderFraction) && outOfOrderFraction >= 0 && outOfOrderFraction <= 1,
                "out-of-order fraction must be between 0 and 1, got " + fmt(outOfOrderFraction));
        require(finite(lateFraction) && lateFraction >= 0 && lateFraction <= 1,
                "late fraction must be between 0 and 1, got " + fmt(lateFraction));
        require(outOfOrderFraction + lateFraction <= 1,
                "out-of-order fraction + late fraction must not exceed 1, got "
                        + fmt(outOfOrderFraction + lateFraction));
        require(finite(lookVariety) && lookVariety >= 0 && lookVariety <= 1,
                "look variety must be between 0 and 1, got " + fmt(lookVariety));
        require(lateness != null && !lateness.isNegative() && lateness.compareTo(MAX_LATENESS) <= 0,
                "lateness must be between 0 and " + MAX_LATENESS.toMinutes() + " minutes, got " + lateness);
        if (lateFraction > 0) {
            double overtakeSeconds = MAX_OVERTAKING_RECORDS * longestRecordIntervalSeconds();
            require(seconds(lateness) > overtakeSeconds,
                    "lateness " + fmt(seconds(lateness)) + " s must exceed the out-of-order displacement ("
                            + MAX_OVERTAKING_RECORDS + " x the longest record interval = " + fmt(overtakeSeconds)
                            + " s) or late records could not be told from merely out-of-order ones");
        }
        return this;
    }

    public String furnaceId(int index) {
        return String.format("F%02d", index + 1);
    }

    /** Frames in the run: one at every 1/fps from the start, strictly before the end. */
    public long frameCount() {
        return (long) Math.ceil(seconds(duration) * fps - 1e-9);
    }

    /** Current readings in the run, one at every 1/rate from the start, strictly before the end. */
    public long readingCount() {
        return (long) Math.ceil(seconds(duration) * currentRateHz - 1e-9);
    }

    /** True time of frame {@code index}. */
    public long frameTimeMicros(long index) {
        return startEpochMicros + Math.round(index * 1e6 / fps);
    }

    /** True (= PLC) time of current reading {@code index}. */
    public long readingTimeMicros(long index) {
        return startEpochMicros + Math.round(index * 1e6 / currentRateHz);
    }

    public long endEpochMicros() {
        return startEpochMicros + duration.toNanos() / 1000;
    }

    public double meanEpisodeSeconds() {
        return (seconds(minEpisodeLength) + seconds(maxEpisodeLength)) / 2;
    }

    /** Expected share of time (and of frames) inside an episode. */
    public double expectedAnomalousShare() {
        return episodesPerHour * meanEpisodeSeconds() / 3600.0;
    }

    double frameIntervalSeconds() {
        return 1 / fps;
    }

    double sampleIntervalSeconds() {
        return readingsPerSample / currentRateHz;
    }

    private double longestRecordIntervalSeconds() {
        return Math.max(frameIntervalSeconds(), sampleIntervalSeconds());
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static boolean finite(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v);
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.valueOf(v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable builder with the defaults documented in {@code package-info}. */
    public static final class Builder {
        private int furnaces = 2;
        private long seed = 1;
        private long startEpochMicros = DEFAULT_START_EPOCH_MICROS;
        private Duration duration = Duration.ofHours(1);
        private double fps = 25;
        private int frameWidth = 64;
        private int frameHeight = 64;
        private double currentRateHz = 2;
        private int readingsPerSample = 1;
        private double episodesPerHour = 3;
        private Duration minEpisodeLength = Duration.ofSeconds(30);
        private Duration maxEpisodeLength = Duration.ofSeconds(180);
        private double mistSeverity = 0.5;
        private double currentLeadSeconds = 10;
        private double maxClockSkewMillis = 250;
        private double clockJitterMillis = 3;
        private double droppedFrameFraction = 0.002;
        private double outOfOrderFraction = 0.005;
        private double lateFraction = 0.001;
        private Duration lateness = Duration.ofSeconds(5);
        private double lookVariety = 0;

        private Builder() {}

        private Builder(SimulatorConfig c) {
            furnaces = c.furnaces;
            seed = c.seed;
            startEpochMicros = c.startEpochMicros;
            duration = c.duration;
            fps = c.fps;
            frameWidth = c.frameWidth;
            frameHeight = c.frameHeight;
            currentRateHz = c.currentRateHz;
            readingsPerSample = c.readingsPerSample;
            episodesPerHour = c.episodesPerHour;
            minEpisodeLength = c.minEpisodeLength;
            maxEpisodeLength = c.maxEpisodeLength;
            mistSeverity = c.mistSeverity;
            currentLeadSeconds = c.currentLeadSeconds;
            maxClockSkewMillis = c.maxClockSkewMillis;
            clockJitterMillis = c.clockJitterMillis;
            droppedFrameFraction = c.droppedFrameFraction;
            outOfOrderFraction = c.outOfOrderFraction;
            lateFraction = c.lateFraction;
            lateness = c.lateness;
            lookVariety = c.lookVariety;
        }

        public Builder furnaces(int v) { furnaces = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder startEpochMicros(long v) { startEpochMicros = v; return this; }
        /** Throws IllegalArgumentException for instants that epoch microseconds cannot hold. */
        public Builder start(Instant v) {
            try {
                startEpochMicros = Math.addExact(Math.multiplyExact(v.getEpochSecond(), 1_000_000L), v.getNano() / 1000);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("start time " + v + " is out of range for epoch microseconds");
            }
            return this;
        }
        public Builder duration(Duration v) { duration = v; return this; }
        public Builder fps(double v) { fps = v; return this; }
        public Builder frameSize(int width, int height) { frameWidth = width; frameHeight = height; return this; }
        public Builder currentRateHz(double v) { currentRateHz = v; return this; }
        public Builder readingsPerSample(int v) { readingsPerSample = v; return this; }
        public Builder episodesPerHour(double v) { episodesPerHour = v; return this; }
        public Builder episodeLength(Duration min, Duration max) {
            minEpisodeLength = min;
            maxEpisodeLength = max;
            return this;
        }
        public Builder mistSeverity(double v) { mistSeverity = v; return this; }
        public Builder currentLeadSeconds(double v) { currentLeadSeconds = v; return this; }
        public Builder maxClockSkewMillis(double v) { maxClockSkewMillis = v; return this; }
        public Builder clockJitterMillis(double v) { clockJitterMillis = v; return this; }
        public Builder droppedFrameFraction(double v) { droppedFrameFraction = v; return this; }
        public Builder outOfOrderFraction(double v) { outOfOrderFraction = v; return this; }
        public Builder lateFraction(double v) { lateFraction = v; return this; }
        public Builder lateness(Duration v) { lateness = v; return this; }
        public Builder lookVariety(double v) { lookVariety = v; return this; }

        /** Clean transport: no drops, no reordering, no late records (exports, end-to-end tests). */
        public Builder noTransportFaults() {
            droppedFrameFraction = 0;
            outOfOrderFraction = 0;
            lateFraction = 0;
            return this;
        }

        /** The config, not yet validated (so that tests can build impossible ones). */
        public SimulatorConfig build() {
            return new SimulatorConfig(furnaces, seed, startEpochMicros, duration, fps, frameWidth, frameHeight,
                    currentRateHz, readingsPerSample, episodesPerHour, minEpisodeLength, maxEpisodeLength,
                    mistSeverity, currentLeadSeconds, maxClockSkewMillis, clockJitterMillis, droppedFrameFraction,
                    outOfOrderFraction, lateFraction, lateness, lookVariety);
        }
    }
}
