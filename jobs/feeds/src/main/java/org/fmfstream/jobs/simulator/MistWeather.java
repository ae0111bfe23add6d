package org.fmfstream.jobs.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How much water mist hangs in front of a furnace's shell over time, as a level 0..1 (a pure
 * function of time, drawn before the run). Spray cooling makes a light background mist that
 * swells and thins over minutes, plus heavy-mist periods of up to a few minutes. Operators spray
 * harder when a shell runs hot, so an episode is often, but not always, covered by heavy mist: that
 * is exactly when the camera is least useful and the current has to help.
 */
final class MistWeather {
    /** Lattice spacing of the slow background variation. */
    private static final double SLOW_CELL_SECONDS = 120;
    /** Background heavy-mist periods per hour at severity 1. */
    private static final double HEAVY_PER_HOUR_AT_FULL_SEVERITY = 3;
    private static final double HEAVY_MIN_SECONDS = 40;
    private static final double HEAVY_MAX_SECONDS = 200;
    /** Chance that an episode is covered by heavy mist, at severity 1. */
    private static final double EPISODE_COVER_AT_FULL_SEVERITY = 0.7;
    /** Mist thickens and clears over this long. */
    private static final double RAMP_SECONDS = 12;

    /** A heavy-mist period, true time, including its ramps. */
    record HeavyPeriod(long startMicros, long endMicros) {}

    private final double severity;
    private final long originMicros;
    private final float[] slow;
    private final List<HeavyPeriod> heavy;

    MistWeather(SimulatorConfig config, List<Episode> episodes, SplittableRandom rng) {
        this.severity = config.mistSeverity();
        this.originMicros = config.startEpochMicros();
        double seconds = SimulatorConfig.seconds(config.duration());
        this.slow = new float[(int) Math.ceil(seconds / SLOW_CELL_SECONDS) + 2];
        for (int i = 0; i < slow.length; i++) {
            slow[i] = (float) rng.nextDouble();
        }
        List<HeavyPeriod> periods = new ArrayList<>();
        double ratePerSecond = severity * HEAVY_PER_HOUR_AT_FULL_SEVERITY / 3600;
        if (ratePerSecond > 0) {
            double t = -Math.log(1 - rng.nextDouble()) / ratePerSecond;
            while (t < seconds) {
                double len = HEAVY_MIN_SECONDS + rng.nextDouble() * (HEAVY_MAX_SECONDS - HEAVY_MIN_SECONDS);
                long start = originMicros + Math.round(t * 1e6);
                periods.add(new HeavyPeriod(start, start + Math.round(len * 1e6)));
                t += len - Math.log(1 - rng.nextDouble()) / ratePerSecond;
            }
        }
        for (Episode e : episodes) {
            // One draw per episode whatever the outcome, so the rest of the weather does not shift.
            double cover = rng.nextDouble();
            double before = rng.nextDouble() * 30;
            double stretch = 0.6 + 0.6 * rng.nextDouble();
            if (cover < severity * EPISODE_COVER_AT_FULL_SEVERITY) {
                long start = e.startMicros() - Math.round(before * 1e6);
                periods.add(new HeavyPeriod(start, start + Math.round((before + e.lengthSeconds() * stretch) * 1e6)));
            }
        }
        periods.sort((a, b) -> Long.compare(a.startMicros, b.startMicros));
        this.heavy = Collections.unmodifiableList(periods);
    }

    /** Mist level 0 (dry) .. 1 (nothing visible through it) at a true time. */
    double levelAt(long trueMicros) {
        if (severity == 0) {
            return 0;
        }
        double s = (trueMicros - originMicros) / 1e6 / SLOW_CELL_SECONDS;
        int i = Math.max(0, Math.min(slow.length - 2, (int) Math.floor(s)));
        double f = Math.max(0, Math.min(1, s - i));
        f = f * f * (3 - 2 * f);
        double background = severity * (0.10 + 0.25 * (slow[i] + (slow[i + 1] - slow[i]) * f));
        double level = background + (0.45 + 0.45 * severity) * heavyEnvelope(trueMicros);
        return Math.min(1, level);
    }

    /** 0..1: how far into a heavy-mist period this moment is (ramps up and down). */
    private double heavyEnvelope(long t) {
        double best = 0;
        for (HeavyPeriod p : heavy) {
            if (p.startMicros > t) {
                break;
            }
            if (t < p.endMicros) {
                double in = (t - p.startMicros) / 1e6 / RAMP_SECONDS;
                double out = (p.endMicros - t) / 1e6 / RAMP_SECONDS;
                best = Math.max(best, Math.min(1, Math.min(in, out)));
            }
        }
        return best;
    }

    List<HeavyPeriod> heavyPeriods() {
        return heavy;
    }
}
