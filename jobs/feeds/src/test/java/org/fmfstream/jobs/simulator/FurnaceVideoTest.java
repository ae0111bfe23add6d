package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FurnaceVideoTest {

    @Test
    void anomalousFrameShareMatchesEpisodeRateTimesMeanLength() {
        // 20 episodes/h of 30-90 s: a third of the time. 3 furnaces x 10 h at one frame every 4 s.
        SimulatorConfig config = SimulatorConfig.builder()
                .seed(5).furnaces(3).duration(Duration.ofHours(10)).fps(0.25)
                .episodesPerHour(20).episodeLength(Duration.ofSeconds(30), Duration.ofSeconds(90))
                .noTransportFaults().build();
        Simulation sim = Simulation.of(config);
        long frames = 0;
        long anomalous = 0;
        int episodes = 0;
        int glareRows = new ShellGeometry(64, 64).glareRows();
        long labelMismatches = 0;
        long maskedInGlareBand = 0;
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
                boolean masked = FrameMeasures.maskPixels(frame.mask()) > 0;
                Episode truth = f.episodeAt(frame.trueTimeMicros());
                // Label = mask non-empty = an episode is active, and the mask lies below the glare band.
                if (masked != frame.anomalous() || masked != (truth != null)
                        || (truth != null && frame.episodeIndex() != truth.index())) {
                    labelMismatches++;
                }
                for (int i = 0; i < glareRows * 64; i++) {
                    maskedInGlareBand += frame.mask()[i];
                }
                anomalous += frame.anomalous() ? 1 : 0;
            }
        }
        assertThat(labelMismatches).isZero();
        assertThat(maskedInGlareBand).isZero();
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

    @Test
    void sceneShowsFlamesACurvedShellAndDriftingLight() {
        // 40 minutes, a frame every 5 s, dry and without episodes: only the normal scene.
        SimulatorConfig config = SimulatorConfig.builder()
                .seed(31).furnaces(1).duration(Duration.ofMinutes(40)).fps(0.2).mistSeverity(0)
                .episodesPerHour(0).noTransportFaults().lateFraction(0).build();
        FrameStream stream = Simulation.of(config).furnace(0).frames();
        ShellGeometry shell = new ShellGeometry(64, 64);
        double flame = 0;
        double shellMid = 0;
        double middleColumns = 0;
        double edgeColumns = 0;
        double[] firstHalf = new double[64 * 64];
        double[] secondHalf = new double[64 * 64];
        double[] perFiveMinutes = new double[8];
        int frames = 0;
        while (stream.hasNext()) {
            SimulatedFrame f = stream.next();
            assertThat(f.anomalous()).isFalse();
            double frameShell = 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    double l = FrameMeasures.luminance(f.rgb(), y * 64 + x);
                    (frames < 240 ? firstHalf : secondHalf)[y * 64 + x] += l;
                    if (y < shell.flameRows() / 2) {
                        flame += l;
                    }
                    if (y >= shell.glareRows()) {
                        shellMid += x >= 16 && x < 48 ? l : 0;
                        frameShell += l;
                        middleColumns += x >= 28 && x < 36 ? l : 0;
                        edgeColumns += x < 4 || x >= 60 ? l : 0;
                    }
                }
            }
            perFiveMinutes[frames / 60] += frameShell;
            frames++;
        }
        assertThat(frames).isEqualTo(480);
        int shellRows = 64 - shell.glareRows();
        flame /= frames * 64.0 * (shell.flameRows() / 2);
        shellMid /= frames * 32.0 * shellRows;
        middleColumns /= frames * 8.0 * shellRows;
        edgeColumns /= frames * 8.0 * shellRows;
        double brightest = Arrays.stream(perFiveMinutes).max().orElseThrow();
        double darkest = Arrays.stream(perFiveMinutes).min().orElseThrow();
        double texture = SeriesStatistics.correlation(firstHalf, secondHalf);
        System.out.printf("scene: flame %.0f vs shell %.0f; middle columns %.0f vs edges %.0f; ambient swing %.1f%%; "
                + "texture stability %.3f%n", flame, shellMid, middleColumns, edgeColumns,
                100 * (brightest / darkest - 1), texture);
        assertThat(flame).as("flames at the top").isGreaterThan(1.5 * shellMid);
        assertThat(middleColumns).as("cylinder: brighter in the middle").isGreaterThan(1.3 * edgeColumns);
        assertThat(brightest / darkest).as("ambient light drifts over minutes").isGreaterThan(1.05);
        assertThat(texture).as("the shell texture is fixed").isGreaterThan(0.95);
    }

}
