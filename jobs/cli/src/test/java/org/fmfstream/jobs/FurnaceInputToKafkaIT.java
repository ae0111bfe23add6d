package org.fmfstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fmfstream.jobs.cli.FmfCli;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The input tools against a real broker, through the CLI as a user runs them: the simulator
 * publishes, and a simulator export goes back in through the benchmark importer. Counts are exact.
 */
class FurnaceInputToKafkaIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void simulateThenImportAnExportOfTheSameFurnaces(@TempDir Path dir) {
        String frames = kafka.createTopic("frames", 2, Map.of("max.message.bytes", "9437184"));
        String currents = kafka.createTopic("currents", 2, Map.of());

        assertThat(fmf("simulate", "--fast", "--furnaces", "2", "--duration", "20s", "--fps", "5", "--seed", "9",
                "--drop-fraction", "0", "--out-of-order-fraction", "0", "--late-fraction", "0",
                "--bootstrap-servers", kafka.bootstrapServers(), "--video-topic", frames,
                "--current-topic", currents)).isZero();
        List<VideoFrame> published = kafka.consumeDecoded(frames, RecordCodec.videoFrames(), 2 * 100, TIMEOUT);
        List<CurrentSample> samples = kafka.consumeDecoded(currents, RecordCodec.currentSamples(), 2 * 40, TIMEOUT);
        assertThat(published).allSatisfy(f -> assertThat(f.getGroundTruthMask()).isNotNull());
        assertThat(samples).extracting(CurrentSample::getFurnaceId).containsOnly("F01", "F02");

        assertThat(fmf("simulate", "--export", dir.toString(), "--furnaces", "2", "--duration", "20s", "--fps", "5",
                "--seed", "9")).isZero();
        String importedFrames = kafka.createTopic("imported-frames", 2, Map.of("max.message.bytes", "9437184"));
        String importedCurrents = kafka.createTopic("imported-currents", 2, Map.of());
        assertThat(fmf("import-benchmark", dir.toString(), "--fast", "--bootstrap-servers", kafka.bootstrapServers(),
                "--video-topic", importedFrames, "--current-topic", importedCurrents)).isZero();
        List<VideoFrame> imported = kafka.consumeDecoded(importedFrames, RecordCodec.videoFrames(), 2 * 100, TIMEOUT);
        kafka.consumeDecoded(importedCurrents, RecordCodec.currentSamples(), 2 * 40, TIMEOUT);

        // The same furnaces, frame for frame: pixels and masks survive the HDF5 round trip.
        for (String furnace : List.of("F01", "F02")) {
            List<VideoFrame> live = published.stream().filter(f -> f.getFurnaceId().equals(furnace))
                    .sorted(java.util.Comparator.comparingLong(VideoFrame::getFrameSeq)).toList();
            List<VideoFrame> replayed = imported.stream().filter(f -> f.getFurnaceId().equals("s9-" + furnace))
                    .sorted(java.util.Comparator.comparingLong(VideoFrame::getFrameSeq)).toList();
            assertThat(replayed).hasSameSizeAs(live);
            for (int i = 0; i < live.size(); i++) {
                assertThat(replayed.get(i).getPayload()).isEqualTo(live.get(i).getPayload());
                assertThat(replayed.get(i).getGroundTruthMask()).isEqualTo(live.get(i).getGroundTruthMask());
            }
        }
    }

    private static int fmf(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = FmfCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertThat(err.toString()).as("stderr of fmf %s", args[0]).doesNotContain("Exception");
        return code;
    }
}
