package org.fmfstream.jobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fmfstream.jobs.cli.FmfCli;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkWriter;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.train.TrainingState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
    @TempDir
    static Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** 12 frames, 2 a second; frames 6.. have one abnormal pixel; train = all, test = 4 of them. */
    @BeforeAll
    static void writeData() throws Exception {
        long t0 = 1_700_000_000_000L;
        try (BenchmarkWriter w = BenchmarkWriter.create(data, "T", 64, 64)) {
            for (int f = 0; f < 12; f++) {
                byte[] mask = new byte[64 * 64];
                mask[100] = (byte) (f >= 6 ? 1 : 0);
                byte[] rgb = new byte[64 * 64 * 3];
                java.util.Arrays.fill(rgb, (byte) (f * 10));
                w.addFrame(t0 + f * 500L, rgb, mask);
            }
            for (int k = 0; k < 14; k++) {
                w.addCurrent(t0 + k * 500L, 9000f + k, 10000f, 11000f);
            }
        }
        BenchmarkWriter.writeSplit(data, BenchmarkLayout.Split.TRAIN,
                Map.of("T", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
        BenchmarkWriter.writeSplit(data, BenchmarkLayout.Split.TEST, Map.of("T", new int[] {2, 5, 8, 11}));
    }

    private int run(String... args) {
        CommandLine cli = FmfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void isRegisteredAsFmfTrain() {
        assertThat(FmfCli.commandLine().getSubcommands()).containsKey("train");
    }

    @Test
    void trainsResumesAndPrintsTheFinalChecksum(@TempDir Path runDir) throws Exception {
        int code = run("train", "--data", data.toString(), "--out", runDir.toString(), "--epochs", "1",
                "--batch", "2", "--max-samples", "2", "--max-validation-samples", "2", "--seed", "3",
                "--modality", "video", "--threads", "1");
        assertThat(code).as(err.toString()).isZero();
        String sha = FmFormerModel.sha256(runDir.resolve("final").resolve(FmFormerModel.PARAMS_FILE));
        assertThat(out.toString()).contains("sha256 " + sha);
        assertThat(err.toString()).contains("samples/s").contains("VIDEO_ONLY").contains("dense head on");
        assertThat(TrainingState.read(runDir).config().model().name()).isEqualTo("fmformer-xs");

        code = run("train", "--data", data.toString(), "--out", runDir.toString(), "--resume", "--epochs", "2");
        assertThat(code).as(err.toString()).isZero();
        TrainingState state = TrainingState.read(runDir);
        assertThat(state.epochsDone()).isEqualTo(2);
        assertThat(state.steps()).isEqualTo(2);
        assertThat(runDir.resolve("epoch-2")).isDirectory();
        assertThat(err.toString()).contains("resumed from epoch-1");
    }

    @Test
    void aSimulatedRunTrainsOnClipsOfItsSamplingRateAndResumesWithIt(@TempDir Path runDir) throws Exception {
        int code = run("train", "--simulate", "--out", runDir.toString(), "--epochs", "1", "--batch", "2",
                "--max-samples", "2", "--furnaces-per-chunk", "1", "--windows-per-furnace", "2",
                "--validation-furnaces", "1", "--sampling-rate", "3", "--seed", "3", "--modality", "video",
                "--threads", "1");
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("clips of every 3. frame");
        assertThat(FmFormerModel.configIn(runDir.resolve("final")).samplingRate()).isEqualTo(3);

        // The flag is not repeated: the run's own stride renders the resumed epochs' clips.
        code = run("train", "--simulate", "--out", runDir.toString(), "--resume", "--epochs", "2",
                "--furnaces-per-chunk", "1", "--windows-per-furnace", "2", "--validation-furnaces", "1");
        assertThat(code).as(err.toString()).isZero();
        assertThat(TrainingState.read(runDir).epochsDone()).isEqualTo(2);
        assertThat(TrainingState.read(runDir).config().samplingRate()).isEqualTo(3);
    }

    @Test
    void unknownPresetIsAUsageError(@TempDir Path runDir) {
        int code = run("train", "--data", data.toString(), "--out", runDir.toString(), "--preset", "fmformer-xl");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown FmFormer preset 'fmformer-xl'");
        assertThat(runDir.resolve(TrainingState.FILE)).doesNotExist();
    }

    @Test
    void missingSplitAndMissingRunAreReported(@TempDir Path tmp) throws Exception {
        Path noTrain = tmp.resolve("data");
        Files.createDirectories(noTrain.resolve("videos"));
        int code = run("train", "--data", noTrain.toString(), "--out", tmp.resolve("run").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("fmf train: ").contains("train.json is missing");

        code = run("train", "--data", data.toString(), "--out", tmp.resolve("none").toString(), "--resume");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("holds no training run to resume");

        code = run("train", "--data", data.toString(), "--out", tmp.resolve("x").toString(), "--modality",
                "current", "--dense-head");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--dense-head needs the video stream");
    }
}
