package org.fmfstream.jobs.cluster;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code ./fmf cluster}: a real Flink standalone session cluster and a Kafka broker on this machine. */
@Command(name = "cluster",
        description = "A Flink 2.2 standalone session cluster on this machine (JobManager with web UI and REST on"
                + " 127.0.0.1, TaskManagers, each its own JVM from Flink's own entry points) plus a Kafka broker"
                + " process; logs, pids, checkpoints and broker data in one folder.",
        mixinStandardHelpOptions = true,
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Status.class, ClusterCommand.Submit.class,
                ClusterCommand.StopJob.class, ClusterCommand.AddTaskManager.class, ClusterCommand.Stop.class})
public final class ClusterCommand {

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    @Option(names = "--dir", defaultValue = ".fmf/cluster",
            description = "The cluster's folder (conf/, lib/, log/, pids/, checkpoints/, savepoints/, kafka/). Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--job-jar", defaultValue = "jobs/cli/target/fmf-job.jar",
            description = "The shaded job jar (mvn -B -Pjob-jar -pl jobs -am package -DskipTests; ./fmf cluster builds it). Default: ${DEFAULT-VALUE}.")
    Path jobJar;

    /**
     * What every subcommand shares: the cluster of the parent's folder, and one way to fail — a
     * cluster that cannot do what was asked ({@link IllegalStateException}) is one line on stderr
     * and exit code 1, not a stack trace.
     */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        ClusterCommand parent;
        @Spec
        CommandSpec spec;

        /** Does the work; returns the exit code. */
        abstract int run(LocalCluster cluster, PrintWriter out, PrintWriter err) throws Exception;

        @Override
        public final Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                return run(new LocalCluster(new ClusterFolder(parent.dir), parent.jobJar), out, err);
            } catch (IllegalStateException e) {
                err.println("fmf cluster " + spec.name() + ": " + e.getMessage());
                return 1;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts the broker, the JobManager and the TaskManagers, and waits for their slots.")
    static final class Start extends Subcommand {
        @Option(names = "--taskmanagers", defaultValue = "1", description = "TaskManager JVMs. Default: ${DEFAULT-VALUE}.")
        int taskManagers;
        @Option(names = "--slots", defaultValue = "2", description = "Slots per TaskManager. Default: ${DEFAULT-VALUE}.")
        int slots;
        @Option(names = "--rest-port", defaultValue = "8081", description = "Web UI and REST port. Default: ${DEFAULT-VALUE}.")
        int restPort;
        @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port for clients. Default: ${DEFAULT-VALUE}.")
        int kafkaPort;
        @Option(names = "--rpc-port", defaultValue = "6123", description = "JobManager RPC port (jobmanager.rpc.port). Default: ${DEFAULT-VALUE}.")
        int rpcPort;
        @Option(names = "--kafka-controller-port", defaultValue = "9093", description = "Broker's KRaft controller port. Default: ${DEFAULT-VALUE}.")
        int kafkaControllerPort;
        @Option(names = "--taskmanager-memory", defaultValue = "4g",
                description = "taskmanager.memory.process.size. Default: ${DEFAULT-VALUE}.")
        String taskManagerMemory;

        @Override
        int run(LocalCluster cluster, PrintWriter out, PrintWriter err) throws Exception {
            LocalCluster.Settings d = LocalCluster.Settings.defaults();
            LocalCluster.Settings s = new LocalCluster.Settings(restPort, taskManagers, slots, taskManagerMemory,
                    d.jobManagerMemory(), kafkaPort, kafkaControllerPort, d.prometheusPortFrom(), rpcPort);
            long begin = System.nanoTime();
            cluster.start(s, System.getProperty("java.class.path"), START_TIMEOUT);
            err.printf("cluster up in %.1f s: web UI and REST %s, %d TaskManager(s) x %d slots, Kafka %s, folder %s%n",
                    (System.nanoTime() - begin) / 1e9, cluster.restAddress(), taskManagers, slots,
                    cluster.bootstrapServers(), cluster.folder().root());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Which processes run, and what the JobManager reports (TaskManagers, slots, jobs).")
    static final class Status extends Subcommand {
        @Override
        int run(LocalCluster cluster, PrintWriter out, PrintWriter err) throws Exception {
            boolean any = false;
            for (String p : cluster.folder().recorded()) {
                Optional<ProcessHandle> h = cluster.folder().running(p);
                out.printf("%-16s %s%n", p, h.map(x -> "running, pid " + x.pid()).orElse("not running"));
                any |= h.isPresent();
            }
            if (!any) {
                out.println("no cluster process runs in " + cluster.folder().root());
                return 3;
            }
            out.println("overview: " + cluster.rest("/overview").orElse("(the JobManager does not answer)"));
            out.println("jobs:     " + cluster.rest("/jobs/overview").orElse("(none)"));
            return 0;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submits the detection job to the cluster with Flink's own client (flink run --detached -c"
                    + " FurnaceAnomalyJobMain fmf-job.jar ...). Other arguments are the job's flags, as ./fmf run takes"
                    + " them; --bootstrap-servers and --checkpoint-dir default to the cluster's.")
    static final class Submit extends Subcommand {
        @Option(names = "--from-savepoint", paramLabel = "PATH",
                description = "Resume from this savepoint or retained checkpoint (flink run -s PATH).")
        String savepoint;
        @Unmatched
        List<String> jobArgs = new ArrayList<>();

        @Override
        int run(LocalCluster cluster, PrintWriter out, PrintWriter err) throws Exception {
            out.print(cluster.submit(jobArgs, savepoint, START_TIMEOUT));
            return 0;
        }
    }

    @Command(name = "stop-job", mixinStandardHelpOptions = true,
            description = "Stops a job with a savepoint in the cluster's savepoints/ (flink stop --savepointPath);"
                    + " resume it with submit --from-savepoint PATH, e.g. with another model.")
    static final class StopJob extends Subcommand {
        @Parameters(paramLabel = "JOB_ID", description = "The job's id (./fmf cluster status).")
        String jobId;
        @Option(names = "--drain", description = "End event time first: every pending window is decided and committed.")
        boolean drain;

        @Override
        int run(LocalCluster cluster, PrintWriter out, PrintWriter err) throws Exception {
            out.print(cluster.stopWithSavepoint(jobId, drain, START_TIMEOUT));
            return 0;
        }
    }

    @Command(name = "add-taskmanager", mixinStandardHelpOptions = true,
            description = "Starts one more TaskManager JVM (e.g. after one was lost).")
    static final class AddTaskManager extends Subcommand {
        @Override
        int run(LocalCluster cluster, PrintWriter out, PrintWriter err) throws Exception {
            err.println("started " + cluster.addTaskManager());
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops every process of the cluster (SIGTERM, SIGKILL after 30 s); the folder stays.")
    static final class Stop extends Subcommand {
        @Override
        int run(LocalCluster cluster, PrintWriter out, PrintWriter err) throws Exception {
            List<String> stopped = cluster.stop(Duration.ofSeconds(30));
            err.println(stopped.isEmpty() ? "nothing was running" : "stopped " + stopped);
            return 0;
        }
    }
}
