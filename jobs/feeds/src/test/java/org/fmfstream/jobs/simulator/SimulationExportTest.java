package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fmfstream.model.dataset.BenchmarkFrame;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkReader;
import org.fmfstream.model.dataset.BenchmarkRecording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The simulator's export is read back by the benchmark reader with the same pixels, masks and currents. */
class SimulationExportTest {

    private static SimulatorConfig config() {
        return SimulatorConfig.builder().furnaces(2).seed(11).duration(Duration.ofSeconds(160)).fps(0.25)
                .episodesPerHour(60).episodeLength(Duration.ofSeconds(30), Duration.ofSeconds(40))
                .lateFraction(0)
                .noTransportFaults().build();
    }

    @Test
    void exportReadsBackFrameForFrame(@TempDir Path dir) throws Exception {
        Simulation simulation = Simulation.of(config());
        List<String> progress = new ArrayList<>();
        Map<String, int[]> listed = new SimulationExport(simulation, dir, BenchmarkLayout.Split.TEST, 3)
                .write(progress::add);

        assertThat(listed.keySet()).containsExactly("s11-F01", "s11-F02");
        assertThat(listed.get("s11-F01")).containsExactly(0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39);
        assertThat(progress).hasSize(2);

        BenchmarkReader reader = BenchmarkReader.open(dir);
        assertThat(reader.names()).containsExactlyInAnyOrder("s11-F01", "s11-F02");
        assertThat(reader.hasSplit(BenchmarkLayout.Split.TEST)).isTrue();
        assertThat(reader.hasSplit(BenchmarkLayout.Split.TRAIN)).isFalse();
        assertThat(reader.split(BenchmarkLayout.Split.TEST).get("s11-F02")).isEqualTo(listed.get("s11-F02"));

        FurnaceSimulation furnace = simulation.furnace(0);
        int anomalous = 0;
        try (BenchmarkRecording recording = reader.recording("s11-F01")) {
            assertThat(recording.frameCount()).isEqualTo(40);
            assertThat(recording.currents()).hasSize(320);
            FrameStream expected = furnace.frames();
            List<BenchmarkFrame> frames = recording.readFrames(0, 40);
            for (BenchmarkFrame actual : frames) {
                SimulatedFrame want = expected.next();
                assertThat(actual.rgb()).as("frame %d", actual.index()).isEqualTo(want.rgb());
                assertThat(actual.mask()).as("mask %d", actual.index()).isEqualTo(want.mask());
                anomalous += want.anomalous() ? 1 : 0;
            }
            CurrentStream currents = furnace.currents();
            SimulatedReading first = currents.next();
            assertThat(recording.currents().get(0).phaseA()).isEqualTo(first.phaseA());
        }
        assertThat(anomalous).as("the chosen episode rate makes some frames anomalous").isPositive();

        List<String> sidecar = Files.readAllLines(dir.resolve(SimulationExport.SIDECAR_DIR).resolve("s11-F01.csv"));
        assertThat(sidecar).hasSize(41);
        assertThat(sidecar.get(0)).isEqualTo("frame,mist,episode");
        assertThat(sidecar.stream().skip(1).filter(l -> !l.endsWith(",-1")).count()).isEqualTo(anomalous);
    }

    @Test
    void simulateExportOptionWritesTheLayoutWithoutKafka(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateCommand((kafka, v, c) -> {
            throw new AssertionError("export must not open Kafka");
        }));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("--export", dir.toString(), "--duration", "4s", "--furnaces", "1", "--fps", "5",
                "--seed", "3");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("s3-F01: 20 frames, 20 listed in train.json");
        assertThat(BenchmarkReader.open(dir).split(BenchmarkLayout.Split.TRAIN)).containsKey("s3-F01");
    }

    @Test
    void exportRejectsRealtimeAndBadStride(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateCommand());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("--export", dir.toString(), "--realtime", "--duration", "2s")).isEqualTo(2);
        assertThat(err.toString()).contains("drop --realtime");
        cli = new CommandLine(new SimulateCommand());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("--export", dir.toString(), "--export-stride", "0", "--duration", "2s")).isEqualTo(2);
        assertThat(err.toString()).contains("stride must be >= 1");
    }
}
