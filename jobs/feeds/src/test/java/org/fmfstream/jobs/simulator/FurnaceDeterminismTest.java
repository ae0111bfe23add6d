package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;

class FurnaceDeterminismTest {
    private static final RecordCodec<VideoFrame> FRAMES = RecordCodec.videoFrames();
    private static final RecordCodec<CurrentSample> SAMPLES = RecordCodec.currentSamples();

    /** Transport faults on, so that their decisions are covered too. */
    private static SimulatorConfig config(long seed) {
        return SimulatorConfig.builder()
                .seed(seed)
                .furnaces(2)
                .duration(Duration.ofSeconds(20))
                .episodesPerHour(60)
                .episodeLength(Duration.ofSeconds(10), Duration.ofSeconds(20))
                .droppedFrameFraction(0.05)
                .outOfOrderFraction(0.05)
                .lateFraction(0.02)
                .lateness(Duration.ofSeconds(2))
                .build();
    }

    private static List<byte[]> encodedRun(SimulatorConfig config) {
        CollectingSink sink = new CollectingSink();
        SimulationRun.of(Simulation.of(config)).fast().deliverTo(sink);
        List<byte[]> bytes = new ArrayList<>();
        for (Object r : sink.records) {
            bytes.add(r instanceof VideoFrame f ? FRAMES.encode(f) : SAMPLES.encode((CurrentSample) r));
        }
        return bytes;
    }

    private static boolean sameBytes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        List<byte[]> first = encodedRun(config(42));
        List<byte[]> again = encodedRun(config(42));
        List<byte[]> other = encodedRun(config(43));

        assertThat(first).hasSizeGreaterThan(900);
        assertThat(sameBytes(first, again)).as("same seed, same bytes").isTrue();
        assertThat(sameBytes(first, other)).as("different seed, different bytes").isFalse();
        // Not just a shifted timestamp: the very first frame's pixels differ.
        assertThat(Arrays.equals(firstFramePixels(config(42)), firstFramePixels(config(43)))).isFalse();
    }

    private static byte[] firstFramePixels(SimulatorConfig c) {
        return Simulation.of(c).furnace(0).frames().next().rgb();
    }

    @Test
    void furnacesAreIndependentOfHowManyOthersRun() {
        SimulatorConfig three = config(7).toBuilder().furnaces(3).build();
        SimulatorConfig one = config(7).toBuilder().furnaces(1).build();
        FurnaceSimulation alone = Simulation.of(one).furnace(0);
        Simulation plant = Simulation.of(three);
        FurnaceSimulation withOthers = plant.furnace(0);

        assertThat(withOthers.episodes()).isEqualTo(alone.episodes());
        assertThat(withOthers.cameraSkewMicros()).isEqualTo(alone.cameraSkewMicros());
        FrameStream a = alone.frames();
        FrameStream b = withOthers.frames();
        FrameStream neighbour = plant.furnace(1).frames();
        for (int i = 0; i < 100; i++) {
            SimulatedFrame fa = a.next();
            SimulatedFrame fb = b.next();
            assertThat(fb.rgb()).isEqualTo(fa.rgb());
            assertThat(fb.mask()).isEqualTo(fa.mask());
            assertThat(fb.cameraTimeMicros()).isEqualTo(fa.cameraTimeMicros());
            // Every furnace has its own shell, lighting and noise.
            assertThat(neighbour.next().rgb()).isNotEqualTo(fa.rgb());
        }
        CurrentStream ca = alone.currents();
        CurrentStream cb = withOthers.currents();
        while (ca.hasNext()) {
            assertThat(cb.next()).isEqualTo(ca.next());
        }
        assertThat(cb.hasNext()).isFalse();
    }

    @Test
    void everyStreamReplaysIdentically() {
        FurnaceSimulation f = Simulation.of(config(9)).furnace(1);
        FrameStream first = f.frames();
        FrameStream second = f.frames();
        while (first.hasNext()) {
            SimulatedFrame x = first.next();
            SimulatedFrame y = second.next();
            assertThat(y.frameSeq()).isEqualTo(x.frameSeq());
            assertThat(y.rgb()).isEqualTo(x.rgb());
            assertThat(y.cameraTimeMicros()).isEqualTo(x.cameraTimeMicros());
        }
        assertThat(second.hasNext()).isFalse();
    }
}
