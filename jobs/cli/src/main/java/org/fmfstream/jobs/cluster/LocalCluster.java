package org.fmfstream.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink 2.2 standalone session cluster on this machine, from Flink's own entry points: a
 * JobManager ({@code StandaloneSessionClusterEntrypoint}, web UI and REST on 127.0.0.1) and
 * TaskManagers ({@code TaskManagerRunner}), each a JVM of its own started with the memory flags
 * Flink's scripts would give it ({@code BashJavaUtils}), plus the Kafka broker ({@code ./fmf kafka})
 * as a process of its own. The job goes in through Flink's own client ({@code CliFrontend run}), as
 * {@code flink run} would submit it. Everything lives in one {@link ClusterFolder}; the processes
 * outlive the command that starts them and are found again through their pid files.
 */
public final class LocalCluster {

    static final String JOB_MANAGER = "jobmanager";
    static final String TASK_MANAGER = "taskmanager";
    static final String KAFKA = "kafka";

    private static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String RESOURCE_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String FLINK_CLIENT = "org.apache.flink.client.cli.CliFrontend";
    private static final String RESULT_MARKER = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What flink-dist's config.yaml gives every Flink JVM on Java 17 ({@code env.java.default-opts.all}):
     * Flink reflects into these JDK packages (the client fails without them).
     */
    static final List<String> JDK_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /**
     * {@code env.java.opts.all}: what Flink's start scripts add to every JobManager and TaskManager JVM;
     * this cluster gives its broker the same options (its heap is pre-touched too).
     */
    static final String JOB_JVM_OPTIONS = "-Dai.djl.offline=true -XX:+AlwaysPreTouch";

    /**
     * The broker's heap, as Kafka's own start script gives it ({@code kafka-server-start.sh}:
     * {@code KAFKA_HEAP_OPTS="-Xmx1G -Xms1G"}); without it the JVM would size the heap from the
     * machine's memory and keep growing it.
     */
    static final List<String> BROKER_HEAP = List.of("-Xmx1G", "-Xms1G");

    /**
     * What the cluster is made of; the defaults are docker-compose.yml's (and Flink's: JobManager RPC
     * on 6123). Every port is a setting, so two clusters (or a test next to a running one) can share
     * a machine.
     */
    public record Settings(int restPort, int taskManagers, int slots, String taskManagerMemory,
                           String jobManagerMemory, int kafkaPort, int kafkaControllerPort, int prometheusPortFrom,
                           int jobManagerRpcPort) {
        public static Settings defaults() {
            return new Settings(8081, 1, 2, "4g", "1600m", 9092, 9093, 9249, 6123);
        }
    }

    private final ClusterFolder folder;
    private final Path jobJar;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LocalCluster(ClusterFolder folder, Path jobJar) {
        this.folder = folder;
        this.jobJar = jobJar.toAbsolutePath().normalize();
    }

    public ClusterFolder folder() {
        return folder;
    }

    public String restAddress() throws IOException {
        return "http://127.0.0.1:" + readSetting("rest.port");
    }

    public String bootstrapServers() throws IOException {
        return "127.0.0.1:" + Files.readString(folder.conf().resolve("kafka.port")).trim();
    }

    // ------------------------------------------------------------------ start

    /**
     * Writes conf/ and lib/, starts the broker, the JobManager and the TaskManagers, and waits until
     * the REST endpoint reports every TaskManager's slots.
     *
     * @throws IllegalStateException when a process of this folder still runs, or the cluster does not come up
     */
    public void start(Settings settings, String classPath, Duration timeout) throws IOException, InterruptedException {
        for (String p : folder.recorded()) {
            if (folder.running(p).isPresent()) {
                throw new IllegalStateException(p + " of the cluster in " + folder.root()
                        + " is still running; stop it first (./fmf cluster stop)");
            }
            Files.delete(folder.pidFile(p));
        }
        if (!Files.isRegularFile(jobJar)) {
            throw new IllegalStateException("no job jar at " + jobJar + "; build it with mvn -B -Pjob-jar -pl jobs -am package -DskipTests");
        }
        Files.createDirectories(folder.root().resolve("pids"));
        Files.createDirectories(folder.root().resolve("log"));
        Files.createDirectories(folder.checkpoints());
        Files.createDirectories(folder.savepoints());
        writeConf(settings);
        linkLib(FlinkLib.pick(classPath, jobJar));

        Files.writeString(folder.conf().resolve("kafka.port"), Integer.toString(settings.kafkaPort()));
        Files.writeString(folder.conf().resolve("kafka.controller-port"), Integer.toString(settings.kafkaControllerPort()));
        Files.writeString(folder.conf().resolve("kafka.classpath"), classPath);
        startKafka();
        startJobManager();
        for (int i = 0; i < settings.taskManagers(); i++) {
            addTaskManager();
        }
        awaitSlots(settings.taskManagers() * settings.slots(), timeout);
        awaitLog(KAFKA, "topics ready", timeout);
    }

    /**
     * Starts the broker process ({@code ./fmf kafka} on the folder's data, same ports), e.g. again after
     * it was killed; returns once it serves its topics.
     */
    public void startKafka(Duration timeout) throws IOException, InterruptedException {
        Path out = folder.root().resolve("log").resolve(KAFKA + ".out");
        long before = Files.exists(out) ? Files.size(out) : 0;
        startKafka();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(out).substring((int) before).contains("topics ready")) {
            if (folder.running(KAFKA).isEmpty() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not come back; see " + out);
            }
            Thread.sleep(250);
        }
    }

    private void startKafka() throws IOException {
        startProcess(KAFKA, BROKER_HEAP, Files.readString(folder.conf().resolve("kafka.classpath")),
                "org.fmfstream.jobs.cli.FmfCli", List.of("kafka",
                        "--port", Files.readString(folder.conf().resolve("kafka.port")).trim(),
                        "--controller-port", Files.readString(folder.conf().resolve("kafka.controller-port")).trim(),
                        "--data-dir", folder.kafkaData().toString()));
    }

    /** Starts one more TaskManager JVM (after one was lost, or to add slots); returns its name. */
    public String addTaskManager() throws IOException, InterruptedException {
        String name = folder.nextTaskManager();
        ResourceParams params = resourceParams("GET_TM_RESOURCE_PARAMS");
        List<String> args = new ArrayList<>(List.of("--configDir", folder.conf().toString()));
        args.addAll(params.dynamicConfig());
        startProcess(name, params.jvmFlags(), libClassPath(), TASK_MANAGER_MAIN, args);
        return name;
    }

    private void startJobManager() throws IOException, InterruptedException {
        ResourceParams params = resourceParams("GET_JM_RESOURCE_PARAMS");
        List<String> args = new ArrayList<>(List.of("--configDir", folder.conf().toString()));
        args.addAll(params.dynamicConfig());
        startProcess(JOB_MANAGER, params.jvmFlags(), libClassPath(), JOB_MANAGER_MAIN, args);
    }

    private void writeConf(Settings s) throws IOException {
        Files.createDirectories(folder.conf());
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(s.jobManagerRpcPort()));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.host", "127.0.0.1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(s.restPort()));
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(s.slots()));
        c.put("taskmanager.memory.process.size", s.taskManagerMemory());
        c.put("jobmanager.memory.process.size", s.jobManagerMemory());
        // DJL parent-first: the classes that own the native library come from lib/, never from a job's
        // own class loader (one libtorch per JVM, whatever the number of jobs and restarts).
        c.put("classloader.parent-first-patterns.additional", "ai.djl.");
        // Pre-touch: each JVM takes its whole heap at start (Flink gives JobManager and TaskManager
        // -Xms = -Xmx), so an over-committed box fails at start rather than hours later, and resident
        // memory that grows after start is a real leak, not the heap's pages being touched the first time.
        c.put("env.java.opts.all", JOB_JVM_OPTIONS);
        c.put("env.java.default-opts.all", String.join(" ", JDK_OPENS));
        c.put("execution.checkpointing.savepoint-dir", folder.savepoints().toUri().toString());
        c.put("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.put("metrics.reporter.prom.port", s.prometheusPortFrom() + "-" + (s.prometheusPortFrom() + 10));
        c.put("web.upload.dir", folder.root().resolve("web-upload").toString());
        StringBuilder yaml = new StringBuilder("# Written by ./fmf cluster start; docker-compose.yml sets the same keys.\n");
        c.forEach((k, v) -> yaml.append(k).append(": \"").append(v).append("\"\n"));
        Files.writeString(folder.conf().resolve("config.yaml"), yaml.toString());
        Files.writeString(folder.conf().resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = FileAppender",
                "appender.file.name = FileAppender",
                "appender.file.type = FILE",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN", ""));
    }

    private void linkLib(List<Path> jars) throws IOException {
        Path lib = folder.lib();
        if (Files.isDirectory(lib)) {
            try (var s = Files.list(lib)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(lib);
        for (Path jar : jars) {
            Path link = lib.resolve(jar.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
    }

    private String libClassPath() {
        return folder.lib() + "/*";
    }

    private String readSetting(String key) throws IOException {
        for (String line : Files.readAllLines(folder.conf().resolve("config.yaml"))) {
            if (line.startsWith(key + ": ")) {
                return line.substring(key.length() + 2).replace("\"", "").trim();
            }
        }
        throw new IllegalStateException(key + " is not in " + folder.conf().resolve("config.yaml"));
    }

    /** JVM flags and {@code -D key=value} options Flink's scripts compute for a process from conf/. */
    private record ResourceParams(List<String> jvmFlags, List<String> dynamicConfig) {}

    private ResourceParams resourceParams(String command) throws IOException, InterruptedException {
        Path out = folder.root().resolve("log").resolve(command.toLowerCase() + ".out");
        Process p = new ProcessBuilder(java(), "-cp", libClassPath(), RESOURCE_UTILS, command,
                "--configDir", folder.conf().toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("Flink's BashJavaUtils " + command + " failed:\n" + Files.readString(out));
        }
        List<String> lines = Files.readAllLines(out);
        List<String> results = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(RESULT_MARKER)) {
                results.add(line.substring(RESULT_MARKER.length()).trim());
            }
        }
        if (results.size() < 2) {
            throw new IllegalStateException("Flink's BashJavaUtils " + command + " printed no resource settings:\n"
                    + String.join("\n", lines));
        }
        List<String> jvm = new ArrayList<>(List.of(results.get(0).split("\\s+")));
        jvm.removeIf(String::isBlank);
        List<String> dynamic = new ArrayList<>(List.of(results.get(1).split("\\s+")));
        dynamic.removeIf(String::isBlank);
        return new ResourceParams(jvm, dynamic);
    }

    private Process startProcess(String name, List<String> jvmFlags, String classPath, String main, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(JDK_OPENS);
        command.addAll(jvmFlags);
        command.addAll(List.of(readSetting("env.java.opts.all").split("\\s+")));
        command.add("-Dlog.file=" + folder.log(name));
        command.add("-Dlog4j.configurationFile=" + folder.conf().resolve("log4j.properties").toUri());
        command.addAll(List.of("-cp", classPath, main));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.root().resolve("log").resolve(name + ".out").toFile()))
                .start();
        Files.writeString(folder.pidFile(name), Long.toString(p.pid()));
        return p;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ------------------------------------------------------------------ status

    /** GET a REST path of the JobManager; empty when it does not answer. */
    public Optional<String> rest(String path) throws IOException {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(restAddress() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Total slots the JobManager reports, -1 when it does not answer. */
    public int slotsTotal() throws IOException {
        Optional<String> body = rest("/overview");
        return body.isEmpty() ? -1 : JSON.readTree(body.get()).path("slots-total").asInt(-1);
    }

    /** The job id in the output of {@link #submit}; IllegalStateException when the client named none. */
    public static String jobId(String submitOutput) {
        Matcher m = JOB_ID.matcher(submitOutput);
        if (!m.find()) {
            throw new IllegalStateException("the Flink client named no job id:\n" + submitOutput);
        }
        return m.group(1);
    }

    /** A job's state as the JobManager reports it (RUNNING, FINISHED, ...); UNKNOWN when it does not answer. */
    public String jobState(String jobId) throws IOException {
        Optional<String> body = rest("/jobs/" + jobId);
        return body.isEmpty() ? "UNKNOWN" : JSON.readTree(body.get()).path("state").asText("UNKNOWN");
    }

    /**
     * A job's checkpoints as the JobManager reports them: counts, and the latest completed one's
     * size and end-to-end duration (zeros before the first).
     *
     * @param stateBytes        the full state the latest checkpoint holds ({@code state_size})
     * @param checkpointedBytes what that checkpoint wrote ({@code checkpointed_size}; less when incremental)
     */
    public record Checkpoints(long completed, long failed, long latestId, long stateBytes, long checkpointedBytes,
                              long durationMillis) {
        static final Checkpoints NONE = new Checkpoints(0, 0, -1, 0, 0, 0);
    }

    /** {@code GET /jobs/ID/checkpoints}, read into {@link Checkpoints}; {@code NONE} when it does not answer. */
    public Checkpoints checkpoints(String jobId) throws IOException {
        Optional<String> body = rest("/jobs/" + jobId + "/checkpoints");
        if (body.isEmpty()) {
            return Checkpoints.NONE;
        }
        JsonNode json = JSON.readTree(body.get());
        long completed = json.path("counts").path("completed").asLong(0);
        long failed = json.path("counts").path("failed").asLong(0);
        JsonNode c = json.path("latest").path("completed");
        if (!c.isObject()) {
            return new Checkpoints(completed, failed, -1, 0, 0, 0);
        }
        return new Checkpoints(completed, failed, c.path("id").asLong(), c.path("state_size").asLong(),
                c.path("checkpointed_size").asLong(), c.path("end_to_end_duration").asLong());
    }

    private void awaitSlots(int slots, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (slotsTotal() < slots) {
            for (String p : folder.recorded()) {
                if (!p.equals(KAFKA) && folder.running(p).isEmpty()) {
                    throw new IllegalStateException(p + " exited; see " + folder.log(p) + " and "
                            + folder.root().resolve("log").resolve(p + ".out"));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the JobManager at " + restAddress() + " reports " + slotsTotal()
                        + " of " + slots + " slots after " + timeout + "; see " + folder.root().resolve("log"));
            }
            Thread.sleep(250);
        }
    }

    private void awaitLog(String process, String text, Duration timeout) throws IOException, InterruptedException {
        Path out = folder.root().resolve("log").resolve(process + ".out");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(out) || !Files.readString(out).contains(text)) {
            if (folder.running(process).isEmpty() || System.nanoTime() > deadline) {
                throw new IllegalStateException(process + " did not say '" + text + "'; see " + out);
            }
            Thread.sleep(250);
        }
    }

    // ------------------------------------------------------------------ submit and stop

    /**
     * Submits the detection job detached through Flink's own client, exactly as {@code flink run
     * --detached -c FurnaceAnomalyJobMain fmf-job.jar ARGS} would; returns the client's output.
     * {@code --bootstrap-servers} and {@code --checkpoint-dir} default to the cluster's broker and folder.
     */
    public String submit(List<String> jobArgs, Duration timeout) throws IOException, InterruptedException {
        return submit(jobArgs, null, timeout);
    }

    /** As {@link #submit(List, Duration)}, resuming from a savepoint or retained checkpoint ({@code flink run -s}) when not null. */
    public String submit(List<String> jobArgs, String savepoint, Duration timeout) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(jobArgs);
        if (!args.contains("--bootstrap-servers")) {
            args.addAll(List.of("--bootstrap-servers", bootstrapServers()));
        }
        if (!args.contains("--checkpoint-dir")) {
            args.addAll(List.of("--checkpoint-dir", folder.checkpoints().toUri().toString()));
        }
        List<String> run = new ArrayList<>(List.of("run", "--detached", "-m", "127.0.0.1:" + readSetting("rest.port")));
        if (savepoint != null) {
            run.addAll(List.of("-s", savepoint));
        }
        run.addAll(List.of("-c", "org.fmfstream.jobs.job.FurnaceAnomalyJobMain", jobJar.toString()));
        return flinkClient(run, args, timeout);
    }

    /**
     * {@code flink stop [--drain] --savepointPath DIR JOB}: stops a job with a savepoint; with
     * {@code drain}, first ends event time (every pending window is decided and committed), as at the
     * end of a bounded input. Returns the client's output, which names the savepoint.
     */
    public String stopWithSavepoint(String jobId, boolean drain, Duration timeout) throws IOException, InterruptedException {
        List<String> stop = new ArrayList<>(List.of("stop", "-m", "127.0.0.1:" + readSetting("rest.port")));
        if (drain) {
            stop.add("--drain");
        }
        stop.addAll(List.of("--savepointPath", folder.savepoints().toUri().toString(), jobId));
        return flinkClient(stop, List.of(), timeout);
    }

    private String flinkClient(List<String> command, List<String> extra, Duration timeout)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(JDK_OPENS);
        cmd.addAll(List.of("-Dai.djl.offline=true",
                "-Dlog.file=" + folder.log("client"),
                "-Dlog4j.configurationFile=" + folder.conf().resolve("log4j.properties").toUri(),
                "-cp", libClassPath(), FLINK_CLIENT));
        cmd.addAll(command);
        cmd.addAll(extra);
        Path out = folder.root().resolve("log").resolve("client.out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("FLINK_CONF_DIR", folder.conf().toString());
        pb.environment().put("FLINK_LIB_DIR", folder.lib().toString());
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("flink " + command.get(0) + " did not finish in " + timeout + "; see " + out);
        }
        String output = Files.readString(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("flink " + command.get(0) + " failed (exit " + p.exitValue() + "):\n" + output);
        }
        return output;
    }

    /** Stops every process of the folder: SIGTERM, then SIGKILL after {@code grace}; returns what it stopped. */
    public List<String> stop(Duration grace) throws IOException {
        List<String> stopped = new ArrayList<>();
        for (String name : folder.recorded()) {
            Optional<ProcessHandle> p = folder.running(name);
            if (p.isPresent()) {
                p.get().destroy();
                try {
                    p.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    p.get().destroyForcibly();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException(new IOException("interrupted while stopping " + name));
                }
                stopped.add(name);
            }
            Files.deleteIfExists(folder.pidFile(name));
        }
        return stopped;
    }
}
