package org.fmfstream.jobs.job;

import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Entry point of the shaded jar on a Flink cluster:
 * {@code flink run -c org.fmfstream.jobs.job.FurnaceAnomalyJobMain fmf-job.jar --config job.properties ...}
 * (built by {@code mvn -Pjob-jar package}; docs/deploy.md).
 * Takes the same flags as {@code ./fmf run}; the cluster's own configuration decides slots and
 * memory, the job's checkpoint settings come from the job configuration.
 */
@Command(name = "fmf-anomaly-job", mixinStandardHelpOptions = true,
        description = "Submits the anomaly detection job to the Flink cluster this runs in (flink run).")
public final class FurnaceAnomalyJobMain implements Callable<Integer> {

    @Mixin
    JobFlags options;

    public static void main(String[] args) {
        int code = new CommandLine(new FurnaceAnomalyJobMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        JobConfig config = options.config();
        StreamExecutionEnvironment env = FurnaceAnomalyJob.clusterEnvironment(config);
        FurnaceAnomalyJob.define(env, config);
        env.execute(FurnaceAnomalyJob.JOB_NAME);
        return 0;
    }
}
