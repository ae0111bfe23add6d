package org.fmfstream.jobs.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM, for
 * development ({@code ./fmf kafka}) and integration tests: no Docker, no download, only Kafka's own
 * server classes. It listens on 127.0.0.1 only, so nothing on the network can reach it.
 *
 * <p>Kafka's server classes are not a stable API; every use of them stays in this class so an
 * upgrade touches one file.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Written by the formatter; its presence means the directory already holds a broker's data. */
    static final String META_PROPERTIES = "meta.properties";
    /** Ports picked by us can be taken by someone else before Kafka binds them; retry that race. */
    private static final int FREE_PORT_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final long startupMillis;
    private boolean closed;

    private LocalKafkaBroker(KafkaRaftServer server, int port, int controllerPort, Path dataDir,
                             boolean deleteDataDirOnClose, long startupMillis) {
        this.server = server;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.startupMillis = startupMillis;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** "127.0.0.1:PORT", the value of bootstrap.servers for every client. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public KafkaSettings settings() {
        return KafkaSettings.of(bootstrapServers());
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Wall-clock time from {@link Builder#start()} until the broker served requests. */
    public long startupMillis() {
        return startupMillis;
    }

    /** Stops the broker and waits until its threads and files are released. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataDirOnClose) {
                deleteRecursively(dataDir);
            }
        }
    }

    /** How to start a broker. Port 0 means any free port. */
    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path dataDir;
        private boolean fresh;
        private Boolean deleteDataDirOnClose;

        private Builder() {}

        public Builder port(int port) {
            this.port = checkPort(port, "port");
            return this;
        }

        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort, "controller port");
            return this;
        }

        /** Where the broker keeps its logs; null (the default) uses a new temporary directory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Wipe the data directory before starting (only one that holds broker data, or is empty). */
        public Builder fresh(boolean fresh) {
            this.fresh = fresh;
            return this;
        }

        /** Default: true for the temporary directory, false for a given one. */
        public Builder deleteDataDirOnClose(boolean delete) {
            this.deleteDataDirOnClose = delete;
            return this;
        }

        /**
         * Formats the data directory if it is new, starts the broker and returns once it serves
         * requests.
         *
         * @throws PortInUseException when a requested port is taken
         * @throws StartupException when the broker cannot start for any other reason
         */
        public LocalKafkaBroker start() {
            if (port != 0 && port == controllerPort) {
                throw new StartupException("the broker and the controller need different ports, both are " + port);
            }
            long begin = System.nanoTime();
            // Taken ports are the common failure; find out before touching the data directory.
            if (port != 0) {
                requireFree(port, "port");
            }
            if (controllerPort != 0) {
                requireFree(controllerPort, "controller port");
            }
            boolean temporary = dataDir == null;
            Path dir = temporary ? createTempDir() : dataDir.toAbsolutePath().normalize();
            boolean delete = deleteDataDirOnClose != null ? deleteDataDirOnClose : temporary;
            try {
                prepareDataDir(dir, fresh);
                for (int attempt = 1; ; attempt++) {
                    int brokerPort = port != 0 ? requireFree(port, "port") : freePort();
                    int ctrlPort = controllerPort != 0 ? requireFree(controllerPort, "controller port") : freePort();
                    if (brokerPort == ctrlPort) {
                        continue;
                    }
                    try {
                        KafkaRaftServer server = startServer(brokerPort, ctrlPort, dir);
                        long millis = (System.nanoTime() - begin) / 1_000_000;
                        return new LocalKafkaBroker(server, brokerPort, ctrlPort, dir, delete, millis);
                    } catch (RuntimeException e) {
                        boolean pickedPorts = port == 0 || controllerPort == 0;
                        if (!isBindFailure(e) || !pickedPorts || attempt >= FREE_PORT_ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            } catch (RuntimeException e) {
                // Only what we created ourselves; a given directory keeps whatever it held.
                if (temporary) {
                    deleteRecursively(dir);
                }
                throw e instanceof StartupException se ? se
                        : new StartupException("Kafka did not start: " + rootMessage(e), e);
            }
        }
    }

    private static KafkaRaftServer startServer(int port, int controllerPort, Path dir) {
        KafkaConfig config = KafkaConfig.fromProps(serverProperties(port, controllerPort, dir));
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            // Returns once the broker is unfenced and accepts requests.
            server.startup();
            return server;
        } catch (RuntimeException e) {
            // A failed broker start leaves the controller half of the node running.
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Settings of the node; each differs from Kafka's default for a reason given beside it. */
    static Properties serverProperties(int port, int controllerPort, Path dir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // A static quorum of one voter: the controller address lives in the config, not in the
        // metadata log, so a restart on other ports still finds its data.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        // Loopback only, never the wildcard address: a dev broker must not be reachable from the plant.
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dir.toString());

        // Frames: RecordPublisher sends requests of up to 8 MiB; topics without their own limit take these.
        p.put("message.max.bytes", String.valueOf(FmfTopics.MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(FmfTopics.MAX_MESSAGE_BYTES));
        // Topics are created on purpose (FmfTopics), so a typo in a topic name fails loudly.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");

        // One node: internal topics cannot have more than one replica. Few partitions keep the first
        // consumer group and the first transaction fast. transaction.max.timeout.ms keeps its 15 min
        // default, which Flink's exactly-once Kafka sink relies on.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        // Tests and the simulator start consumers right away; waiting for more members is pointless.
        p.put("group.initial.rebalance.delay.ms", "0");

        // Sized for a dev box: 64 MiB segments, at most 1 GiB per partition unless a topic says
        // otherwise. Never deleted by age: record timestamps are event times, and replayed data is
        // months old (see FmfTopics.Retention).
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("log.retention.bytes", String.valueOf(1024L * 1024 * 1024));
        p.put("log.retention.ms", "-1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        // Two cores: Kafka's thread pools default to server sizes.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        return p;
    }

    /** Formats a new data directory; leaves a formatted one as it is so its records survive. */
    private static void prepareDataDir(Path dir, boolean fresh) {
        try {
            Files.createDirectories(dir);
            boolean formatted = Files.exists(dir.resolve(META_PROPERTIES));
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!formatted && !empty) {
                throw new StartupException(dir + " is neither empty nor a Kafka data directory (no "
                        + META_PROPERTIES + "); choose a new or empty directory");
            }
            if (formatted) {
                // Kafka's controller opens the metadata log before the broker takes the directory
                // lock: a second node on a live directory would write into the first one's log.
                requireUnlocked(dir);
            }
            if (fresh && formatted) {
                try (Stream<Path> entries = Files.list(dir)) {
                    entries.forEach(LocalKafkaBroker::deleteRecursively);
                }
                formatted = false;
            }
            if (!formatted) {
                format(dir);
            }
        } catch (IOException e) {
            throw new StartupException("cannot prepare the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Kafka holds this lock while a broker uses the directory; never wipe or share a live broker's data. */
    private static void requireUnlocked(Path dir) throws IOException {
        Path lockFile = dir.resolve(".lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new StartupException("another Kafka is using " + dir + "; stop it first");
            }
        } catch (OverlappingFileLockException e) {
            throw new StartupException("a Kafka in this process is using " + dir + "; stop it first");
        }
    }

    private static void format(Path dir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new StartupException("cannot format the Kafka data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (BindException e) {
            throw new PortInUseException(what, port);
        } catch (IOException e) {
            throw new StartupException("cannot check " + what + " " + port + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StartupException("cannot find a free port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("fmf-kafka-");
        } catch (IOException e) {
            throw new StartupException("cannot create a temporary data directory: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private static int checkPort(int port, String what) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " " + port + " is not a TCP port (0 = any free port)");
        }
        return port;
    }

    /** The local broker could not start. */
    public static class StartupException extends RuntimeException {
        StartupException(String message) {
            super(message);
        }

        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A port the caller asked for is already taken, most likely by another broker. */
    public static final class PortInUseException extends StartupException {
        private final int port;

        PortInUseException(String what, int port) {
            super(what + " " + port + " on " + HOST + " is already in use (another Kafka running?)");
            this.port = port;
        }

        public int port() {
            return port;
        }
    }
}
