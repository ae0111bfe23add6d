package org.fmfstream.jobs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started from a test with the test classpath, to run a main class as a person would from a
 * shell (Kafka's console tools, the fmf CLI). Output goes to files so a chatty child never blocks.
 */
public final class JavaProcess {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JavaProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code mainClass} with {@code args}; output files go to {@code workDir}. */
    public static JavaProcess start(Path workDir, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(testClasspath());
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "stdout-", ".txt");
            Path err = Files.createTempFile(workDir, "stderr-", ".txt");
            Process p = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            return new JavaProcess(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    /**
     * The classpath of this test JVM. Surefire and failsafe may start it from a manifest-only jar,
     * so java.class.path alone can be a single booter jar; they publish the real one in a property.
     */
    public static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Waits for the exit; fails (and kills the process) if it runs longer than {@code timeout}. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("process still running after " + timeout + "\nstdout:\n" + stdout()
                        + "\nstderr:\n" + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted while waiting for the process", e);
        }
    }

    /** Waits until stdout contains {@code text}; fails if the process exits or time runs out first. */
    public String awaitStdout(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String out = stdout();
            if (out.contains(text)) {
                return out;
            }
            if (!process.isAlive()) {
                throw new AssertionError("process exited with " + process.exitValue() + " before printing '"
                        + text + "'\nstdout:\n" + out + "\nstderr:\n" + stderr());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("'" + text + "' not printed within " + timeout + "\nstdout:\n" + stdout()
                + "\nstderr:\n" + stderr());
    }

    /** Asks the process to stop as Ctrl-C or `kill` would (SIGTERM on Unix). */
    public void terminate() {
        process.destroy();
    }

    public void kill() {
        process.destroyForcibly();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            // Lenient decoding: a tool may print binary record values.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
