package org.fmfstream.jobs.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Follows a growing file like {@code tail -F}, from its start: complete lines are returned as they
 * are appended; a last line still being written (no newline yet) waits for its end. When the file is
 * truncated it is read again from the start; when it is replaced (log rotation: renamed away and
 * created anew) the rest of the old file is read, then the new one from its start. Both are reported.
 */
public final class FollowedFile implements LineSource {
    private final Path path;
    private final long pollMillis;
    private final Consumer<String> notices;
    private final ArrayDeque<Line> ready = new ArrayDeque<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private FileChannel channel;
    private Object fileKey;
    private long position;
    private long number;
    private boolean missingReported;
    private volatile boolean stopped;

    private FollowedFile(Path path, long pollMillis, Consumer<String> notices) {
        this.path = path;
        this.pollMillis = pollMillis;
        this.notices = notices;
    }

    /** Opens {@code path}, which must exist, for following; {@code notices} hears truncation and rotation. */
    public static FollowedFile open(Path path, long pollMillis, Consumer<String> notices) throws IOException {
        FollowedFile f = new FollowedFile(path, pollMillis, notices);
        f.openCurrent();
        return f;
    }

    @Override
    public Line next() throws IOException, InterruptedException {
        while (ready.isEmpty()) {
            if (stopped) {
                return null;
            }
            if (readAvailable() == 0) {
                if (!checkTruncatedOrRotated()) {
                    Thread.sleep(pollMillis);
                    return ready.isEmpty() ? Line.IDLE : ready.poll();
                }
            }
        }
        return ready.poll();
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void close() throws IOException {
        if (partial.size() > 0) {
            notices.accept(path + ": the last line (" + partial.size() + " bytes) had no end yet and was not read");
        }
        if (channel != null) {
            channel.close();
        }
    }

    private void openCurrent() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.READ);
        fileKey = key(path);
        position = 0;
        number = 0;
        partial.reset();
    }

    /** Reads what was appended since the last read; returns the bytes read. */
    private int readAvailable() throws IOException {
        int total = 0;
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                return total;
            }
            position += n;
            total += n;
            buffer.flip();
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    emit();
                } else {
                    partial.write(b);
                }
            }
        }
    }

    private void emit() {
        String text = partial.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        partial.reset();
        ready.add(new Line(++number, text));
    }

    /** Handles a shrunk or replaced file; returns true when there may be new data to read at once. */
    private boolean checkTruncatedOrRotated() throws IOException {
        Object currentKey;
        try {
            currentKey = key(path);
        } catch (NoSuchFileException e) {
            if (!missingReported) {
                notices.accept(path + " disappeared; waiting for it to come back");
                missingReported = true;
            }
            return false;
        }
        if (missingReported || (fileKey != null && !Objects.equals(currentKey, fileKey))) {
            missingReported = false;
            // The old file is complete: its unterminated last line is a line.
            readAvailable();
            if (partial.size() > 0) {
                emit();
            }
            channel.close();
            openCurrent();
            notices.accept(path + " was replaced (rotated); following the new file from its start");
            return true;
        }
        long size = channel.size();
        if (size < position) {
            if (partial.size() > 0) {
                notices.accept(path + ": dropped an unfinished line of " + partial.size() + " bytes");
            }
            notices.accept(path + " was truncated to " + size + " bytes; reading it again from the start");
            position = 0;
            number = 0;
            partial.reset();
            return true;
        }
        return false;
    }

    private static Object key(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }
}
