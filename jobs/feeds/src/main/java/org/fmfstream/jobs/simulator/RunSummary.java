package org.fmfstream.jobs.simulator;

import java.time.Duration;
import java.util.List;

/**
 * Where a run stands: per-furnace tallies, how far simulated time has got, and whether the run
 * reached its end (false when stopped early).
 */
public record RunSummary(List<FurnaceTally> furnaces, Duration simulated, boolean complete) {

    public long framesDelivered() {
        return furnaces.stream().mapToLong(FurnaceTally::framesDelivered).sum();
    }

    public long currentSamples() {
        return furnaces.stream().mapToLong(FurnaceTally::currentSamples).sum();
    }

    public long anomalousFrames() {
        return furnaces.stream().mapToLong(FurnaceTally::anomalousFrames).sum();
    }

    public int episodes() {
        return furnaces.stream().mapToInt(FurnaceTally::episodes).sum();
    }

    public double anomalousFrameFraction() {
        long frames = framesDelivered();
        return frames == 0 ? 0 : anomalousFrames() / (double) frames;
    }

    /** One line of totals, for progress output. */
    public String progressLine() {
        return String.format("simulated %s: %d frames, %d current samples, anomalous frames %.1f%%",
                format(simulated), framesDelivered(), currentSamples(), 100 * anomalousFrameFraction());
    }

    /** Several lines: one per furnace, then the totals. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(complete ? "Simulation complete" : "Simulation stopped early").append(" after ")
                .append(format(simulated)).append(" of simulated time\n");
        for (FurnaceTally f : furnaces) {
            sb.append("  ").append(f.line()).append('\n');
        }
        sb.append(String.format("  total: %d frames, %d current samples, %d episodes, anomalous frames %.1f%%%n",
                framesDelivered(), currentSamples(), episodes(), 100 * anomalousFrameFraction()));
        return sb.toString();
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
