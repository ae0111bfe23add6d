package org.fmfstream.model.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory layout of the public FMF benchmark ("FMFBenchmarkV2/pixel-level"):
 * {@code videos/NAME.mat} (HDF5: {@code data} uint8 [T, 3, W, H], {@code label} uint8 [T, W, H]),
 * {@code timestamps/NAME.csv} (one row per frame), {@code currents/NAME.csv} (time, A, B, C; two rows
 * a second) and the splits {@code train.json} / {@code test.json}.
 */
public final class BenchmarkLayout {
    public static final String VIDEOS = "videos";
    public static final String TIMESTAMPS = "timestamps";
    public static final String CURRENTS = "currents";
    public static final String VIDEO_EXTENSION = ".mat";
    public static final String CSV_EXTENSION = ".csv";
    public static final String DATA_DATASET = "data";
    public static final String LABEL_DATASET = "label";
    /** Wall-clock timestamps of the CSVs: second resolution, no zone (the plant's local time). */
    public static final DateTimeFormatter TIMESTAMP_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Current readings per second in the benchmark (the PLC's rate). */
    public static final double CURRENT_RATE_HZ = 2.0;

    /** The two frame-index splits the public loader reads. */
    public enum Split {
        TRAIN("train.json"), TEST("test.json");

        private final String fileName;

        Split(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }
    }

    private final Path root;

    private BenchmarkLayout(Path root) {
        this.root = root;
    }

    /** An existing layout; rejects a directory that has no {@code videos/} folder. */
    public static BenchmarkLayout open(Path root) {
        if (!Files.isDirectory(root)) {
            throw new BenchmarkFormatException(root + " is not a directory");
        }
        if (!Files.isDirectory(root.resolve(VIDEOS))) {
            throw new BenchmarkFormatException(root + " is not a benchmark layout directory: it has no "
                    + VIDEOS + "/ folder (expected videos/, timestamps/, currents/, train.json, test.json)");
        }
        return new BenchmarkLayout(root);
    }

    /** A layout to write into; creates the three folders when missing. */
    public static BenchmarkLayout create(Path root) throws IOException {
        for (String folder : List.of(VIDEOS, TIMESTAMPS, CURRENTS)) {
            Files.createDirectories(root.resolve(folder));
        }
        return new BenchmarkLayout(root);
    }

    public Path root() {
        return root;
    }

    public Path videoFile(String name) {
        return root.resolve(VIDEOS).resolve(name + VIDEO_EXTENSION);
    }

    public Path timestampFile(String name) {
        return root.resolve(TIMESTAMPS).resolve(name + CSV_EXTENSION);
    }

    public Path currentFile(String name) {
        return root.resolve(CURRENTS).resolve(name + CSV_EXTENSION);
    }

    public Path splitFile(Split split) {
        return root.resolve(split.fileName());
    }

    /** The key of a recording in the split files: the video's file name with its extension. */
    public static String splitKey(String name) {
        return name + VIDEO_EXTENSION;
    }

    /** NAMEs of the recordings, i.e. the {@code videos/*.mat} files, sorted. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve(VIDEOS))) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(VIDEO_EXTENSION) && !f.startsWith("."))
                    .map(f -> f.substring(0, f.length() - VIDEO_EXTENSION.length()))
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.resolve(VIDEOS), e);
        }
        return names;
    }

    /**
     * A recording name must survive the public loader, which takes the part of the file name before
     * the first dot, and must stay inside the layout.
     */
    public static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("recording name must not be blank");
        }
        if (name.contains(".") || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("recording name '" + name
                    + "' must not contain '.', '/' or '\\' (the public loader cuts names at the first dot)");
        }
    }

    /** The epoch second of a CSV timestamp, read as local time in {@code zone}. */
    public static long parseTimestamp(String text, ZoneId zone) {
        try {
            return LocalDateTime.parse(text.trim(), TIMESTAMP_FORMAT).atZone(zone).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a timestamp of the form yyyy-MM-dd HH:mm:ss");
        }
    }

    /** The CSV timestamp of the second holding {@code epochMillis}, as local time in {@code zone}. */
    public static String formatTimestamp(long epochMillis, ZoneId zone) {
        Instant second = Instant.ofEpochSecond(Math.floorDiv(epochMillis, 1000L));
        return TIMESTAMP_FORMAT.format(LocalDateTime.ofInstant(second, zone));
    }
}
