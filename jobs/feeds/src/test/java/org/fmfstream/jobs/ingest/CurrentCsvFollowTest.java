package org.fmfstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.fmfstream.jobs.importer.CollectingSink;
import org.fmfstream.schemas.CurrentSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Follows a file while the test appends to, truncates and rotates it; bounded in time. */
class CurrentCsvFollowTest {

    @Test
    @Timeout(60)
    void followsAppendsPartialLinesTruncationAndRotation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plc.csv");
        Files.writeString(file, "time,A,B,C\n2023-05-10 21:33:27,1,1,1\n2023-05-10 21:33:27.5,2,2,2\n");
        CollectingSink sink = new CollectingSink();
        List<String> warnings = new CopyOnWriteArrayList<>();
        List<String> notices = new CopyOnWriteArrayList<>();
        CurrentCsvIngest ingest = new CurrentCsvIngest("F01", new PlcTimeParser(ZoneId.of("UTC")), 1, 2.0, sink,
                warnings::add, () -> { });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<CurrentCsvIngest.Summary> run = pool.submit(() -> {
                try (FollowedFile source = FollowedFile.open(file, 20, notices::add)) {
                    return ingest.run(source);
                }
            });
            await(() -> sink.currents.size() == 2, "the two initial readings");

            // A line written in two pieces is read once, when its newline arrives.
            append(file, "2023-05-10 21:33:28,3,");
            Thread.sleep(200);
            assertThat(sink.currents).hasSize(2);
            append(file, "3,3\nnonsense\n");
            await(() -> sink.currents.size() == 3, "the completed line");
            await(() -> warnings.size() == 1, "the malformed line reported");
            assertThat(warnings.get(0)).isEqualTo("line 5: expected 4 fields time,A,B,C but found 1; skipped");

            // Truncated and rewritten shorter: read again from the start.
            Files.writeString(file, "2023-05-10 21:33:29,4,4,4\n", StandardOpenOption.TRUNCATE_EXISTING);
            await(() -> sink.currents.size() == 4, "the reading after truncation");
            assertThat(notices).anyMatch(n -> n.contains("was truncated") && n.contains("reading it again from the start"));

            // Rotated: renamed away, a new file (with a header) in its place.
            Files.move(file, dir.resolve("plc.csv.1"));
            Files.writeString(file, "time,A,B,C\n2023-05-10 21:33:30,5,5,5\n");
            await(() -> sink.currents.size() == 5, "the reading of the new file");
            assertThat(notices).anyMatch(n -> n.contains("was replaced (rotated); following the new file"));

            ingest.stop();
            CurrentCsvIngest.Summary summary = run.get(10, TimeUnit.SECONDS);
            assertThat(summary).isEqualTo(new CurrentCsvIngest.Summary(5, 5, 1));
            assertThat(sink.currents.stream().map(c -> c.getPhaseA().get(0)).toList())
                    .containsExactly(1f, 2f, 3f, 4f, 5f);
            assertThat(sink.currents.stream().map(CurrentSample::getEventTimeMicros).toList()).isSorted();
            assertThat(sink.flushes).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(30)
    void aPartialBlockIsPublishedWhenTheFileGoesQuiet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plc.csv");
        Files.writeString(file, "1683754407000,1,1,1\n1683754407500,2,2,2\n");
        CollectingSink sink = new CollectingSink();
        // Blocks of 3 at 20 Hz: a block of 2 is given up waiting for after (3+1)/20 s = 0.2 s.
        CurrentCsvIngest ingest = new CurrentCsvIngest("F01", new PlcTimeParser(ZoneId.of("UTC")), 3, 20.0, sink,
                w -> { }, () -> { });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<CurrentCsvIngest.Summary> run = pool.submit(() -> {
                try (FollowedFile source = FollowedFile.open(file, 20, n -> { })) {
                    return ingest.run(source);
                }
            });
            // 1 and 2 are 0.5 s apart, more than a 20 Hz slot: two blocks, the second published when quiet.
            await(() -> sink.currents.size() == 2, "both blocks");
            ingest.stop();
            assertThat(run.get(10, TimeUnit.SECONDS).samples()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
