package org.fmfstream.jobs.simulator;

/**
 * What one furnace delivered in a run.
 *
 * @param furnaceId         e.g. F01
 * @param episodes          anomaly episodes in the schedule of the run
 * @param framesDelivered   frames handed to the sink
 * @param framesDropped     frames rendered but lost in transport (frameSeq gaps)
 * @param anomalousFrames   delivered frames with a non-empty mask
 * @param currentSamples    CurrentSample blocks handed to the sink
 * @param currentReadings   readings in those blocks
 * @param outOfOrder        records (frames and samples) delivered after a successor
 * @param late              records held back by about the lateness
 */
public record FurnaceTally(String furnaceId, int episodes, long framesDelivered, long framesDropped,
                           long anomalousFrames, long currentSamples, long currentReadings, long outOfOrder,
                           long late) {

    public double anomalousFrameFraction() {
        return framesDelivered == 0 ? 0 : anomalousFrames / (double) framesDelivered;
    }

    String line() {
        return String.format("%s: %d frames (%d dropped), %d current samples (%d readings), %d episodes, "
                        + "anomalous frames %.1f%%, %d out of order, %d late",
                furnaceId, framesDelivered, framesDropped, currentSamples, currentReadings, episodes,
                100 * anomalousFrameFraction(), outOfOrder, late);
    }
}
