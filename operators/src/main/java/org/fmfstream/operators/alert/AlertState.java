package org.fmfstream.operators.alert;

/**
 * Per-furnace state of {@link IncidentTracker}, a Flink POJO (public fields, no-arg constructor) so
 * that it is snapshotted by Flink's POJO serializer, not Kryo. Its size is bounded: a ring of the
 * last n window decisions and a fixed set of incident figures.
 */
public class AlertState {
    // Ring of the last n windows, oldest at (next - size) mod n.
    public long[] ringEndMicros;
    public boolean[] ringAnomalous;
    public double[] ringProbability;
    /** Bit i set = Degradation ordinal i was present in the window. */
    public int[] ringDegradations;
    public int ringSize;
    public int ringNext;

    /** windowEndMicros of the last window processed; older or equal windows are dropped. */
    public long lastWindowEndMicros = Long.MIN_VALUE;

    public boolean open;
    public long openedAtMicros;
    public long firstAnomalyMicros;
    public long lastAnomalyMicros;
    public int anomalousWindows;
    public int totalWindows;
    public int degradedWindows;
    public int degradationBits;
    public double peakProbability;
    public long peakWindowEndMicros;
    public String modelName;
    public String modelVersion;
    public String modelSha256;
    /** The registered clear timer (ms), or Long.MIN_VALUE for none. */
    public long clearTimerMillis = Long.MIN_VALUE;

    public AlertState() {
    }

    static AlertState empty(int n) {
        AlertState s = new AlertState();
        s.ringEndMicros = new long[n];
        s.ringAnomalous = new boolean[n];
        s.ringProbability = new double[n];
        s.ringDegradations = new int[n];
        return s;
    }

    void push(long endMicros, boolean anomalous, double probability, int degradations) {
        int n = ringEndMicros.length;
        ringEndMicros[ringNext] = endMicros;
        ringAnomalous[ringNext] = anomalous;
        ringProbability[ringNext] = probability;
        ringDegradations[ringNext] = degradations;
        ringNext = (ringNext + 1) % n;
        ringSize = Math.min(ringSize + 1, n);
    }

    /** Index of the i-th oldest window in the ring, 0 <= i < ringSize. */
    int index(int i) {
        int n = ringEndMicros.length;
        return Math.floorMod(ringNext - ringSize + i, n);
    }

    int anomalousInRing() {
        int c = 0;
        for (int i = 0; i < ringSize; i++) {
            if (ringAnomalous[index(i)]) {
                c++;
            }
        }
        return c;
    }

    void clearRing() {
        ringSize = 0;
        ringNext = 0;
    }
}
