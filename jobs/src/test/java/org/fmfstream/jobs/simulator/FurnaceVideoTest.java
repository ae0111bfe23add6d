package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FurnaceVideoTest {

    @Test
    void anomalousFrameShareMatchesEpisodeRateTimesMeanLength() {
        // 20 episodes/h of 30-90 s: a third of the time. 3 furnaces x 10 h at one frame every 2 s.
        SimulatorConfig config = SimulatorConfig.builder()
                .seed(5).furnaces(3).duration(Duration.ofHours(10)).fps(0.5)
                .episodesPerHour(20).episodeLength(Duration.ofSeconds(30), Duration.ofSeconds(90))
                .noTransportFaults().build();
        Simulation sim = Simulation.of(config);
        long frames = 0;
        long anomalous = 0;
        int episodes = 0;
        int glareRows = new ShellGeometry(64, 64).glareRows();
        for (FurnaceSimulation f : sim.furnaces()) {
            episodes += f.episodes().size();
            for (Episode e : f.episodes()) {
                assertThat(e.lengthSeconds()).isBetween(30.0, 90.0);
                assertThat(e.centerY() - e.peakRadius()).as("spot below the flame and glare band")
                        .isGreaterThanOrEqualTo(glareRows);
            }
            FrameStream stream = f.frames();
            while (stream.hasNext()) {
                SimulatedFrame frame = stream.next();
                frames++;
                int maskPixels = FrameMeasures.maskPixels(frame.mask());
                Episode truth = f.episodeAt(frame.trueTimeMicros());
                // Label = mask non-empty = an episode is active; mask only 0/1 below the glare band.
                assertThat(maskPixels > 0).isEqualTo(frame.anomalous()).isEqualTo(truth != null);
                if (frame.anomalous()) {
                    anomalous++;
                    assertThat(frame.episodeIndex()).isEqualTo(truth.index());
                    for (int i = 0; i < glareRows * 64; i++) {
                        assertThat(frame.mask()[i]).isZero();
                    }
                }
            }
        }
        double expected = config.expectedAnomalousShare();
        double measured = anomalous / (double) frames;
        System.out.printf("anomalous-frame share %.4f (expected %.4f), %d episodes in 30 furnace-hours%n",
                measured, expected, episodes);
        assertThat(expected).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(measured).isCloseTo(expected, within(0.12 * expected));
        assertThat(episodes).isBetween(510, 690);
    }

    @Test
    void hotSpotGrowsAndBrightensOverTensOfSeconds() {
        SimulatorConfig config = SimulatorConfig.builder()
                .seed(8).furnaces(1).duration(Duration.ofHours(2)).fps(1).mistSeverity(0)
                .episodesPerHour(10).episodeLength(Duration.ofSeconds(60), Duration.ofSeconds(120))
                .noTransportFaults().build();
        FurnaceSimulation f = Simulation.of(config).furnace(0);
        List<Episode> episodes = f.episodes();
        assertThat(episodes).hasSizeGreaterThan(10);
        double[] firstArea = new double[episodes.size()];
        double[] lastArea = new double[episodes.size()];
        double[] firstContrast = new double[episodes.size()];
        double[] lastContrast = new double[episodes.size()];
        FrameStream stream = f.frames();
        while (stream.hasNext()) {
            SimulatedFrame frame = stream.next();
            if (!frame.anomalous()) {
                continue;
            }
            int k = frame.episodeIndex();
            Episode e = episodes.get(k);
            double age = (frame.trueTimeMicros() - e.startMicros()) / 1e6;
            if (firstArea[k] == 0) {
                firstArea[k] = FrameMeasures.maskPixels(frame.mask());
                firstContrast[k] = FrameMeasures.spotContrast(frame);
            }
            if (age >= e.growthSeconds()) {
                lastArea[k] = FrameMeasures.maskPixels(frame.mask());
                lastContrast[k] = FrameMeasures.spotContrast(frame);
            }
        }
        int grew = 0;
        int brightened = 0;
        for (int k = 0; k < episodes.size() - 1; k++) {
            assertThat(episodes.get(k).growthSeconds()).isBetween(15.0, 45.0);
            grew += lastArea[k] > 2 * firstArea[k] ? 1 : 0;
            brightened += lastContrast[k] > firstContrast[k] + 10 ? 1 : 0;
        }
        assertThat(grew).isEqualTo(episodes.size() - 1);
        assertThat(brightened).isGreaterThanOrEqualTo(episodes.size() - 2);
    }

    @Test
    void mistHidesTheSpotButNotTheTruth() {
        // Same seed, same episodes; one furnace dry, one in the foggiest plant.
        SimulatorConfig dry = SimulatorConfig.builder()
                .seed(21).furnaces(1).duration(Duration.ofHours(2)).fps(1).mistSeverity(0)
                .episodesPerHour(20).episodeLength(Duration.ofSeconds(30), Duration.ofSeconds(90))
                .noTransportFaults().build();
        SimulatorConfig foggy = dry.toBuilder().mistSeverity(1).build();
        FurnaceSimulation a = Simulation.of(dry).furnace(0);
        FurnaceSimulation b = Simulation.of(foggy).furnace(0);
        assertThat(b.episodes()).isEqualTo(a.episodes());

        FrameStream sa = a.frames();
        FrameStream sb = b.frames();
        double dryContrast = 0;
        double heavyContrast = 0;
        double lightContrast = 0;
        int heavy = 0;
        int light = 0;
        while (sa.hasNext()) {
            SimulatedFrame fa = sa.next();
            SimulatedFrame fb = sb.next();
            assertThat(fb.mask()).as("truth is the physical spot, visible or not").isEqualTo(fa.mask());
            assertThat(fa.mistLevel()).isZero();
            if (!fa.anomalous() || FrameMeasures.maskPixels(fa.mask()) < 4) {
                continue;
            }
            if (fb.mistLevel() >= 0.7) {
                heavy++;
                dryContrast += FrameMeasures.spotContrast(fa);
                heavyContrast += FrameMeasures.spotContrast(fb);
            } else if (fb.mistLevel() < 0.4) {
                light++;
                lightContrast += FrameMeasures.spotContrast(fb);
            }
        }
        dryContrast /= heavy;
        heavyContrast /= heavy;
        lightContrast /= light;
        System.out.printf("spot contrast (luminance): dry %.1f, same frames under heavy mist %.1f; "
                + "light mist %.1f (%d heavy-mist frames, %d light)%n", dryContrast, heavyContrast, lightContrast,
                heavy, light);
        assertThat(heavy).isGreaterThan(300);
        assertThat(light).isGreaterThan(300);
        assertThat(dryContrast).isGreaterThan(30);
        assertThat(heavyContrast).isLessThan(0.4 * dryContrast);
        assertThat(lightContrast).isGreaterThan(2 * heavyContrast);
    }
}
