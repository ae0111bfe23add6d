package org.fmfstream.model.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a benchmark layout directory: the recording NAMEs, each recording (frames converted to the
 * contract's pixel order with their labels as ground-truth masks, frame and current event times) and
 * the train/test splits. CSV timestamps are read as local time in the reader's zone; rows that cannot
 * be used are reported to the warning consumer with file and line, never fatal.
 */
public final class BenchmarkReader {
    private final BenchmarkLayout layout;
    private final ZoneId zone;
    private final Consumer<String> warnings;

    private BenchmarkReader(BenchmarkLayout layout, ZoneId zone, Consumer<String> warnings) {
        this.layout = layout;
        this.zone = zone;
        this.warnings = warnings;
    }

    /** Opens a layout with timestamps in UTC, warnings to stderr. */
    public static BenchmarkReader open(Path dir) {
        return open(dir, ZoneOffset.UTC, System.err::println);
    }

    public static BenchmarkReader open(Path dir, ZoneId zone, Consumer<String> warnings) {
        return new BenchmarkReader(BenchmarkLayout.open(dir), zone, warnings);
    }

    public BenchmarkLayout layout() {
        return layout;
    }

    /** The recording NAMEs ({@code videos/NAME.mat}), sorted. */
    public List<String> names() {
        return layout.names();
    }

    /** Opens recording {@code name}; the caller closes it. */
    public BenchmarkRecording recording(String name) {
        if (!names().contains(name)) {
            throw new BenchmarkFormatException("no recording '" + name + "' in " + layout.root()
                    + " (there is no videos/" + name + ".mat; found " + names() + ")");
        }
        return BenchmarkRecording.open(layout, name, zone, warnings);
    }

    /** Whether the layout has the split file. */
    public boolean hasSplit(BenchmarkLayout.Split split) {
        return Files.isRegularFile(layout.splitFile(split));
    }

    /**
     * Frame indexes of a split per recording NAME (the file's keys without {@code .mat}), in file order.
     * Indexes are not checked against the frame counts.
     */
    public Map<String, int[]> split(BenchmarkLayout.Split split) {
        Path file = layout.splitFile(split);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BenchmarkFormatException(file + " is missing");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, int[]> byName = new LinkedHashMap<>();
        SplitJson.read(text, file.toString()).forEach((key, frames) -> byName.put(
                key.endsWith(BenchmarkLayout.VIDEO_EXTENSION)
                        ? key.substring(0, key.length() - BenchmarkLayout.VIDEO_EXTENSION.length()) : key,
                frames));
        return byName;
    }
}
