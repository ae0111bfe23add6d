package org.fmfstream.jobs.importer;

import org.fmfstream.model.dataset.BenchmarkReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.fmfstream.jobs.importer.BenchmarkFixtures.T0_MICROS;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fmfstream.jobs.console.ProgressBar;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchmarkImporterTest {

    @Test
    void publishesEveryFrameAndReadingInterleavedInEventTimeOrder(@TempDir Path dir) throws Exception {
        BenchmarkFixtures.recording(dir, "batch1", 3, 2);
        BenchmarkFixtures.recording(dir, "batch2", 1, 3);
        CollectingSink sink = new CollectingSink();
        StringWriter progressOut = new StringWriter();
        ProgressBar progress = new ProgressBar("import", "records", 0, new PrintWriter(progressOut), false, System::nanoTime);

        BenchmarkImporter.Summary summary;
        try (BenchmarkImporter importer = BenchmarkImporter.open(
                BenchmarkReader.open(dir, ZoneOffset.UTC, w -> { throw new AssertionError(w); }), List.of())) {
            assertThat(importer.names()).containsExactly("batch1", "batch2");
            assertThat(importer.totalRecords()).isEqualTo(6 + 6 + 3 + 2);
            progress.setTotal(importer.totalRecords());
            summary = importer.publish(sink, FurnaceIdMapping.byName(), "cam7", EventTimePacer.fast(), progress);
            progress.finish();
        }

        assertThat(summary).isEqualTo(new BenchmarkImporter.Summary(2, 9, 8));
        assertThat(sink.frames).hasSize(9);
        assertThat(sink.currents).hasSize(8);
        assertThat(sink.flushes).isEqualTo(2);
        assertThat(progress.done()).isEqualTo(17);
        assertThat(progressOut.toString()).contains("17/17 records 100%");

        // batch1 in time order, a reading before a frame of the same instant:
        // C0 F0 C0.5 F0.5 C1 F1 ...
        List<Object> batch1 = sink.all.subList(0, 12);
        List<String> kinds = new ArrayList<>();
        for (Object o : batch1) {
            kinds.add(o instanceof VideoFrame ? "F" : "C");
        }
        assertThat(String.join("", kinds)).isEqualTo("CFCFCFCFCFCF");
        List<Long> times = sink.eventTimes().subList(0, 12);
        assertThat(times).isSorted();
        assertThat(times.get(0)).isEqualTo(T0_MICROS);
        assertThat(times.get(11)).isEqualTo(T0_MICROS + 2_500_000);

        for (String furnace : List.of("batch1", "batch2")) {
            List<VideoFrame> frames = sink.frames.stream().filter(f -> f.getFurnaceId().equals(furnace)).toList();
            List<CurrentSample> currents = sink.currents.stream().filter(c -> c.getFurnaceId().equals(furnace)).toList();
            assertThat(frames.stream().map(VideoFrame::getEventTimeMicros).toList()).isSorted().doesNotHaveDuplicates();
            assertThat(currents.stream().map(CurrentSample::getEventTimeMicros).toList()).isSorted().doesNotHaveDuplicates();
            for (int i = 0; i < frames.size(); i++) {
                VideoFrame f = frames.get(i);
                assertThat(f.getFrameSeq()).isEqualTo(i);
                assertThat(f.getCameraId()).isEqualTo("cam7");
                assertThat(f.getWidth()).isEqualTo(BenchmarkFixtures.W);
                assertThat(f.getPayload().get(0)).isEqualTo((byte) i);
                assertThat(f.getGroundTruthMask()).isNotNull();
                assertThat(f.getGroundTruthMask().get(i % (BenchmarkFixtures.W * BenchmarkFixtures.H))).isEqualTo((byte) 1);
            }
            for (CurrentSample c : currents) {
                assertThat(c.getPhaseA()).hasSize(1);
                assertThat(c.getSampleRateHz()).isEqualTo(2.0);
            }
        }
        // batch2: three frames in one second spread to s, s+1/3, s+2/3.
        List<VideoFrame> batch2 = sink.frames.stream().filter(f -> f.getFurnaceId().equals("batch2")).toList();
        assertThat(batch2.stream().map(VideoFrame::getEventTimeMicros).toList())
                .containsExactly(T0_MICROS, T0_MICROS + 333_333, T0_MICROS + 666_666);
        assertThat(sink.currents.get(7).getPhaseA()).containsExactly(1f);
    }

    @Test
    void commandSelectsNamesMapsFurnaceIdsAndPacesInRealTime(@TempDir Path dir) throws Exception {
        BenchmarkFixtures.recording(dir, "batch1", 3, 2);
        BenchmarkFixtures.recording(dir, "batch2", 1, 3);
        BenchmarkFixtures.recording(dir, "batch3", 1, 1);
        CollectingSink sink = new CollectingSink();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ImportBenchmarkCommand((kafka, video, current) -> {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:9092");
            assertThat(video).isEqualTo("v");
            assertThat(current).isEqualTo("c");
            return sink;
        }));
        cli.setErr(new PrintWriter(err, true));

        long start = System.nanoTime();
        int exit = cli.execute(dir.toString(), "--names", "batch1,batch3", "--furnace-id", "batch1=F01,F09",
                "--video-topic", "v", "--current-topic", "c", "--realtime", "--speed", "10");
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(exit).as(err.toString()).isZero();
        assertThat(sink.closed).isTrue();
        assertThat(sink.frames).hasSize(7);
        assertThat(sink.currents).hasSize(8);
        assertThat(sink.frames.stream().map(VideoFrame::getFurnaceId).distinct().toList()).containsExactly("F01", "F09");
        // batch1 spans 2.5 s of event time: at 10x that is 0.25 s at least.
        assertThat(seconds).isGreaterThanOrEqualTo(0.24).isLessThan(20);
        assertThat(err.toString()).contains("published 7 frames and 8 current readings of 2 recording(s) [batch1, batch3]");
    }
}
