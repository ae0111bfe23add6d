package org.fmfstream.jobs.job;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./fmf run}: the detection job in an embedded Flink (one JVM, loopback only) against any
 * Kafka. Ctrl-C cancels it; its last checkpoint is kept and {@code --restore} starts from it.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the anomaly detection job in an embedded Flink against a Kafka cluster.",
                "Reads frames and currents, writes anomaly events, masks and dead letters; see jobs/detection/README.md,"
                        + " 'Job configuration', for every key."})
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobFlags options;

    @Option(names = "--restore", paramLabel = "PATH",
            description = "Start from this retained checkpoint or savepoint (a chk-N directory).")
    String restore;

    @Override
    public Integer call() throws Exception {
        JobConfig config;
        String description;
        try {
            config = options.config();
            description = FurnaceAnomalyJob.describe(config); // reads the model's decision rule
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(description);
        out.flush();
        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(config, restore);
        FurnaceAnomalyJob.define(env, config);
        JobClient job = env.executeAsync(FurnaceAnomalyJob.JOB_NAME);
        return EmbeddedJobRun.await(job, "run", null, spec.commandLine().getErr());
    }

}
