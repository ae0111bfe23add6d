package org.fmfstream.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything a local cluster keeps, in one folder: {@code conf/} (Flink's config.yaml and the log
 * configuration), {@code lib/} (links to the jars of the processes' class path, as Flink's lib/),
 * {@code log/} (one log per process), {@code pids/} (one file per running process),
 * {@code checkpoints/}, {@code savepoints/} and {@code kafka/} (the broker's data).
 */
public record ClusterFolder(Path root) {

    public ClusterFolder {
        root = root.toAbsolutePath().normalize();
    }

    public Path conf() {
        return root.resolve("conf");
    }

    public Path lib() {
        return root.resolve("lib");
    }

    public Path log(String process) {
        return root.resolve("log").resolve(process + ".log");
    }

    public Path pidFile(String process) {
        return root.resolve("pids").resolve(process + ".pid");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path savepoints() {
        return root.resolve("savepoints");
    }

    public Path kafkaData() {
        return root.resolve("kafka");
    }

    /** The recorded pid of a process, if it is still alive. */
    public Optional<ProcessHandle> running(String process) throws IOException {
        Path file = pidFile(process);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(file).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /** Names of the processes that have a pid file, TaskManagers first, then the JobManager, then Kafka. */
    public List<String> recorded() throws IOException {
        Path pids = root.resolve("pids");
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(pids)) {
            try (Stream<Path> s = Files.list(pids)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pid"))
                        .map(n -> n.substring(0, n.length() - 4)).sorted().forEach(names::add);
            }
        }
        names.sort((a, b) -> Integer.compare(stopOrder(a), stopOrder(b)));
        return names;
    }

    /** TaskManagers stop first (their job fails over to nothing), the broker last (the job commits to it). */
    private static int stopOrder(String process) {
        if (process.startsWith(LocalCluster.TASK_MANAGER)) {
            return 0;
        }
        return process.equals(LocalCluster.JOB_MANAGER) ? 1 : 2;
    }

    /** The next unused TaskManager name: taskmanager-1, taskmanager-2, ... */
    public String nextTaskManager() throws IOException {
        int n = 1;
        while (Files.exists(pidFile(LocalCluster.TASK_MANAGER + "-" + n))) {
            n++;
        }
        return LocalCluster.TASK_MANAGER + "-" + n;
    }
}
