package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prints rendering cost; asserts only what the frames must be, since CI machines vary. */
class FurnaceRenderSpeedTest {

    @Test
    void sixteenFurnacesRenderFasterThanRealTime() {
        SimulatorConfig config = SimulatorConfig.builder().furnaces(16).duration(Duration.ofSeconds(20))
                .noTransportFaults().build();
        Simulation sim = Simulation.of(config);
        List<FrameStream> streams = new ArrayList<>();
        for (FurnaceSimulation f : sim.furnaces()) {
            streams.add(f.frames());
        }
        // Warm-up: let the JIT compile the render loop before timing it.
        for (int i = 0; i < 100; i++) {
            for (FrameStream s : streams) {
                s.next();
            }
        }
        int frames = 0;
        byte[] previous = null;
        int identicalNeighbours = 0;
        long began = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            for (FrameStream s : streams) {
                SimulatedFrame f = s.next();
                assertThat(f.rgb()).hasSize(64 * 64 * 3);
                assertThat(f.mask()).hasSize(64 * 64);
                if (previous != null && Arrays.equals(previous, f.rgb())) {
                    identicalNeighbours++;
                }
                previous = f.rgb();
                frames++;
            }
        }
        double msPerFrame = (System.nanoTime() - began) / 1e6 / frames;
        System.out.printf("render: %.3f ms per 64x64 frame; one core keeps %.0f furnaces at 25 fps in real time%n",
                msPerFrame, 40 / msPerFrame);
        assertThat(frames).isEqualTo(3200);
        assertThat(identicalNeighbours).isZero();
    }

    @Test
    void wholeRunOfSixteenFurnacesIntoASink() {
        SimulatorConfig config = SimulatorConfig.builder().furnaces(16).duration(Duration.ofSeconds(10)).build();
        CollectingSink sink = new CollectingSink();
        long began = System.nanoTime();
        RunSummary summary = SimulationRun.of(Simulation.of(config)).fast().deliverTo(sink);
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("run: 10 s of 16 furnaces (%d frames, %d samples) in %.2f s, %.3f ms per frame%n",
                summary.framesDelivered(), summary.currentSamples(), seconds, seconds * 1000 / summary.framesDelivered());
        assertThat(summary.framesDelivered() + summary.furnaces().stream().mapToLong(FurnaceTally::framesDropped).sum())
                .isEqualTo(16 * 250);
        assertThat(sink.samples).hasSize(16 * 20);
    }
}
