package org.fmfstream.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./fmf}: one subcommand per tool. */
@Command(name = "fmf",
        mixinStandardHelpOptions = true,
        versionProvider = FmfCli.Version.class,
        description = "fmf-stream: real-time cross-modal anomaly detection for fused-magnesia furnaces.",
        subcommands = {
                CommandLine.HelpCommand.class,
                org.fmfstream.jobs.kafka.KafkaCommand.class,
                org.fmfstream.jobs.simulator.SimulateCommand.class,
                org.fmfstream.jobs.importer.ImportBenchmarkCommand.class,
                org.fmfstream.jobs.ingest.IngestCurrentCommand.class,
                org.fmfstream.jobs.ingest.IngestVideoCommand.class,
                org.fmfstream.jobs.model.TrainCommand.class,
                org.fmfstream.jobs.model.EvaluateCommand.class,
                org.fmfstream.jobs.model.CalibrateCommand.class,
                org.fmfstream.jobs.bench.BenchCommand.class,
                org.fmfstream.jobs.model.ImportWeightsCommand.class,
                org.fmfstream.jobs.job.RunCommand.class,
                org.fmfstream.jobs.demo.DemoCommand.class,
                org.fmfstream.jobs.view.ViewCommand.class,
                org.fmfstream.jobs.alert.AlertsCommand.class,
                org.fmfstream.jobs.replay.ReplayCommand.class,
                org.fmfstream.jobs.cluster.ClusterCommand.class,
        })
public final class FmfCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new FmfCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FmfCli.class.getPackage().getImplementationVersion();
            return new String[] {"fmf-stream " + (v == null ? "(development build)" : v)};
        }
    }
}
