package org.fmfstream.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakReportTest {

    @TempDir
    Path tmp;

    /** An hour of samples: the TaskManager flat at 1200 MiB, the broker growing 10 % per hour, state flat. */
    private static List<SoakSample> hour() {
        List<SoakSample> samples = new ArrayList<>();
        for (int m = 1; m <= 60; m++) {
            Map<String, Double> rss = new LinkedHashMap<>();
            rss.put("taskmanager-1", 1200.0 + (m % 2 == 0 ? 5 : -5));
            rss.put("kafka", 1000.0 * (1 + 0.10 * m / 60.0));
            if (m < 30) {
                rss.put("simulator", 300.0);   // a process that ended half-way
            }
            samples.add(new SoakSample(m, rss, "RUNNING", 6L * m, 0, m < 3 ? 0 : 512 * 1024, 80, 20,
                    960L * m));
        }
        return samples;
    }

    @Test
    void aFlatSeriesIsFlatAndAGrowingOneIsNot() {
        SoakReport report = new SoakReport(hour(), 5, 16);

        SoakReport.Trend tm = report.rssTrend("taskmanager-1");
        assertThat(tm.percentPerHour()).isCloseTo(0, within(1.0));
        assertThat(tm.flat()).isTrue();

        SoakReport.Trend kafka = report.rssTrend("kafka");
        assertThat(kafka.slopePerHour()).isCloseTo(100, within(0.5));   // 1000 MiB * 10 % per hour
        assertThat(kafka.percentPerHour()).isGreaterThan(SoakReport.FLAT_PERCENT_PER_HOUR);
        assertThat(kafka.flat()).isFalse();

        assertThat(report.rssTrend("simulator").samples()).isEqualTo(29 - 4);   // minutes 5..29
        assertThat(report.stateTrend().flat()).isTrue();
        assertThat(report.stateTrend().mean()).isEqualTo(512 * 1024);
        assertThat(report.summary()).anyMatch(l -> l.contains("kafka") && l.contains("NOT flat"))
                .anyMatch(l -> l.contains("taskmanager-1") && l.endsWith(" flat"))
                .anyMatch(l -> l.contains("32.0 KiB per furnace"));
    }

    @Test
    void theWarmUpIsLeftOutOfTheTrends() {
        List<SoakSample> samples = new ArrayList<>(hour());
        // a big first minute (model load) that a trend over every sample would call a shrinking process
        samples.set(0, new SoakSample(1, Map.of("taskmanager-1", 4000.0), "RUNNING", 0, 0, 0, 0, 0, 0));
        assertThat(new SoakReport(samples, 5, 16).rssTrend("taskmanager-1").flat()).isTrue();
        assertThat(new SoakReport(samples, 0, 16).rssTrend("taskmanager-1").flat()).isFalse();
    }

    @Test
    void csvTableAndPlotHoldEverySample() throws Exception {
        SoakReport report = new SoakReport(hour(), 5, 16);
        report.writeCsv(tmp.resolve("soak.csv"));
        List<String> csv = Files.readAllLines(tmp.resolve("soak.csv"));
        assertThat(csv).hasSize(61);
        assertThat(csv.get(0)).startsWith("minute,rss_taskmanager-1_mib,rss_kafka_mib,rss_simulator_mib,job_state");
        assertThat(csv.get(40)).contains(",,RUNNING,");   // the simulator's column is empty once it ended

        String table = report.markdownTable(5);
        // header, separator, minutes 5, 10, ..., 60
        assertThat(table.lines()).hasSize(2 + 12);
        assertThat(table.lines().skip(3).findFirst().orElseThrow()).startsWith("| 10 | 1205 | 1017 | 300 |").endsWith(" | 960 |");

        report.writePlot(tmp.resolve("soak.png"), "test");
        BufferedImage png = ImageIO.read(tmp.resolve("soak.png").toFile());
        assertThat(png.getWidth()).isEqualTo(960);
        assertThat(png.getHeight()).isEqualTo(1080);
    }
}
