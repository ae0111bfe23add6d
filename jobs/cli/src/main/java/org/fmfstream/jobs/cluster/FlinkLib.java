package org.fmfstream.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The jars of a Flink {@code lib/} for the local cluster, picked from the class path this command
 * runs with (the jobs module's runtime class path): Flink itself (runtime, clients, web UI, RPC),
 * its dependencies, logging, the Prometheus reporter, and DJL with the libtorch natives (Flink's
 * lib/ loads them parent-first, once per JVM: docs/deploy.md). Left out, as a Flink installation
 * has none of them: this project's own classes, every jar the shaded job jar bundles (its first
 * class is in the job jar), the Kafka broker, Scala, FFmpeg and the benchmarks' chart library.
 */
public final class FlinkLib {

    /** On the CLI's class path for ./fmf's own tools; a Flink installation has none of them. */
    private static final List<String> NOT_IN_FLINK = List.of(
            "/org/apache/kafka/kafka_", "/org/apache/kafka/kafka-server", "/org/apache/kafka/kafka-metadata",
            "/org/apache/kafka/kafka-raft", "/org/apache/kafka/kafka-storage", "/org/apache/kafka/kafka-group-coordinator",
            "/org/apache/kafka/kafka-coordinator", "/org/apache/kafka/kafka-transaction", "/org/apache/kafka/kafka-share",
            "/org/scala-lang/", "/org/bytedeco/", "/org/jfree/", "/com/fasterxml/jackson/dataformat/", "/info/picocli/");

    /** Maven paths of DJL, the libtorch natives and DJL's own dependencies (gson, JNA). */
    private static final List<String> IN_LIB_TOO = List.of("/ai/djl/", "/com/google/code/gson/", "/net/java/dev/jna/");

    private FlinkLib() {}

    /** The jars of lib/ out of {@code classPath}, given the job jar they must not repeat. */
    public static List<Path> pick(String classPath, Path jobJar) throws IOException {
        Set<String> bundled = entries(jobJar);
        List<Path> lib = new ArrayList<>();
        for (String element : classPath.split(File.pathSeparator)) {
            Path p = Path.of(element);
            if (element.isBlank() || !Files.isRegularFile(p) || !element.endsWith(".jar")) {
                continue; // our modules' classes directories
            }
            if (NOT_IN_FLINK.stream().anyMatch(element::contains)) {
                continue;
            }
            // DJL, libtorch and what DJL needs go to lib/ although the job jar bundles them too: Flink
            // loads ai.djl parent-first (docker-compose.yml's flink-lib/ holds the same six jars).
            boolean libtorch = IN_LIB_TOO.stream().anyMatch(element::contains);
            String probe = firstClass(p);
            if (!libtorch && probe != null && bundled.contains(probe)) {
                continue;
            }
            lib.add(p);
        }
        return lib;
    }

    private static String firstClass(Path jar) {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> e = z.entries();
            while (e.hasMoreElements()) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
                    return name;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static Set<String> entries(Path jar) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
        }
        return names;
    }
}
