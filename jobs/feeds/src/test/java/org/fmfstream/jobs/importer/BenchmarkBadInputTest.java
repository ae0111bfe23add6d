package org.fmfstream.jobs.importer;

import org.fmfstream.model.dataset.BenchmarkWriter;
import org.fmfstream.model.dataset.BenchmarkReader;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkFormatException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmfstream.schemas.VideoFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Impossible input is refused with a message naming the file and the problem, never a stack trace. */
class BenchmarkBadInputTest {

    /** Runs the command into a collecting sink; returns exit code and stderr. */
    private record Run(int exit, String err, CollectingSink sink) {}

    private static Run importBenchmark(String... args) {
        CollectingSink sink = new CollectingSink();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ImportBenchmarkCommand((k, v, c) -> sink));
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cli.execute(args);
        String text = err.toString();
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        return new Run(exit, text, sink);
    }

    private static void writeMat(Path file, Map<String, Object> datasets) throws Exception {
        Files.createDirectories(file.getParent());
        try (WritableHdfFile out = HdfFile.write(file)) {
            datasets.forEach(out::putDataset);
        }
    }

    private static void csvs(Path dir, String name, int frames) throws Exception {
        Files.createDirectories(dir.resolve("timestamps"));
        Files.createDirectories(dir.resolve("currents"));
        StringBuilder ts = new StringBuilder("time\n");
        for (int i = 0; i < frames; i++) {
            ts.append("2023-05-10 21:33:27\n");
        }
        Files.writeString(dir.resolve("timestamps/" + name + ".csv"), ts);
        Files.writeString(dir.resolve("currents/" + name + ".csv"),
                "time,A,B,C\n2023-05-10 21:33:27,1,2,3\n2023-05-10 21:33:27,4,5,6\n");
    }

    @Test
    void aDirectoryWithoutVideosIsNotALayout(@TempDir Path dir) {
        Run r = importBenchmark(dir.toString());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("is not a benchmark layout directory: it has no videos/ folder");

        Run missing = importBenchmark(dir.resolve("nope").toString());
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.err).contains("nope is not a directory");
    }

    @Test
    void emptyLayoutAndUnknownNamesAreRefused(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("videos"));
        assertThat(importBenchmark(dir.toString()).err).contains("has no recordings (no videos/*.mat files)");

        BenchmarkFixtures.recording(dir, "batch1", 1, 1);
        Run r = importBenchmark(dir.toString(), "--names", "batch9");
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("no recording 'batch9'").contains("[batch1]");

        Run mapped = importBenchmark(dir.toString(), "--furnace-id", "btach1=F01");
        assertThat(mapped.exit).isEqualTo(1);
        assertThat(mapped.err).contains("--furnace-id maps 'btach1', which is not a recording here");
        assertThat(mapped.sink.all).isEmpty();
    }

    @Test
    void datasetShapeMismatchesAreRefused(@TempDir Path dir) throws Exception {
        Path mat = dir.resolve("videos/bad.mat");
        csvs(dir, "bad", 2);

        writeMat(mat, Map.of("data", new byte[2][3][4][5], "label", new byte[3][4][5]));
        assertThat(importBenchmark(dir.toString()).err)
                .contains("bad.mat: dataset 'label' has shape [3, 4, 5] but 'data' has [2, 3, 4, 5]")
                .contains("the label must be [2, 4, 5]");

        writeMat(mat, Map.of("data", new byte[2][3][4][5], "label", new byte[2][5][4]));
        assertThat(importBenchmark(dir.toString()).err).contains("dataset 'label' has shape [2, 5, 4]");

        writeMat(mat, Map.of("data", new byte[2][4][4][5], "label", new byte[2][4][5]));
        assertThat(importBenchmark(dir.toString()).err)
                .contains("dataset 'data' has shape [2, 4, 4, 5]; expected [T, 3, W, H]");

        writeMat(mat, Map.of("data", new double[2][3][4][5], "label", new byte[2][4][5]));
        assertThat(importBenchmark(dir.toString()).err)
                .contains("dataset 'data' holds double values of 8 byte(s); expected 8-bit integers (uint8)");

        writeMat(mat, Map.of("data", new byte[2][3][4][5]));
        assertThat(importBenchmark(dir.toString()).err).contains("bad.mat has no dataset 'label' (found [data])");

        Files.writeString(mat, "this is not HDF5");
        Run r = importBenchmark(dir.toString());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("bad.mat is not an HDF5 (MATLAB v7.3) file");
    }

    @Test
    void timestampRowsMustMatchTheFramesAndTheCsvsMustExist(@TempDir Path dir) throws Exception {
        BenchmarkFixtures.recording(dir, "batch1", 2, 2);
        Path ts = dir.resolve("timestamps/batch1.csv");
        List<String> lines = Files.readAllLines(ts);
        Files.write(ts, lines.subList(0, lines.size() - 1));
        Run r = importBenchmark(dir.toString());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("batch1.csv has 3 timestamp rows but").contains("batch1.mat has 4 frames");

        Files.delete(ts);
        assertThat(importBenchmark(dir.toString()).err).contains("timestamps/batch1.csv is missing");

        BenchmarkFixtures.recording(dir, "batch1", 2, 2);
        Files.delete(dir.resolve("currents/batch1.csv"));
        assertThat(importBenchmark(dir.toString()).err).contains("currents/batch1.csv is missing");
    }

    @Test
    void malformedCsvLinesAreReportedWithTheirLineAndSkipped(@TempDir Path dir) throws Exception {
        BenchmarkFixtures.recording(dir, "batch1", 2, 2);
        Files.writeString(dir.resolve("currents/batch1.csv"), String.join("\n",
                "time,A,B,C",
                "2023-05-10 21:33:27,1,2,3",
                "2023-05-10 21:33:27,oops,2,3",
                "2023-05-10 21:33:27,NaN,2,3",
                "2023-05-10 21:33:28,1,2",
                "",
                "yesterday,1,2,3",
                "2023-05-10 21:33:28,4,5,inf",
                "2023-05-10 21:33:28,7,8,9") + "\n", StandardCharsets.UTF_8);
        Path ts = dir.resolve("timestamps/batch1.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(ts));
        lines.set(3, "21:33:28?");
        Files.write(ts, lines);

        Run r = importBenchmark(dir.toString());
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.err)
                .contains("batch1.csv line 3: 'oops' is not a current in amperes; skipped")
                .contains("batch1.csv line 4: current 'NaN' is not a finite number; skipped")
                .contains("batch1.csv line 5: expected time,A,B,C but found 3 field(s); skipped")
                .contains("batch1.csv line 7: 'yesterday' is not a timestamp of the form yyyy-MM-dd HH:mm:ss; skipped")
                .contains("batch1.csv line 8: current 'inf' is not a finite number; skipped")
                .contains("timestamps/batch1.csv line 4: '21:33:28?' is not a timestamp")
                .contains("published 4 frames and 2 current readings");
        assertThat(r.sink.currents).hasSize(2);
        // Frame 2 (line 4) took the second of frame 1, so it stays in order.
        assertThat(r.sink.frames.stream().map(VideoFrame::getEventTimeMicros).toList()).isSorted();
    }

    @Test
    void malformedSplitFilesAreRefusedWithThePosition(@TempDir Path dir) throws Exception {
        BenchmarkFixtures.recording(dir, "batch1", 1, 1);
        BenchmarkReader reader = BenchmarkReader.open(dir, ZoneOffset.UTC, w -> { });
        assertThatThrownBy(() -> reader.split(BenchmarkLayout.Split.TEST))
                .isInstanceOf(BenchmarkFormatException.class).hasMessageEndingWith("test.json is missing");
        Files.writeString(dir.resolve("train.json"), "{\"batch1.mat\": [1, 2, \"x\"]}");
        assertThatThrownBy(() -> reader.split(BenchmarkLayout.Split.TRAIN))
                .isInstanceOf(BenchmarkFormatException.class)
                .hasMessageContaining("train.json is not a split file")
                .hasMessageContaining("\"batch1.mat\" holds something that is not a frame index");
        Files.writeString(dir.resolve("train.json"), "[1, 2]");
        assertThatThrownBy(() -> reader.split(BenchmarkLayout.Split.TRAIN)).hasMessageContaining("expected '{'");
    }

    @Test
    void writerRejectsWrongSizesAndUnusableNames(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> BenchmarkWriter.create(dir, "a.b", 2, 2))
                .hasMessageContaining("must not contain '.'");
        assertThatThrownBy(() -> BenchmarkWriter.create(dir, "x", 0, 2)).hasMessageContaining("not positive");
        BenchmarkWriter writer = BenchmarkWriter.create(dir, "x", 2, 2);
        assertThatThrownBy(() -> writer.addFrame(0, new byte[11], null))
                .hasMessage("frame has 11 bytes; a 2x2 RGB frame needs 12");
        assertThatThrownBy(() -> writer.addFrame(0, new byte[12], new byte[5]))
                .hasMessage("mask has 5 bytes; a 2x2 frame needs 4");
        assertThatThrownBy(writer::close).hasMessageContaining("no frames were added to recording 'x'");
        assertThat(Files.exists(dir.resolve("videos/x.mat"))).isFalse();
        Map<String, int[]> split = new LinkedHashMap<>();
        split.put("x.mat", new int[] {1});
        assertThatThrownBy(() -> BenchmarkWriter.writeSplit(dir, BenchmarkLayout.Split.TRAIN, split))
                .hasMessageContaining("must not contain '.'");
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) throws Exception {
        BenchmarkFixtures.recording(dir, "batch1", 1, 1);
        assertThat(importBenchmark(dir.toString(), "--realtime", "--fast").err).contains("--realtime and --fast exclude each other");
        assertThat(importBenchmark(dir.toString(), "--speed", "3").err).contains("--speed needs --realtime");
        Run zone = importBenchmark(dir.toString(), "--zone", "Mars/Olympus");
        assertThat(zone.exit).isEqualTo(1);
        assertThat(zone.err).contains("--zone 'Mars/Olympus' is not a time zone");
        Run speed = importBenchmark(dir.toString(), "--realtime", "--speed", "-2");
        assertThat(speed.err).contains("--speed must be a positive number");
        Run config = importBenchmark(dir.toString(), "--kafka-config", dir.resolve("none.properties").toString());
        assertThat(config.err).contains("--kafka-config").contains("is not a readable file");
    }
}
