package org.fmfstream.jobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fmfstream.jobs.cli.FmfCli;
import org.fmfstream.jobs.job.FurnaceAnomalyJob;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.model.reference.ReferenceImport;
import org.fmfstream.model.reference.ReferenceNetwork;
import org.fmfstream.model.serve.DecisionRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./fmf import-weights} on state_dicts that PyTorch writes for the reference network (the
 * script of the importer's parity test), and the job taking the imported model's conventions: the
 * aligner cuts clips at the model's sampling rate, the decision is the model's rule.
 */
class ImportWeightsCommandTest {

    @TempDir
    static Path dir;
    static ReferenceNetwork checkpoints;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void writeReferenceCheckpoints() throws Exception {
        checkpoints = ReferenceNetwork.writeInto(dir);
    }

    private int run(String... args) {
        CommandLine cli = FmfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aSegmentationCheckpointBecomesAModelTheJobRunsWithItsConventions() throws Exception {
        Path model = dir.resolve("seg-model");
        assertThat(run("import-weights", checkpoints.file("seg.pth").toString(), "--out", model.toString()))
                .as(err.toString()).isZero();
        System.out.println(out);
        assertThat(out.toString()).contains("segmentation variant, mask only, 253 tensors, 2,420,488 values");
        assertThat(model.resolve(ReferenceImport.PROVENANCE_FILE)).exists();

        JobConfig config = JobConfig.of(Map.of("model.path", model.toString()));
        assertThat(FurnaceAnomalyJob.alignerConfig(config).samplingRate()).isEqualTo(18);
        assertThat(FurnaceAnomalyJob.decisionRule(config)).isEqualTo(new DecisionRule(0.5, 1));
    }

    @Test
    void theSamplingRateCanBeGiven() {
        Path model = dir.resolve("cls-model-s1");
        assertThat(run("import-weights", checkpoints.file("cls.pth").toString(), "--out", model.toString(),
                "--sampling-rate", "1")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("classification variant, class only, 223 tensors, 1,923,466 values");
        JobConfig config = JobConfig.of(Map.of("model.path", model.toString()));
        assertThat(FurnaceAnomalyJob.alignerConfig(config).samplingRate()).isEqualTo(1);
        assertThat(FurnaceAnomalyJob.decisionRule(config)).isEqualTo(DecisionRule.REFERENCE);
    }

    @Test
    void anotherNetworkIsAClearErrorAndWritesNothing() {
        Path model = dir.resolve("other-model");
        assertThat(run("import-weights", checkpoints.file("other.pth").toString(), "--out", model.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("import-weights: ").contains("not a state_dict of the reference FmFormer")
                .doesNotContain("Exception");
        assertThat(model).doesNotExist();
    }

    @Test
    void anExistingOutputDirectoryIsAUsageError() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("exists"));
        assertThat(run("import-weights", checkpoints.file("cls.pth").toString(), "--out", existing.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("already exists");
    }
}
