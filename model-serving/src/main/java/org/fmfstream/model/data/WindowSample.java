package org.fmfstream.model.data;

/**
 * Who a training or evaluation window is: the frame it is scored for and what is known about it.
 *
 * @param recording the benchmark recording NAME
 * @param frame     index of the scored (last) frame of the clip in that recording
 * @param abnormal  the class label: any abnormal pixel in the frame's mask
 * @param mist      the simulator's mist level at that frame (0 clear .. 1 opaque), or NaN when the
 *                  layout has no {@code simulator/NAME.csv} sidecar (real benchmark data)
 */
public record WindowSample(String recording, int frame, boolean abnormal, double mist) {

    /** Whether the mist level is known and at least {@code threshold}: the heavy-mist subset. */
    public boolean mistAtLeast(double threshold) {
        return !Double.isNaN(mist) && mist >= threshold;
    }
}
