package org.fmfstream.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.operators.input.StartingOffsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JobConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        JobConfig c = JobConfig.defaults();
        assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.framesTopic()).isEqualTo("fmf.video.frames");
        assertThat(c.currentsTopic()).isEqualTo("fmf.current.samples");
        assertThat(c.eventsTopic()).isEqualTo("fmf.anomaly.events");
        assertThat(c.masksTopic()).isEqualTo("fmf.anomaly.masks");
        assertThat(c.deadLettersTopic()).isEqualTo("fmf.deadletters");
        assertThat(c.groupId()).isEqualTo("fmf-anomaly-job");
        assertThat(c.startFrom()).isEqualTo(StartingOffsets.COMMITTED);
        assertThat(c.stopAt()).isEqualTo("none");
        assertThat(c.bounded()).isFalse();
        assertThat(c.frameSource().stoppingOffsets()).isNull();
        assertThat(c.parallelism()).isEqualTo(1);
        assertThat(c.hop()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.outOfOrderness()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.idleness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxFuture()).isEqualTo(Duration.ofHours(1));
        assertThat(c.furnaces()).isEmpty();
        assertThat(c.batchSize()).isEqualTo(16);
        assertThat(c.batchTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.modelPath()).isNull();
        assertThat(c.modelSha256()).isEmpty();
        assertThat(c.device()).isEqualTo(org.fmfstream.model.serve.DeviceChoice.AUTO);
        assertThat(c.threshold()).isEmpty();
        assertThat(c.minMaskPixels()).isEmpty();
        assertThat(c.emitDegraded()).isTrue();
        assertThat(c.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(c.transactionalIdPrefix()).isEqualTo("fmf-anomaly-job");
        assertThat(c.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.bufferTimeout()).isEqualTo(Duration.ofMillis(5));
        assertThat(FurnaceAnomalyJob.flinkConfiguration(c).get(ExecutionOptions.BUFFER_TIMEOUT))
                .isEqualTo(Duration.ofMillis(5));
        assertThat(c.checkpointDir()).isEqualTo(".fmf/checkpoints");
        assertThat(c.checkpointStorageUri()).startsWith("file:/").endsWith(".fmf/checkpoints");
        assertThat(c.kafkaProperties()).isEmpty();
    }

    @Test
    void theShippedExampleListsEveryKeyWithItsDefault() {
        assertThat(JobConfig.example()).isEqualTo(JobConfig.DEFAULTS);
    }

    @Test
    void readmeDocumentsEveryKeyAsJobOptionsDefinesIt() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        int header = readme.indexOf("| key | flag | default | meaning |");
        assertThat(header).as("jobs/detection/README.md's key table").isNotNegative();
        List<String> rows = new java.util.ArrayList<>();
        for (int i = header + 2; i < readme.size() && readme.get(i).startsWith("|"); i++) {
            if (!readme.get(i).startsWith("| `kafka.<property>`")) {
                rows.add(readme.get(i));
            }
        }
        assertThat(rows).containsExactlyElementsOf(JobOptions.all().stream().map(JobOptions::markdownRow).toList());
    }

    @Test
    void everyFlagSetsItsKey() {
        for (ConfigOption<?> option : JobOptions.all()) {
            JobFlags flags = new JobFlags();
            CommandLine line = new CommandLine(flags);
            JobOptions.flag(option).ifPresentOrElse(flag -> {
                line.parseArgs(flag.name(), "value-of-" + option.key());
                assertThat(flags.overrides()).as(flag.name()).containsExactly(Map.entry(option.key(), "value-of-" + option.key()));
            }, () -> {
                line.parseArgs("--set", option.key() + "=value-of-" + option.key());
                assertThat(flags.overrides()).as("--set " + option.key())
                        .containsExactly(Map.entry(option.key(), "value-of-" + option.key()));
            });
        }
        // The same mixin instance parsed again starts from nothing.
        JobFlags flags = new JobFlags();
        CommandLine line = new CommandLine(flags);
        line.parseArgs("--hop", "2s");
        line.parseArgs("--batch-size", "8");
        assertThat(flags.overrides()).containsExactly(Map.entry("inference.batch-size", "8"));
    }

    @Test
    void fileThenFlagsOverride(@TempDir Path dir) throws Exception {
        Path kafka = dir.resolve("client.properties");
        Files.writeString(kafka, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "window.hop=2s\nparallelism=3\ninput.furnaces=F01, F02\nkafka.config=" + kafka
                + "\nkafka.ssl.truststore.location=/t.jks\ncheckpoint.dir=s3://bucket/cp\n");
        JobFlags options = new JobFlags();
        new CommandLine(options).parseArgs("--config", file.toString(), "--hop", "500ms", "--delivery",
                "at-least-once", "--set", "threshold=0.7", "--start-from", "timestamp:1000");
        JobConfig c = options.config();
        assertThat(c.hop()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.parallelism()).isEqualTo(3);
        assertThat(c.furnaces()).containsExactlyInAnyOrder("F01", "F02");
        assertThat(c.threshold()).hasValue(0.7);
        assertThat(c.delivery()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(c.startFrom()).isEqualTo(StartingOffsets.timestamp(1000));
        assertThat(c.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN").containsEntry("ssl.truststore.location", "/t.jks");
        assertThat(c.frameSource().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.deadLetterSink().topic()).isEqualTo("fmf.deadletters");
        assertThat(c.deadLetterSink().producerProperties()).containsEntry("sasl.mechanism", "PLAIN");
        assertThat(c.inputRules().furnaces()).containsExactlyInAnyOrder("F01", "F02");
        assertThat(c.checkpointStorageUri()).isEqualTo("s3://bucket/cp");
    }

    @Test
    void stopAtMakesBothSourcesBounded() {
        JobFlags options = new JobFlags();
        new CommandLine(options).parseArgs("--stop-at", "latest");
        JobConfig c = options.config();
        assertThat(c.bounded()).isTrue();
        assertThat(c.frameSource().stoppingOffsets()).isNotNull();
        assertThat(c.currentSource().stoppingOffsets()).isSameAs(c.frameSource().stoppingOffsets());
        assertThat(JobConfig.of(Map.of("stop.at", "timestamp:1000")).bounded()).isTrue();
        assertThatThrownBy(() -> JobConfig.of(Map.of("stop.at", "end"))).hasMessageStartingWith("stop.at:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("stop.at", "timestamp:x"))).hasMessageStartingWith("stop.at:");
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> JobConfig.of(Map.of("window.hop", "10"))).hasMessageStartingWith("window.hop:")
                .hasMessageContaining("needs a unit");
        assertThatThrownBy(() -> JobConfig.of(Map.of("window.hop", "0s"))).hasMessageStartingWith("window.hop:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("input.current-range", "60000..0")))
                .hasMessageStartingWith("input.current-range:").hasMessageContaining("MIN < MAX");
        assertThatThrownBy(() -> JobConfig.of(Map.of("input.current-range", "lots")))
                .hasMessageStartingWith("input.current-range:");
        assertThat(JobConfig.of(Map.of("input.current-range", "0..20000")).inputRules().currentMax()).isEqualTo(20_000f);
        assertThat(JobConfig.defaults().inputRules().currentMin()).isEqualTo(-1_000f);
        assertThatThrownBy(() -> JobConfig.of(Map.of("parallelism", "two"))).hasMessageStartingWith("parallelism:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("parallelism", "0"))).hasMessageStartingWith("parallelism:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("threshold", "1.5"))).hasMessageStartingWith("threshold:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("threshold", "0"))).hasMessageStartingWith("threshold:")
                .hasMessageContaining("outside (0, 1)").hasMessageContaining("model's calibrated threshold");
        assertThatThrownBy(() -> JobConfig.of(Map.of("threshold", "1"))).hasMessageStartingWith("threshold:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("threshold", "high"))).hasMessage("threshold: 'high' is not a number");
        assertThatThrownBy(() -> JobConfig.of(Map.of("min-mask-pixels", "-1")))
                .hasMessage("min-mask-pixels: -1 is outside [0, 4096]");
        assertThatThrownBy(() -> JobConfig.of(Map.of("min-mask-pixels", "4097")))
                .hasMessage("min-mask-pixels: 4097 is outside [0, 4096]");
        assertThatThrownBy(() -> JobConfig.of(Map.of("min-mask-pixels", "ten")))
                .hasMessage("min-mask-pixels: 'ten' is not a whole number");
        assertThatThrownBy(() -> JobConfig.of(Map.of("model.device", "tpu"))).hasMessageStartingWith("model.device:")
                .hasMessageContaining("[auto, cpu, gpu]");
        assertThatThrownBy(() -> JobConfig.of(Map.of("model.sha256", "abc"))).hasMessageStartingWith("model.sha256:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("delivery", "maybe"))).hasMessageStartingWith("delivery:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("emit.degraded", "yes"))).hasMessageStartingWith("emit.degraded:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("start.from", "begin"))).hasMessageStartingWith("start.from:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("transaction.timeout", "20m")))
                .hasMessageStartingWith("transaction.timeout:").hasMessageContaining("15 min");
        assertThatThrownBy(() -> JobConfig.of(Map.of("transaction.timeout", "5s", "checkpoint.interval", "10s")))
                .hasMessageContaining("checkpoint.interval");
        assertThatThrownBy(() -> JobConfig.of(Map.of("topic.frames", " "))).hasMessageStartingWith("topic.frames:");
        assertThatThrownBy(() -> JobConfig.of(Map.of("window.hopp", "1s"))).hasMessageContaining("'window.hopp'");
        assertThatThrownBy(() -> JobConfig.of(Map.of("kafka.config", "/nope/x.properties")))
                .hasMessageStartingWith("kafka.config:");
        // at-least-once needs no transaction longer than the checkpoint interval
        assertThat(JobConfig.of(Map.of("delivery", "at-least-once", "transaction.timeout", "5s")).delivery())
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    }

    @Test
    void stopAtLatestBoundsBothSources() {
        assertThat(JobConfig.defaults().bounded()).isFalse();
        assertThat(JobConfig.defaults().frameSource().stoppingOffsets()).isNull();
        JobConfig bounded = JobConfig.of(Map.of("stop.at", "latest"));
        assertThat(bounded.bounded()).isTrue();
        assertThat(bounded.frameSource().stoppingOffsets()).isNotNull();
        assertThat(bounded.currentSource().stoppingOffsets()).isNotNull();
        assertThatThrownBy(() -> JobConfig.of(Map.of("stop.at", "end")))
                .hasMessageContaining("stop.at");
    }

    @Test
    void byDefaultTheJobDecidesWithTheModelsRule(@TempDir Path dir) throws Exception {
        // The shipped model carries its calibrated decision file.
        JobConfig shipped = JobConfig.defaults();
        DecisionRule shippedRule = org.fmfstream.model.serve.ShippedModel.manifest().decisionRule();
        assertThat(shippedRule).isNotEqualTo(DecisionRule.REFERENCE);
        assertThat(FurnaceAnomalyJob.decisionRule(shipped)).isEqualTo(shippedRule);
        assertThat(FurnaceAnomalyJob.describeRule(shipped, FurnaceAnomalyJob.decisionRule(shipped)))
                .startsWith("decision P >= ")
                .endsWith("(model) and mask pixels >= " + shippedRule.minMaskPixels()
                        + " (model), video missing = UNDECIDED");
        assertThat(FurnaceAnomalyJob.describe(shipped)).contains("model shipped, decision P >= ");

        // A model directory with its calibrated rule.
        Path model = Files.createDirectories(dir.resolve("fmformer-calibrated"));
        new DecisionRule(0.875, 12).write(model, Map.of("target", "test"));
        JobConfig calibrated = JobConfig.of(Map.of("model.path", model.toString()));
        assertThat(FurnaceAnomalyJob.decisionRule(calibrated)).isEqualTo(new DecisionRule(0.875, 12));
        assertThat(FurnaceAnomalyJob.describeRule(calibrated, FurnaceAnomalyJob.decisionRule(calibrated)))
                .isEqualTo("decision P >= 0.875 (model) and mask pixels >= 12 (model), video missing = UNDECIDED");
        // A directory without one: the reference rule.
        Path plain = Files.createDirectories(dir.resolve("fmformer-plain"));
        assertThat(FurnaceAnomalyJob.decisionRule(JobConfig.of(Map.of("model.path", plain.toString()))))
                .isEqualTo(DecisionRule.REFERENCE);
    }

    @Test
    void thresholdAndMinMaskPixelsOverrideThePartsOfTheModelsRule(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("fmformer-calibrated"));
        new DecisionRule(0.875, 12).write(model, Map.of());
        JobFlags options = new JobFlags();
        new CommandLine(options).parseArgs("--model", model.toString(), "--threshold", "0.6");
        JobConfig threshold = options.config();
        assertThat(threshold.threshold()).hasValue(0.6);
        assertThat(threshold.minMaskPixels()).isEmpty();
        assertThat(FurnaceAnomalyJob.decisionRule(threshold)).isEqualTo(new DecisionRule(0.6, 12));
        assertThat(FurnaceAnomalyJob.describeRule(threshold, FurnaceAnomalyJob.decisionRule(threshold)))
                .isEqualTo("decision P >= 0.6 (override) and mask pixels >= 12 (model), video missing = UNDECIDED");

        options = new JobFlags();
        new CommandLine(options).parseArgs("--model", model.toString(), "--min-mask-pixels", "0");
        JobConfig pixels = options.config();
        assertThat(pixels.minMaskPixels()).hasValue(0);
        assertThat(FurnaceAnomalyJob.decisionRule(pixels)).isEqualTo(new DecisionRule(0.875, 0));

        // Both overridden: the model's rule is not needed, so a model not readable here is no obstacle.
        JobConfig both = JobConfig.of(Map.of("model.path", dir.resolve("elsewhere").toString(),
                "threshold", "0.7", "min-mask-pixels", "20"));
        assertThat(both.decisionRuleOverridden()).isTrue();
        assertThat(FurnaceAnomalyJob.decisionRule(both)).isEqualTo(new DecisionRule(0.7, 20));
        // One part from a model that cannot be read here: refused, naming the key and the way out.
        assertThatThrownBy(() -> FurnaceAnomalyJob.decisionRule(JobConfig.of(Map.of(
                "model.path", dir.resolve("elsewhere").toString(), "threshold", "0.7"))))
                .hasMessageStartingWith("model.path:").hasMessageContaining("decision.properties")
                .hasMessageContaining("set both threshold and min-mask-pixels");
        // A broken decision file is named too.
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve(DecisionRule.FILE), "minMaskPixels=3\n");
        assertThatThrownBy(() -> FurnaceAnomalyJob.decisionRule(JobConfig.of(Map.of("model.path", broken.toString()))))
                .hasMessageStartingWith("model.path:").hasMessageContaining("lacks 'threshold'");
    }
}
