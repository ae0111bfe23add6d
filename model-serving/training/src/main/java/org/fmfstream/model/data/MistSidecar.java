package org.fmfstream.model.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the simulator's per-frame truth {@code simulator/NAME.csv} (columns {@code frame,mist,episode})
 * that the benchmark layout has no place for. Real benchmark data has no sidecar; every frame's mist
 * is then NaN, so evaluation can tell "unknown" from "clear".
 */
final class MistSidecar {
    static final String FOLDER = "simulator";

    private MistSidecar() {}

    /** Mist level per frame index, NaN where unknown; {@code frames} entries. */
    static double[] read(Path layoutRoot, String recording, int frames) {
        return read(layoutRoot, recording, frames, new int[frames]);
    }

    /**
     * Mist level per frame index (NaN where unknown) and, into {@code episodes}, the episode index per
     * frame (-1 outside episodes or where unknown).
     */
    static double[] read(Path layoutRoot, String recording, int frames, int[] episodes) {
        double[] mist = new double[frames];
        Arrays.fill(mist, Double.NaN);
        Arrays.fill(episodes, -1);
        Path file = layoutRoot.resolve(FOLDER).resolve(recording + ".csv");
        if (!Files.isRegularFile(file)) {
            return mist;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.trim().startsWith("frame,mist")) {
                throw new IllegalArgumentException(file + " does not start with the header frame,mist,...");
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",");
                try {
                    int frame = Integer.parseInt(fields[0].trim());
                    if (frame >= 0 && frame < frames) {
                        mist[frame] = Double.parseDouble(fields[1].trim());
                        if (fields.length > 2) {
                            episodes[frame] = Integer.parseInt(fields[2].trim());
                        }
                    }
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + " is not 'frame,mist,...': " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return mist;
    }
}
