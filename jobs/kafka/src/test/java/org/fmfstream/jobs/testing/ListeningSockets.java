package org.fmfstream.jobs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, read from Linux's /proc: the socket inodes among our own
 * file descriptors, matched against the kernel's socket tables. Shows what really got bound, not
 * what a config says.
 */
public final class ListeningSockets {
    private static final String LISTEN = "0A";

    /** One listening socket: its address as text ("127.0.0.1", "0.0.0.0", "::") and port. */
    public record Listener(String address, int port) {
        public boolean isLoopback() {
            return address.startsWith("127.") || address.equals("::1");
        }
    }

    private ListeningSockets() {}

    public static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/fd")) && Files.isReadable(Path.of("/proc/net/tcp"));
    }

    public static List<Listener> ofThisProcess() {
        Set<String> inodes = ownSocketInodes();
        List<Listener> listeners = new ArrayList<>();
        listeners.addAll(parse(Path.of("/proc/net/tcp"), inodes));
        listeners.addAll(parse(Path.of("/proc/net/tcp6"), inodes));
        return listeners;
    }

    private static Set<String> ownSocketInodes() {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // The descriptor was closed between listing and reading: not a listener of ours.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    /** Lines of /proc/net/tcp[6]: "sl local_address rem_address st ... uid timeout inode ...". */
    private static List<Listener> parse(Path table, Set<String> inodes) {
        List<Listener> found = new ArrayList<>();
        if (!Files.exists(table)) {
            return found;
        }
        try {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals(LISTEN) || !inodes.contains(f[9])) {
                    continue;
                }
                String[] local = f[1].split(":");
                found.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The kernel prints addresses as 32-bit words in host (little-endian) byte order. */
    private static String address(String hex) {
        if (hex.length() == 8) {
            return ipv4(hex);
        }
        String prefix = hex.substring(0, 24);
        if (prefix.equals("0000000000000000FFFF0000")) {
            return ipv4(hex.substring(24));
        }
        if (hex.equals("00000000000000000000000000000000")) {
            return "::";
        }
        if (hex.equals("00000000000000000000000001000000")) {
            return "::1";
        }
        return "ipv6:" + hex;
    }

    private static String ipv4(String hex) {
        long word = Long.parseLong(hex, 16);
        return (word & 0xFF) + "." + ((word >> 8) & 0xFF) + "." + ((word >> 16) & 0xFF) + "." + ((word >> 24) & 0xFF);
    }
}
