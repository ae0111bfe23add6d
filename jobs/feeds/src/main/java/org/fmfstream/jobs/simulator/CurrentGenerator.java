package org.fmfstream.jobs.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The three electrode currents of one furnace, reading by reading (see {@code package-info} for the
 * calibration). Normal operation fluctuates strongly: a set-point that operators step now and then,
 * a slow common wander, a slower wander per phase, and arc noise that is partly shared between the
 * phases, with single-reading arc spikes. Normal operation also has calm stretches as quiet as an
 * anomaly, and rare dropouts. Inside an episode's current window (the episode shifted earlier by the
 * lead) the arc steadies: less arc noise, damped wander, no set-point steps, fewer spikes, and
 * dropouts become more frequent. The change blends in and out over a few seconds.
 */
final class CurrentGenerator {
    static final float MIN_AMPS = 6_000;
    static final float MAX_AMPS = 14_000;
    static final float DROPOUT_MAX_AMPS = 5_500;

    private static final double SETPOINT_MIN = 8_500;
    private static final double SETPOINT_MAX = 11_500;
    private static final double SETPOINT_STEPS_PER_HOUR = 4;
    private static final double SETPOINT_STEP_SIGMA = 1_000;
    private static final double SETPOINT_RAMP_AMPS_PER_SECOND = 150;
    private static final double PHASE_OFFSET_MAX = 350;

    /** Arc noise of normal operation: log-normal around this, changing within a minute or so. */
    private static final double ARC_SIGMA_MEDIAN = 560;
    private static final double ARC_SIGMA_LOG_SPREAD = 0.25;
    private static final double ARC_SIGMA_LOG_TAU_SECONDS = 45;
    /** Calm stretches: the arc noise falls to this share, for minutes, a third of the time. */
    private static final double CALM_FACTOR = 0.42;
    private static final double MEAN_CALM_SECONDS = 150;
    private static final double MEAN_ACTIVE_SECONDS = 350;
    /** An episode scales arc noise by 1 - this x its steadiness (uniform 0.3..1 per episode). */
    private static final double ANOMALY_MAX_ARC_REDUCTION = 0.7;
    /** ... and the wander's volatility by 1 - this x its steadiness. */
    private static final double ANOMALY_MAX_WANDER_REDUCTION = 0.55;

    private static final double SPIKES_PER_SECOND_NORMAL = 2 / 60.0;
    private static final double SPIKES_PER_SECOND_ANOMALY = 0.6 / 60.0;
    private static final double DROPOUTS_PER_SECOND_NORMAL = 1 / 1800.0;
    private static final double DROPOUTS_PER_SECOND_ANOMALY = 0.3 / 60.0;

    /** How fast the arc settles into (or out of) the anomaly regime, and into calm stretches. */
    private static final double REGIME_BLEND_SECONDS = 6;
    private static final double CALM_BLEND_SECONDS = 5;

    private final SimulatorConfig config;
    private final List<Episode> episodes;
    private final double[] episodeSteadiness;
    private final SplittableRandom rng;
    private final double dt;
    private final double[] phaseOffset = new double[3];
    private final Wander commonWander;
    private final Wander[] phaseWander = new Wander[3];
    private final Wander logActivity;

    private double setpoint;
    private double setpointTarget;
    private boolean calm;
    private double calmWeight;
    private double regimeWeight;
    /** Steadiness of the latest episode; kept while the regime blends back out. */
    private double steadiness;
    private double dropoutSecondsLeft;
    private final double[] dropoutLevel = new double[3];
    private int episodeCursor;
    private long next;

    CurrentGenerator(SimulatorConfig config, List<Episode> episodes, SplittableRandom rng) {
        this.config = config;
        this.episodes = episodes;
        this.rng = rng;
        this.dt = 1 / config.currentRateHz();
        // Each episode steadies the arc to its own degree; some hardly at all.
        this.episodeSteadiness = new double[episodes.size()];
        for (int k = 0; k < episodeSteadiness.length; k++) {
            episodeSteadiness[k] = 0.3 + 0.7 * rng.nextDouble();
        }
        for (int p = 0; p < 3; p++) {
            phaseOffset[p] = (2 * rng.nextDouble() - 1) * PHASE_OFFSET_MAX;
            phaseWander[p] = new Wander(0, 250, 40, rng);
        }
        this.commonWander = new Wander(0, 450, 90, rng);
        this.logActivity = new Wander(Math.log(ARC_SIGMA_MEDIAN), ARC_SIGMA_LOG_SPREAD, ARC_SIGMA_LOG_TAU_SECONDS, rng);
        this.setpoint = SETPOINT_MIN + rng.nextDouble() * (SETPOINT_MAX - SETPOINT_MIN);
        this.setpointTarget = setpoint;
        this.calm = rng.nextDouble() < MEAN_CALM_SECONDS / (MEAN_CALM_SECONDS + MEAN_ACTIVE_SECONDS);
        this.calmWeight = calm ? 1 : 0;
    }

    boolean hasNext() {
        return next < config.readingCount();
    }

    SimulatedReading next() {
        long index = next++;
        long t = config.readingTimeMicros(index);
        Episode episode = currentEpisode(t);
        double target = episode != null ? 1 : 0;
        regimeWeight += (target - regimeWeight) * (1 - Math.exp(-dt / REGIME_BLEND_SECONDS));
        double w = regimeWeight;

        if (rng.nextDouble() < 1 - Math.exp(-dt / (calm ? MEAN_CALM_SECONDS : MEAN_ACTIVE_SECONDS))) {
            calm = !calm;
        }
        calmWeight += ((calm ? 1 : 0) - calmWeight) * (1 - Math.exp(-dt / CALM_BLEND_SECONDS));
        if (episode != null) {
            steadiness = episodeSteadiness[episode.index()];
        }
        // The anomaly is a relative steadying of an arc whose noise varies anyway, and calm stretches
        // are quieter still: no threshold on noise level alone separates the two.
        double normalFactor = 1 + (CALM_FACTOR - 1) * calmWeight;
        double anomalyFactor = 1 - ANOMALY_MAX_ARC_REDUCTION * steadiness;
        double arcSigma = Math.exp(logActivity.step(dt, rng)) * (normalFactor + (anomalyFactor - normalFactor) * w);

        // Operators leave the set-point alone while the furnace is in trouble.
        boolean step = rng.nextDouble() < 1 - Math.exp(-dt * SETPOINT_STEPS_PER_HOUR / 3600);
        double stepSize = rng.nextGaussian() * SETPOINT_STEP_SIGMA;
        if (step && w < 0.5) {
            setpointTarget = Math.max(SETPOINT_MIN, Math.min(SETPOINT_MAX, setpointTarget + stepSize));
        }
        double ramp = SETPOINT_RAMP_AMPS_PER_SECOND * dt;
        setpoint += Math.max(-ramp, Math.min(ramp, setpointTarget - setpoint));

        double volatility = 1 - ANOMALY_MAX_WANDER_REDUCTION * steadiness * w;
        double common = commonWander.step(dt, volatility, rng);
        double sharedArc = rng.nextGaussian();

        double spikeRate = SPIKES_PER_SECOND_NORMAL + (SPIKES_PER_SECOND_ANOMALY - SPIKES_PER_SECOND_NORMAL) * w;
        int spikePhase = rng.nextDouble() < 1 - Math.exp(-dt * spikeRate) ? rng.nextInt(3) : -1;
        double spike = (rng.nextBoolean() ? 1 : -1) * (800 + 1400 * rng.nextDouble());

        double dropoutRate = DROPOUTS_PER_SECOND_NORMAL + (DROPOUTS_PER_SECOND_ANOMALY - DROPOUTS_PER_SECOND_NORMAL) * w;
        if (dropoutSecondsLeft <= 0 && rng.nextDouble() < 1 - Math.exp(-dt * dropoutRate)) {
            startDropout();
        }
        boolean inDropout = dropoutSecondsLeft > 0;

        float[] amps = new float[3];
        for (int p = 0; p < 3; p++) {
            double v = setpoint + phaseOffset[p] + common + phaseWander[p].step(dt, volatility, rng)
                    + arcSigma * (0.5 * sharedArc + 0.866 * rng.nextGaussian());
            if (p == spikePhase) {
                v += spike;
            }
            v = Math.max(MIN_AMPS, Math.min(MAX_AMPS, v));
            if (inDropout && dropoutLevel[p] > 0) {
                // Clamped so that a dropped phase is always recognisably below the operating range.
                v = Math.max(0, Math.min(DROPOUT_MAX_AMPS, dropoutLevel[p] * (1 + 0.08 * rng.nextGaussian())));
            }
            amps[p] = (float) v;
        }
        if (inDropout) {
            dropoutSecondsLeft -= dt;
        }
        return new SimulatedReading(index, t, amps[0], amps[1], amps[2], inDropout, episode != null);
    }

    /** One phase (sometimes two) falls to a few kA for half a second to three seconds. */
    private void startDropout() {
        dropoutSecondsLeft = 0.5 + 2.5 * rng.nextDouble();
        java.util.Arrays.fill(dropoutLevel, 0);
        int first = rng.nextInt(3);
        dropoutLevel[first] = 1_500 + 3_000 * rng.nextDouble();
        if (rng.nextDouble() < 0.2) {
            int second = (first + 1 + rng.nextInt(2)) % 3;
            dropoutLevel[second] = 1_500 + 3_000 * rng.nextDouble();
        }
    }

    /** The episode whose current window holds {@code t}; readings come in time order. */
    private Episode currentEpisode(long t) {
        while (episodeCursor < episodes.size() && episodes.get(episodeCursor).currentEndMicros() <= t) {
            episodeCursor++;
        }
        if (episodeCursor < episodes.size() && episodes.get(episodeCursor).currentRegimeAt(t)) {
            return episodes.get(episodeCursor);
        }
        return null;
    }
}
