package org.fmfstream.jobs.simulator;

/**
 * One three-phase electrode current reading from the PLC, amperes.
 *
 * @param index           0-based reading number, one per 1/rate
 * @param trueTimeMicros  when it was taken (the PLC clock is the reference clock)
 * @param phaseA          phase A current
 * @param phaseB          phase B current
 * @param phaseC          phase C current
 * @param dropout         true while at least one phase has dropped out (only such phases go below 6 kA)
 * @param anomalyRegime   true inside an episode's current window (episode shifted by the lead)
 */
public record SimulatedReading(long index, long trueTimeMicros, float phaseA, float phaseB, float phaseC,
                             boolean dropout, boolean anomalyRegime) {

    public float phase(int p) {
        return switch (p) {
            case 0 -> phaseA;
            case 1 -> phaseB;
            case 2 -> phaseC;
            default -> throw new IllegalArgumentException("phase " + p + " is not 0, 1 or 2");
        };
    }
}
