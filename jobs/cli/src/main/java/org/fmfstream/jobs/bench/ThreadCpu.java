package org.fmfstream.jobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads by name, from {@code /proc/self/task} (Linux): where the
 * cores went during a part of a benchmark. It counts native threads too, which a Java profiler does
 * not see: libtorch's worker threads inherit the name of the thread that started them, so the
 * model's whole cost shows under the inference thread's name. Names are the kernel's (at most 15
 * characters); numbers in them are folded away so that a pool's threads add up.
 */
public final class ThreadCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Linux reports thread times in clock ticks of 1/100 s (USER_HZ) on every common platform. */
    private static final double SECONDS_PER_TICK = 0.01;
    /** Linux keeps this many characters of a thread's name (TASK_COMM_LEN - 1). */
    private static final int KERNEL_NAME_LENGTH = 15;

    private final Map<String, Long> ticksByTask;

    private ThreadCpu(Map<String, Long> ticksByTask) {
        this.ticksByTask = ticksByTask;
    }

    /** Whether this platform has {@code /proc/self/task}. */
    public static boolean available() {
        return Files.isDirectory(TASKS);
    }

    /** The CPU time (user + system) of every live thread now; empty where there is no /proc. */
    public static ThreadCpu now() {
        Map<String, Long> ticks = new HashMap<>();
        if (!available()) {
            return new ThreadCpu(ticks);
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // "tid (comm) state ..." where comm may hold spaces and parentheses: split after the last ')'.
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    String[] fields = stat.substring(close + 2).split(" ");
                    // fields[0] is the state (stat field 3); utime and stime are stat fields 14 and 15.
                    long cpu = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    ticks.put(task.getFileName() + " " + name, cpu);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + TASKS, e);
        }
        return new ThreadCpu(ticks);
    }

    /**
     * Both snapshots in one, each thread at its later reading: threads end and take their time with
     * them out of /proc, so a part of a benchmark whose threads end before it does (a bounded job)
     * is read by merging snapshots taken while it runs.
     */
    public ThreadCpu merge(ThreadCpu later) {
        Map<String, Long> merged = new HashMap<>(ticksByTask);
        later.ticksByTask.forEach((task, ticks) -> merged.merge(task, ticks, Math::max));
        return new ThreadCpu(merged);
    }

    /**
     * The name under which {@link #secondsSince} counts a Java thread named {@code threadName}: the
     * kernel's first 15 characters, digits folded to N.
     */
    public static String nameOf(String threadName) {
        return folded(threadName.substring(0, Math.min(threadName.length(), KERNEL_NAME_LENGTH)));
    }

    private static String folded(String kernelName) {
        return kernelName.replaceAll("\\d+", "N");
    }

    /**
     * CPU seconds spent between {@code before} and this snapshot, by thread name with digits folded
     * to N, largest first (threads started in between count from zero).
     */
    public Map<String, Double> secondsSince(ThreadCpu before) {
        Map<String, Double> byName = new HashMap<>();
        ticksByTask.forEach((task, ticks) -> {
            long spent = ticks - before.ticksByTask.getOrDefault(task, 0L);
            if (spent > 0) {
                String name = folded(task.substring(task.indexOf(' ') + 1));
                byName.merge(name, spent * SECONDS_PER_TICK, Double::sum);
            }
        });
        Map<String, Double> sorted = new LinkedHashMap<>();
        byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
