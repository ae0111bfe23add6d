package org.fmfstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.fmfstream.jobs.importer.CollectingSink;
import org.fmfstream.schemas.CurrentSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CurrentCsvIngestTest {
    static final long S = PlcTimeParserTest.S;

    private static CurrentCsvIngest.Summary ingest(String text, int block, CollectingSink sink, List<String> warnings)
            throws Exception {
        CurrentCsvIngest ingest = new CurrentCsvIngest("F01", new PlcTimeParser(ZoneId.of("UTC")), block, 2.0, sink,
                warnings::add, () -> { });
        try (LineSource lines = new StreamLineSource(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            return ingest.run(lines);
        }
    }

    @Test
    void publishesGoodLinesAndReportsAndSkipsBadOnes() throws Exception {
        String csv = String.join("\n",
                "time,A,B,C",                               // 1 header
                "2023-05-10 21:33:27,6343.75,8157.79,6149.69", // 2
                "2023-05-10 21:33:27.5,11369.2,13860,12341.4", // 3
                "",                                          // 4 blank
                "2023-05-10 21:33:28,NaN,1,2",               // 5
                "2023-05-10 21:33:28,1,2",                   // 6
                "garbage",                                   // 7
                "2023-05-10 21:33:28,1,inf,2",               // 8
                "2023-05-10 21:33:28,1,-Infinity,2",         // 9
                "2023-05-10 21:33:28,x,2,3",                 // 10
                "not-a-time,1,2,3",                          // 11
                "2023-05-10T21:33:28.5Z,7,8,9",              // 12
                "1683754409000,10,11,12",                    // 13
                "\"2023-05-10 21:33:29.5\",13,14,15");       // 14, quoted, no final newline
        CollectingSink sink = new CollectingSink();
        List<String> warnings = new ArrayList<>();

        CurrentCsvIngest.Summary summary = ingest(csv, 1, sink, warnings);

        assertThat(summary).isEqualTo(new CurrentCsvIngest.Summary(5, 5, 7));
        assertThat(warnings).containsExactly(
                "line 5: current 'NaN' is not a finite number; skipped",
                "line 6: expected 4 fields time,A,B,C but found 3; skipped",
                "line 7: expected 4 fields time,A,B,C but found 1; skipped",
                "line 8: current 'inf' is not a finite number; skipped",
                "line 9: current '-Infinity' is not a finite number; skipped",
                "line 10: 'x' is not a current in amperes; skipped",
                "line 11: 'not-a-time' is not a time (ISO-8601 instant or local date-time, yyyy-MM-dd HH:mm:ss[.SSS] "
                        + "or epoch milliseconds); skipped");
        assertThat(sink.currents.stream().map(CurrentSample::getEventTimeMicros).toList())
                .containsExactly(S, S + 500_000, S + 1_500_000, S + 2_000_000, S + 2_500_000);
        CurrentSample first = sink.currents.get(0);
        assertThat(first.getFurnaceId()).isEqualTo("F01");
        assertThat(first.getSampleRateHz()).isEqualTo(2.0);
        assertThat(first.getPhaseA()).containsExactly(6343.75f);
        assertThat(first.getPhaseB()).containsExactly(8157.79f);
        assertThat(first.getPhaseC()).containsExactly(6149.69f);
        assertThat(sink.currents.get(4).getPhaseC()).containsExactly(15f);
        assertThat(sink.flushes).isEqualTo(1);
    }

    @Test
    void blocksHoldConsecutiveReadingsAndBreakAtGaps() throws Exception {
        StringBuilder csv = new StringBuilder();
        // 5 readings at 2 Hz, then a 3 s gap, then 3 more.
        for (int i = 0; i < 5; i++) {
            csv.append(1683754407000L + i * 500L).append(',').append(i).append(",0,0\n");
        }
        for (int i = 0; i < 3; i++) {
            csv.append(1683754412000L + i * 500L).append(',').append(10 + i).append(",0,0\n");
        }
        CollectingSink sink = new CollectingSink();
        List<String> warnings = new ArrayList<>();

        CurrentCsvIngest.Summary summary = ingest(csv.toString(), 4, sink, warnings);

        assertThat(warnings).isEmpty();
        assertThat(summary).isEqualTo(new CurrentCsvIngest.Summary(8, 3, 0));
        assertThat(sink.currents).hasSize(3);
        assertThat(sink.currents.get(0).getPhaseA()).containsExactly(0f, 1f, 2f, 3f);
        assertThat(sink.currents.get(0).getEventTimeMicros()).isEqualTo(S);
        assertThat(sink.currents.get(1).getPhaseA()).containsExactly(4f);
        assertThat(sink.currents.get(1).getEventTimeMicros()).isEqualTo(S + 2_000_000);
        assertThat(sink.currents.get(2).getPhaseA()).containsExactly(10f, 11f, 12f);
        assertThat(sink.currents.get(2).getEventTimeMicros()).isEqualTo(S + 5_000_000);
    }

    @Test
    void impossibleSettingsAreRefused() {
        CollectingSink sink = new CollectingSink();
        PlcTimeParser utc = new PlcTimeParser(ZoneId.of("UTC"));
        assertThatThrownBy(() -> new CurrentCsvIngest("F", utc, 0, 2, sink, w -> { }, () -> { }))
                .hasMessageContaining("--block must be between 1 and");
        assertThatThrownBy(() -> new CurrentCsvIngest("F", utc, 1, 0, sink, w -> { }, () -> { }))
                .hasMessageContaining("--rate must be a positive number");
        assertThatThrownBy(() -> new CurrentCsvIngest(" ", utc, 1, 2, sink, w -> { }, () -> { }))
                .hasMessageContaining("--furnace-id must not be blank");
    }

    private record Run(int exit, String err, CollectingSink sink) {}

    private static Run command(String stdin, String... args) {
        CollectingSink sink = new CollectingSink();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new IngestCurrentCommand((k, v, c) -> {
            assertThat(c).isEqualTo("cur");
            return sink;
        }, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cli.execute(args);
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        return new Run(exit, err.toString(), sink);
    }

    @Test
    void commandReadsStdinOrAFileAndSummarises(@TempDir Path dir) throws Exception {
        String csv = "time;A;B;C\n2023-05-11 05:33:27;1;2;3\n2023-05-11 05:33:27.5;4;5;6\nbad;line\n";
        Run fromStdin = command(csv, "--furnace-id", "F02", "--zone", "Asia/Shanghai", "--block", "2",
                "--current-topic", "cur");
        assertThat(fromStdin.exit).as(fromStdin.err).isZero();
        assertThat(fromStdin.err).contains("stdin line 4: expected 4 fields time,A,B,C but found 2; skipped")
                .contains("published 2 readings in 1 samples for furnace F02; 1 malformed line(s) skipped");
        assertThat(fromStdin.sink.currents).hasSize(1);
        assertThat(fromStdin.sink.currents.get(0).getEventTimeMicros()).isEqualTo(S);
        assertThat(fromStdin.sink.closed).isTrue();

        Path file = dir.resolve("plc.csv");
        Files.writeString(file, "2023-05-10T21:33:27Z,1,2,3\n");
        Run fromFile = command("", file.toString(), "--furnace-id", "F03", "--current-topic", "cur");
        assertThat(fromFile.exit).isZero();
        assertThat(fromFile.sink.currents).hasSize(1);
        assertThat(fromFile.sink.currents.get(0).getFurnaceId()).isEqualTo("F03");
    }

    @Test
    void commandRefusesImpossibleInputClearly(@TempDir Path dir) {
        Run missing = command("", dir.resolve("none.csv").toString(), "--furnace-id", "F", "--current-topic", "cur");
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.err).contains("none.csv does not exist");

        Run directory = command("", dir.toString(), "--furnace-id", "F", "--current-topic", "cur");
        assertThat(directory.err).contains("is not a regular file");

        Run followStdin = command("", "--follow", "--furnace-id", "F", "--current-topic", "cur");
        assertThat(followStdin.exit).isEqualTo(2);
        assertThat(followStdin.err).contains("--follow needs a FILE; stdin cannot be followed");

        Run noFurnace = command("");
        assertThat(noFurnace.exit).isEqualTo(2);
        assertThat(noFurnace.err).contains("Missing required option: '--furnace-id");

        Run zone = command("", "--furnace-id", "F", "--zone", "Nowhere/Land", "--current-topic", "cur");
        assertThat(zone.err).contains("--zone 'Nowhere/Land' is not a time zone");
    }
}
