package org.fmfstream.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.cli.Options;
import org.apache.flink.client.cli.CliFrontendParser;
import org.apache.flink.client.cli.DefaultCLI;
import org.apache.flink.client.cli.ProgramOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.fmfstream.jobs.cli.FmfCli;
import org.fmfstream.jobs.kafka.FmfTopics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * Docker cannot run in this build, so the repository's docker-compose.yml is checked by reading it:
 * images at the versions the build pins, the topics exactly as FmfTopics makes them for a plant,
 * one bootstrap address inside the network and JobConfig's default outside it, job and simulator
 * flags that their own parsers accept, Flink settings that are real Flink option keys. SnakeYAML
 * (already on the classpath through Kafka) because it resolves the file's anchors and merge keys.
 */
class DockerComposeTest {
    private static final Path COMPOSE = Path.of("..", "..", "docker-compose.yml");
    private static final String INTERNAL_BOOTSTRAP = "kafka:29092";

    private static Map<String, Object> services;
    private static String text;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        text = Files.readString(COMPOSE);
        try (Reader r = Files.newBufferedReader(COMPOSE)) {
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            services = (Map<String, Object>) root.get("services");
        }
        assertThat(services).containsOnlyKeys("kafka", "topics", "jobmanager", "taskmanager", "job", "simulator");
    }

    @Test
    void imagesAreThePinnedFlinkAndKafkaVersions() {
        String kafka = "apache/kafka:" + AppInfoParser.getVersion();
        String flink = "flink:" + EnvironmentInformation.getVersion() + "-java17";
        assertThat(kafka).isEqualTo("apache/kafka:4.2.0");
        assertThat(flink).isEqualTo("flink:2.2.1-java17");
        assertThat(service("kafka").get("image")).isEqualTo(kafka);
        assertThat(service("topics").get("image")).isEqualTo(kafka);
        for (String s : List.of("jobmanager", "taskmanager", "job", "simulator")) {
            assertThat(service(s).get("image")).as(s).isEqualTo(flink);
        }
    }

    @Test
    void brokerListensWhereJobConfigAndTheJobExpectIt() {
        Map<String, Object> env = env("kafka");
        // Outside: JobConfig's (and every ./fmf command's) default, loopback only.
        String outside = JobConfig.defaults().bootstrapServers();
        assertThat(outside).isEqualTo("127.0.0.1:9092");
        assertThat(list(service("kafka").get("ports"))).containsExactly(outside + ":9092");
        Map<String, String> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
        assertThat(advertised).containsExactly(Map.entry("INTERNAL", INTERNAL_BOOTSTRAP), Map.entry("EXTERNAL", outside));
        assertThat(listeners(env.get("KAFKA_LISTENERS")))
                .containsOnlyKeys("INTERNAL", "EXTERNAL", "CONTROLLER")
                .containsEntry("INTERNAL", ":29092").containsEntry("EXTERNAL", ":9092");
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(env.get("KAFKA_NODE_ID") + "@kafka:"
                + listeners(env.get("KAFKA_LISTENERS")).get("CONTROLLER").substring(1));
        assertThat(Uuid.fromString(String.valueOf(env.get("CLUSTER_ID")))).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(env.get("KAFKA_MESSAGE_MAX_BYTES")).isEqualTo(FmfTopics.MAX_MESSAGE_BYTES);
        assertThat(env.get("KAFKA_REPLICA_FETCH_MAX_BYTES")).isEqualTo(FmfTopics.MAX_MESSAGE_BYTES);
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
        assertThat(env.get("KAFKA_LOG_DIRS")).isEqualTo("/var/lib/kafka/data");
        assertThat(list(service("kafka").get("volumes"))).containsExactly("kafka-data:/var/lib/kafka/data");
    }

    @Test
    void topicsAreFmfTopicsWithThePlantSettings() {
        String script = String.valueOf(list(service("topics").get("command")).get(0));
        Map<String, Map<String, String>> created = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^create (\\S+)((?: \\S+=\\S+)+)$").matcher(script);
        while (m.find()) {
            Map<String, String> configs = new LinkedHashMap<>();
            for (String kv : m.group(2).trim().split(" ")) {
                configs.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            created.put(m.group(1), configs);
        }
        assertThat(created.keySet()).containsExactlyElementsOf(FmfTopics.names());
        for (FmfTopics.TopicSpec spec : FmfTopics.all()) {
            assertThat(created.get(spec.name())).as(spec.name())
                    .containsExactlyInAnyOrderEntriesOf(spec.configs(FmfTopics.Retention.BY_AGE));
        }
        assertThat(script).contains("--bootstrap-server " + INTERNAL_BOOTSTRAP, "--if-not-exists",
                "--replication-factor 1", "--partitions \"$$PARTITIONS\"");
        assertThat(env("topics").get("PARTITIONS")).isEqualTo("${FMF_PARTITIONS:-4}");
        assertThat(dependsOn("topics")).containsEntry("kafka", "service_healthy");
    }

    @Test
    void jobIsSubmittedFromTheShadedJarWithFlagsItsMainAccepts() throws Exception {
        List<String> command = strings(service("job").get("command"));
        assertThat(command.subList(0, 2)).containsExactly("flink", "run");
        // Flink's own CLI parser, as `flink run` reads the line.
        Options options = CliFrontendParser.getRunCommandOptions();
        // CliFrontend adds the options of its custom command lines; -m comes from DefaultCLI's.
        DefaultCLI defaultCli = new DefaultCLI();
        defaultCli.addGeneralOptions(options);
        defaultCli.addRunOptions(options);
        org.apache.commons.cli.CommandLine line = CliFrontendParser.parse(options,
                command.subList(2, command.size()).toArray(String[]::new), true);
        ProgramOptions program = ProgramOptions.create(line);
        assertThat(program.getEntryPointClassName()).isEqualTo(FurnaceAnomalyJobMain.class.getName());
        assertThat(program.getJarFilePath()).isEqualTo("/opt/fmf/fmf-job.jar");
        assertThat(line.hasOption(CliFrontendParser.DETACHED_OPTION.getOpt())).isTrue();
        assertThat(line.getOptionValue("m")).isEqualTo("jobmanager:8081");
        assertThat(strings(service("job").get("volumes"))).contains("./jobs/cli/target/fmf-job.jar:/opt/fmf/fmf-job.jar:ro");

        FurnaceAnomalyJobMain main = new FurnaceAnomalyJobMain();
        new CommandLine(main).parseArgs(program.getProgramArgs());
        JobConfig config = main.options.config();
        assertThat(config.bootstrapServers()).isEqualTo(INTERNAL_BOOTSTRAP);
        assertThat(List.of(config.framesTopic(), config.currentsTopic(), config.eventsTopic(), config.masksTopic(),
                config.deadLettersTopic())).containsExactlyElementsOf(FmfTopics.names().stream()
                .filter(name -> !name.equals(org.fmfstream.schemas.Topics.ALERTS)).toList()); // alerts: the alert job's
        assertThat(config.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(config.transactionTimeout().toMillis())
                .isLessThanOrEqualTo(((Number) env("kafka").get("KAFKA_TRANSACTION_MAX_TIMEOUT_MS")).longValue());

        // One predictor per slot: the job fills the TaskManager's slots and no more; no subtask of
        // a source would be idle for want of a partition.
        Map<String, Object> flink = flinkProperties("taskmanager");
        int slots = (Integer) flink.get(TaskManagerOptions.NUM_TASK_SLOTS.key());
        assertThat(config.parallelism()).isEqualTo(slots).isLessThanOrEqualTo(4);

        // Checkpoints on the volume that the JobManager and the TaskManager both mount there.
        assertThat(config.checkpointStorageUri()).isEqualTo("file:///opt/flink/checkpoints");
        for (String s : List.of("jobmanager", "taskmanager")) {
            assertThat(strings(service(s).get("volumes"))).as(s).contains("flink-checkpoints:/opt/flink/checkpoints",
                    "./jobs/cli/target/flink-lib:/opt/fmf/flink-lib:ro");
        }
        assertThat(dependsOn("job")).containsEntry("topics", "service_completed_successfully")
                .containsEntry("jobmanager", "service_healthy");
    }

    @Test
    void flinkSettingsAreFlinkKeysAndLoadDjlFromLib() {
        Set<String> known = Set.of(JobManagerOptions.ADDRESS.key(), RestOptions.ADDRESS.key(),
                TaskManagerOptions.NUM_TASK_SLOTS.key(), TaskManagerOptions.TOTAL_PROCESS_MEMORY.key(),
                JobManagerOptions.TOTAL_PROCESS_MEMORY.key(), CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL.key(),
                CoreOptions.FLINK_JVM_OPTIONS.key(), CheckpointingOptions.SAVEPOINT_DIRECTORY.key());
        // Flink's Prometheus reporter, named "prom": the factory must be a class Flink ships.
        String reporter = "metrics.reporter.prom.";
        for (String s : List.of("jobmanager", "taskmanager", "job")) {
            Map<String, Object> flink = flinkProperties(s);
            Set<String> keys = new java.util.TreeSet<>(flink.keySet());
            keys.removeIf(k -> k.equals(reporter + MetricOptions.REPORTER_FACTORY_CLASS.key()) || k.equals(reporter + "port"));
            assertThat(known).as(s).containsAll(keys);
            String factory = String.valueOf(flink.get(reporter + MetricOptions.REPORTER_FACTORY_CLASS.key()));
            assertThat(factory).isEqualTo(org.apache.flink.metrics.prometheus.PrometheusReporterFactory.class.getName());
            assertThat(flink.get(JobManagerOptions.ADDRESS.key())).isEqualTo("jobmanager");
            assertThat(String.valueOf(flink.get(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL.key())))
                    .isEqualTo("ai.djl.");
            assertThat(String.valueOf(flink.get(CoreOptions.FLINK_JVM_OPTIONS.key()))).contains("-Dai.djl.offline=true");
            String entry = String.join(" ", strings(service(s).get("entrypoint")));
            assertThat(entry).contains("cp /opt/fmf/flink-lib/*.jar /opt/flink/lib/", "exec /docker-entrypoint.sh");
        }
        assertThat(strings(service("jobmanager").get("ports"))).containsExactly("127.0.0.1:8081:8081");
        // The CUDA variant stays documented next to the TaskManager.
        assertThat(text).contains("#   PYTORCH_FLAVOR: cu128", "#   PYTORCH_LIBRARY_PATH:", "#           capabilities: [gpu]");
    }

    @Test
    void simulatorIsOptionalAndItsFlagsParse() {
        Map<String, Object> sim = service("simulator");
        assertThat(strings(sim.get("profiles"))).containsExactly("simulator");
        List<String> entry = strings(sim.get("entrypoint"));
        assertThat(entry).containsExactly("java", "-cp", "/opt/fmf/fmf-job.jar:/opt/flink/lib/*", FmfCli.class.getName());
        List<String> args = strings(sim.get("command"));
        CommandLine.ParseResult parsed = FmfCli.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("simulate");
        assertThat(parsed.subcommand().matchedOptionValue("--bootstrap-servers", "")).isEqualTo(INTERNAL_BOOTSTRAP);
    }

    // --- reading the file ---

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        Object s = services.get(name);
        assertThat(s).as("service %s", name).isInstanceOf(Map.class);
        return (Map<String, Object>) s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(String name) {
        return (Map<String, Object>) service(name).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependsOn(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) service(name).get("depends_on"))
                .forEach((k, v) -> out.put(k, String.valueOf(v.get("condition"))));
        return out;
    }

    /** FLINK_PROPERTIES: flat YAML that the image's entrypoint appends to Flink's config.yaml. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> flinkProperties(String name) {
        Object props = env(name).get("FLINK_PROPERTIES");
        assertThat(props).as("%s FLINK_PROPERTIES", name).isInstanceOf(String.class);
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load((String) props);
    }

    /** "INTERNAL://kafka:29092,EXTERNAL://..." as name -> host:port. */
    private static Map<String, String> listeners(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : String.valueOf(value).split(",")) {
            out.put(l.substring(0, l.indexOf("://")), l.substring(l.indexOf("://") + 3));
        }
        return out;
    }

    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return new ArrayList<>((List<?>) value);
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).flatMap(Stream::of).toList();
    }
}
