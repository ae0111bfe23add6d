package org.fmfstream.jobs.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code ingest-video} reads: a video file, whose frames carry their own timestamps, or a live
 * stream URL (rtsp://, http://, ...), whose frames are stamped with the wall clock when grabbed.
 */
public record VideoSource(String location, boolean live) {
    private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.+");

    /** Classifies {@code location}; a file must exist and be readable. */
    public static VideoSource of(String location) {
        if (URL.matcher(location).matches()) {
            if (location.toLowerCase(Locale.ROOT).startsWith("file://")) {
                return ofFile(Path.of(java.net.URI.create(location)));
            }
            return new VideoSource(location, true);
        }
        return ofFile(Path.of(location));
    }

    private static VideoSource ofFile(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(file + " is not a readable video file");
        }
        return new VideoSource(file.toString(), false);
    }

    /** A file's modification time in microseconds since the epoch (the default start time). */
    public long modifiedMicros() {
        try {
            return Files.getLastModifiedTime(Path.of(location)).to(java.util.concurrent.TimeUnit.MICROSECONDS);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the modification time of " + location + ": " + e.getMessage());
        }
    }
}
