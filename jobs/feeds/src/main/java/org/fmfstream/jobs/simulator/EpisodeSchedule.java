package org.fmfstream.jobs.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a furnace's anomaly episodes before the run, so that tests and exports know the truth in
 * advance. Episodes alternate with exponential gaps whose mean is chosen so that the expected share
 * of time inside episodes is exactly episodesPerHour x mean length (a plain Poisson process of
 * starts would overlap, and pushing overlaps apart would lower that share).
 */
final class EpisodeSchedule {
    private static final double MIN_PEAK_RADIUS = 2.5;
    private static final double MAX_PEAK_RADIUS = 6.5;
    private static final double MIN_GROWTH_SECONDS = 15;
    private static final double MAX_GROWTH_SECONDS = 45;

    private EpisodeSchedule() {}

    static List<Episode> draw(SimulatorConfig config, SplittableRandom rng) {
        if (config.episodesPerHour() == 0) {
            return List.of();
        }
        ShellGeometry shell = new ShellGeometry(config.frameWidth(), config.frameHeight());
        double meanGapSeconds = 3600.0 / config.episodesPerHour() - config.meanEpisodeSeconds();
        double minLen = SimulatorConfig.seconds(config.minEpisodeLength());
        double maxLen = SimulatorConfig.seconds(config.maxEpisodeLength());
        long leadMicros = Math.round(config.currentLeadSeconds() * 1e6);
        long end = config.endEpochMicros();

        List<Episode> episodes = new ArrayList<>();
        double t = config.startEpochMicros() + exponential(rng, meanGapSeconds) * 1e6;
        while (t < end) {
            double length = minLen + rng.nextDouble() * (maxLen - minLen);
            long start = (long) t;
            long stop = start + Math.round(length * 1e6);
            double peak = (MIN_PEAK_RADIUS + rng.nextDouble() * (MAX_PEAK_RADIUS - MIN_PEAK_RADIUS)) * shell.scale();
            double margin = peak + 2 * shell.scale();
            double cx = uniform(rng, margin, shell.width() - margin);
            double cy = uniform(rng, shell.glareRows() + margin, shell.height() - margin);
            double aspect = 0.55 + 0.45 * rng.nextDouble();
            double angle = rng.nextDouble() * Math.PI;
            double growth = Math.min(0.8 * length,
                    MIN_GROWTH_SECONDS + rng.nextDouble() * (MAX_GROWTH_SECONDS - MIN_GROWTH_SECONDS));
            episodes.add(new Episode(episodes.size(), start, stop, cx, cy, peak, aspect, angle, growth,
                    start - leadMicros, stop - leadMicros));
            t = stop + exponential(rng, meanGapSeconds) * 1e6;
        }
        return Collections.unmodifiableList(episodes);
    }

    private static double exponential(SplittableRandom rng, double mean) {
        return -mean * Math.log(1 - rng.nextDouble());
    }

    /** Uniform in [lo, hi]; the middle when the frame is too small for the range. */
    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return hi <= lo ? (lo + hi) / 2 : lo + rng.nextDouble() * (hi - lo);
    }
}
