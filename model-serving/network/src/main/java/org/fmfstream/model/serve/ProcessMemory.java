package org.fmfstream.model.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A process's resident set size as Linux reports it ({@code /proc/PID/status}), which counts what
 * the JVM heap does not: libtorch's native allocations and direct buffers.
 */
public final class ProcessMemory {

    private ProcessMemory() {}

    /** This process's peak RSS ({@code VmHWM}) in KiB; empty where Linux does not report it. */
    public static OptionalLong peakRssKiB() {
        return statusKiB("self", "VmHWM");
    }

    /** This process's current RSS ({@code VmRSS}) in KiB; empty where Linux does not report it. */
    public static OptionalLong rssKiB() {
        return statusKiB("self", "VmRSS");
    }

    /** Process {@code pid}'s current RSS ({@code VmRSS}) in KiB; empty when it has ended or Linux does not report it. */
    public static OptionalLong rssKiB(long pid) {
        return statusKiB(Long.toString(pid), "VmRSS");
    }

    private static OptionalLong statusKiB(String process, String field) {
        Path status = Path.of("/proc", process, "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    if (parts.length == 2 && parts[1].equals("kB")) {
                        return OptionalLong.of(Long.parseLong(parts[0]));
                    }
                }
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();   // no /proc (not Linux), or the process has just ended
        }
    }
}
