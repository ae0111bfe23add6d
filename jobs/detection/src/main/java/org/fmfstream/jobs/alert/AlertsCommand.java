package org.fmfstream.jobs.alert;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.fmfstream.jobs.job.EmbeddedJobRun;
import org.fmfstream.jobs.job.FurnaceAnomalyJob;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.jobs.job.JobFlags;
import org.fmfstream.jobs.console.DurationConverter;
import org.fmfstream.operators.alert.AlertConfig;
import org.fmfstream.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./fmf alerts}: the alert job in an embedded Flink, and a console printing every incident
 * change as it is committed. Ctrl-C cancels the job (its last checkpoint is kept; {@code --restore}).
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"Turns anomaly events into incidents: opens after k of the last n windows are anomalous,"
                + " clears after a quiet period; writes them to the alerts topic (and a webhook) and prints one"
                + " line per change.",
                "Kafka, topics, start position, delivery and checkpoints as for 'run' (jobs/detection/README.md, 'Alerting')."})
public final class AlertsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobFlags options;

    @Option(names = "--alerts-topic", paramLabel = "TOPIC", description = "Output topic (default: ${DEFAULT-VALUE}).")
    String alertsTopic = Topics.ALERTS;

    @Option(names = "--k", paramLabel = "K", description = "Anomalous windows among the last n that open an incident"
            + " (default: ${DEFAULT-VALUE}).")
    int k = AlertConfig.DEFAULTS.k();

    @Option(names = "--n", paramLabel = "N", description = "Windows looked at (default: ${DEFAULT-VALUE}).")
    int n = AlertConfig.DEFAULTS.n();

    @Option(names = "--quiet", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Event time without an anomalous window that clears an incident (default: 30s).")
    Duration quiet = AlertConfig.DEFAULTS.quiet();

    @Option(names = "--webhook", paramLabel = "URL", description = "Also POST every incident as JSON here"
            + " (at-least-once).")
    String webhook;

    @Option(names = "--webhook-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Per attempt (default: 5s).")
    Duration webhookTimeout = Duration.ofSeconds(5);

    @Option(names = "--webhook-retries", paramLabel = "N", description = "Retries after a failed POST before the job"
            + " fails and restarts from its last checkpoint (default: ${DEFAULT-VALUE}).")
    int webhookRetries = WebhookSettings.DEFAULT_RETRIES;

    @Option(names = "--no-console", description = "Do not print incidents, only run the job.")
    boolean noConsole;

    @Option(names = "--restore", paramLabel = "PATH", description = "Start from this retained checkpoint or savepoint.")
    String restore;

    @Override
    public Integer call() throws Exception {
        JobConfig config;
        AlertJob.Settings settings;
        try {
            config = options.config();
            AlertConfig alert = new AlertConfig(k, n, quiet);
            WebhookSettings hook = webhook == null ? null : new WebhookSettings(java.net.URI.create(webhook),
                    webhookTimeout, webhookRetries, WebhookSettings.DEFAULT_BACKOFF);
            settings = AlertJob.settings(config, alertsTopic, alert, hook);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(AlertJob.describe(settings));
        out.flush();
        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(config, restore);
        AlertJob.define(env, settings);
        JobClient job = env.executeAsync(AlertJob.JOB_NAME);
        IncidentConsole console = noConsole ? null : new IncidentConsole(config.kafka(), settings.alerts().topic(),
                System.out);
        Thread consoleThread = null;
        if (console != null) {
            consoleThread = new Thread(console, "fmf-alerts-console");
            consoleThread.setDaemon(true);
            consoleThread.start();
        }
        try {
            return EmbeddedJobRun.await(job, "alerts", console == null ? null : console::stop,
                    spec.commandLine().getErr());
        } finally {
            if (console != null) {
                console.stop();
                consoleThread.join(Duration.ofSeconds(2).toMillis());
            }
        }
    }

}
