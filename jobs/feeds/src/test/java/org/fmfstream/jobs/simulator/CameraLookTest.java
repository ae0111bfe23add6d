package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class CameraLookTest {
    private static final int FURNACES = 24;

    private static SimulatorConfig config(double variety) {
        return SimulatorConfig.builder()
                .seed(5)
                .furnaces(FURNACES)
                .duration(Duration.ofSeconds(4))
                .episodesPerHour(900)
                .episodeLength(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .noTransportFaults()
                .lookVariety(variety)
                .build()
                .validate();
    }

    private static double meanLuminance(byte[] rgb) {
        double sum = 0;
        for (int p = 0; p < rgb.length / 3; p++) {
            sum += FrameMeasures.luminance(rgb, p);
        }
        return sum / (rgb.length / 3);
    }

    @Test
    void neutralLookAtVarietyZeroAndNoReflection() {
        ShellGeometry shell = new ShellGeometry(64, 64);
        for (int k = 0; k < 50; k++) {
            SplittableRandom rng = new SplittableRandom(k);
            assertThat(CameraLook.draw(0, shell, rng).isNeutral()).isTrue();
            assertThat(ReflectionDecoy.draw(0, shell, rng)).isNull();
        }
    }

    @Test
    void aLookChangesThePictureButNeitherTheTruthNorTheScheduleAndIsDeterministic() throws IOException {
        Simulation plain = Simulation.of(config(0));
        Simulation varied = Simulation.of(config(1));
        Simulation variedAgain = Simulation.of(config(1));
        double[] plainMeans = new double[FURNACES];
        double[] variedMeans = new double[FURNACES];
        BufferedImage sheet = new BufferedImage(64 * 8, 64 * 6, BufferedImage.TYPE_INT_RGB);
        for (int f = 0; f < FURNACES; f++) {
            FurnaceSimulation a = plain.furnaces().get(f);
            FurnaceSimulation b = varied.furnaces().get(f);
            assertThat(b.episodes()).isEqualTo(a.episodes());
            FrameStream fa = a.frames();
            FrameStream fb = b.frames();
            FrameStream fc = variedAgain.furnaces().get(f).frames();
            SimulatedFrame last = null;
            SimulatedFrame lastPlain = null;
            while (fa.hasNext()) {
                SimulatedFrame x = fa.next();
                SimulatedFrame y = fb.next();
                SimulatedFrame z = fc.next();
                assertThat(y.mask()).isEqualTo(x.mask());
                assertThat(z.rgb()).isEqualTo(y.rgb());
                last = y;
                lastPlain = x;
            }
            plainMeans[f] = meanLuminance(lastPlain.rgb());
            variedMeans[f] = meanLuminance(last.rgb());
            draw(sheet, lastPlain, (f % 4) * 2, f / 4);
            draw(sheet, last, (f % 4) * 2 + 1, f / 4);
        }
        Path out = Path.of("target", "camera-looks.png");
        Files.createDirectories(out.getParent());
        ImageIO.write(sheet, "png", out.toFile());
        // One camera: shells differ a little; a camera per furnace: exposures differ a lot.
        assertThat(spread(variedMeans)).isGreaterThan(2 * spread(plainMeans));
    }

    @Test
    void skippingFramesKeepsTheTruthAndIsDeterministic() {
        FurnaceSimulation furnace = Simulation.of(config(1)).furnaces().get(3);
        FrameStream all = furnace.frames();
        FrameStream sparse = furnace.frames();
        FrameStream sparseAgain = furnace.frames();
        int index = 0;
        while (all.hasNext()) {
            SimulatedFrame full = all.next();
            if (index % 7 == 6) {
                SimulatedFrame s = sparse.next();
                assertThat(sparseAgain.next().rgb()).isEqualTo(s.rgb());
                assertThat(s.frameSeq()).isEqualTo(full.frameSeq());
                assertThat(s.trueTimeMicros()).isEqualTo(full.trueTimeMicros());
                assertThat(s.mask()).isEqualTo(full.mask());
                assertThat(s.mistLevel()).isEqualTo(full.mistLevel());
            } else {
                sparse.skip();
                sparseAgain.skip();
            }
            index++;
        }
        assertThat(sparse.hasNext()).isFalse();
    }

    private static double spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - 1] - sorted[0];
    }

    private static void draw(BufferedImage sheet, SimulatedFrame f, int col, int row) {
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int o = (y * 64 + x) * 3;
                int rgb = (f.rgb()[o] & 0xFF) << 16 | (f.rgb()[o + 1] & 0xFF) << 8 | (f.rgb()[o + 2] & 0xFF);
                sheet.setRGB(col * 64 + x, row * 64 + y, rgb);
            }
        }
    }
}
