package org.fmfstream.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.fmfstream.jobs.bench.PipelineReport.LiveRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineReportTest {

    @Test
    void aRunKeepsUpWhenItsP99IsWithinTheLimitAndItScoredMostOfItsInput() {
        assertThat(new LiveRun(16, 50, 800, 700, 2_000).keptUp()).isTrue();
        assertThat(new LiveRun(16, 50, 800, 700, 2_001).keptUp()).isFalse();
        // Fast answers for the windows that did come out, but a fifth of the input never scored.
        assertThat(new LiveRun(16, 50, 639, 700, 900).keptUp()).isFalse();
        assertThat(new LiveRun(16, 50, 640, 700, 900).keptUp()).isTrue();
        assertThat(new LiveRun(16, 50, 800, 700, 900).scoredPerSecond()).isEqualTo(16.0);
    }

    @Test
    void capacityIsTheLargestCountBelowTheFirstFailure() {
        LiveRun one = new LiveRun(1, 50, 50, 800, 900);
        LiveRun sixteen = new LiveRun(16, 50, 800, 800, 1_200);
        LiveRun thirtyTwo = new LiveRun(32, 50, 1_600, 1_500, 3_500);
        LiveRun fortyEight = new LiveRun(48, 50, 2_400, 900, 1_900);
        assertThat(new PipelineReport(List.of(thirtyTwo, one, sixteen)).largestKeptUp()).isEqualTo(OptionalInt.of(16));
        // 48 passing after 32 failed is not capacity.
        assertThat(new PipelineReport(List.of(one, sixteen, thirtyTwo, fortyEight)).largestKeptUp())
                .isEqualTo(OptionalInt.of(16));
        assertThat(new PipelineReport(List.of(one, sixteen, fortyEight)).largestKeptUp()).isEqualTo(OptionalInt.of(48));
        assertThat(new PipelineReport(List.of(thirtyTwo)).largestKeptUp()).isEmpty();
    }

    @Test
    void thePlotIsWritten(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("pipeline.png");
        new PipelineReport(List.of(new LiveRun(1, 50, 50, 800, 900), new LiveRun(16, 50, 800, 800, 1_200)))
                .writePlot(png, "test", 111.3);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(960);
        assertThat(image.getHeight()).isEqualTo(720);
    }
}
