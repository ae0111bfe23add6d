package org.fmfstream.model.data;

/**
 * Who a training or evaluation window is: the frame it is scored for and what is known about it.
 *
 * @param recording the benchmark recording NAME
 * @param frame     index of the scored (last) frame of the clip in that recording
 * @param abnormal  the class label: any abnormal pixel in the frame's mask
 * @param mist      the simulator's mist level at that frame (0 clear .. 1 opaque), or NaN when the
 *                  layout has no {@code simulator/NAME.csv} sidecar (real benchmark data)
 * @param episode   the simulator's episode index at that frame, -1 outside episodes or when unknown
 * @param timeMicros the frame's timestamp, or 0 when unknown
 */
public record WindowSample(String recording, int frame, boolean abnormal, double mist, int episode,
                           long timeMicros) {

    /** A sample without episode and time (generated or real data). */
    public WindowSample(String recording, int frame, boolean abnormal, double mist) {
        this(recording, frame, abnormal, mist, -1, 0);
    }

    /** Whether the mist level is known and at least {@code threshold}: the heavy-mist subset. */
    public boolean mistAtLeast(double threshold) {
        return !Double.isNaN(mist) && mist >= threshold;
    }
}
