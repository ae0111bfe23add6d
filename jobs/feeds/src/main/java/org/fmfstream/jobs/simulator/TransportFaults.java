package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * What happens to each record of one stream (a furnace's frames, or its current samples) between the
 * source and Kafka: delivered on time, dropped (frames only: the camera's frameSeq then has a gap),
 * held back just long enough for one to three successors to overtake it (out of order), or held back
 * by about the configured lateness (late: behind any reasonable watermark). Every decision draws
 * the same number of random numbers, so changing one fraction does not reshuffle the others.
 */
final class TransportFaults {
    enum Fate { ON_TIME, DROPPED, OUT_OF_ORDER, LATE }

    /** The fate of one record and how long it is held back, microseconds. */
    record Decision(Fate fate, long delayMicros) {}

    private static final Decision ON_TIME = new Decision(Fate.ON_TIME, 0);
    private static final Decision DROPPED = new Decision(Fate.DROPPED, 0);

    private final double intervalMicros;
    private final double dropFraction;
    private final double outOfOrderFraction;
    private final double lateFraction;
    private final double latenessMicros;
    private final SplittableRandom rng;

    TransportFaults(SimulatorConfig config, double intervalSeconds, double dropFraction, SplittableRandom rng) {
        this.intervalMicros = intervalSeconds * 1e6;
        this.dropFraction = dropFraction;
        this.outOfOrderFraction = config.outOfOrderFraction();
        this.lateFraction = config.lateFraction();
        this.latenessMicros = SimulatorConfig.seconds(config.lateness()) * 1e6;
        this.rng = rng;
    }

    Decision decide() {
        double drop = rng.nextDouble();
        double fate = rng.nextDouble();
        double amount = rng.nextDouble();
        if (drop < dropFraction) {
            return DROPPED;
        }
        if (fate < lateFraction) {
            return new Decision(Fate.LATE, Math.round(latenessMicros * (1 + 0.2 * amount)));
        }
        if (fate < lateFraction + outOfOrderFraction) {
            // Just over k intervals lets k successors (1 to MAX_OVERTAKING_RECORDS) pass it.
            double intervals = 1.05 + (SimulatorConfig.MAX_OVERTAKING_RECORDS - 1.05) * amount;
            return new Decision(Fate.OUT_OF_ORDER, Math.round(intervalMicros * intervals));
        }
        return ON_TIME;
    }
}
