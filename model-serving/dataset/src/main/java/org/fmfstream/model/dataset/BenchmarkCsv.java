package org.fmfstream.model.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the two CSV kinds of the layout. Both start with a header line (the public loader reads them
 * with pandas, which always takes line 1 as the header) and skip blank lines like pandas does.
 */
final class BenchmarkCsv {
    static final String TIMESTAMP_HEADER = "time";
    static final String CURRENT_HEADER = "time,A,B,C";

    private BenchmarkCsv() {}

    /**
     * The epoch second of every frame row of {@code timestamps/NAME.csv}. A row stands for a frame even
     * when its timestamp is unreadable, so such a row is reported and takes the second of the frame
     * before it (or after it, for leading rows) instead of being dropped, which would shift every later
     * frame's time.
     */
    static long[] readFrameSeconds(Path file, ZoneId zone, Consumer<String> warnings) throws IOException {
        List<Row> rows = dataRows(file);
        long[] seconds = new long[rows.size()];
        boolean[] known = new boolean[rows.size()];
        int firstKnown = -1;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String field = unquote(firstField(row.text()));
            try {
                seconds[i] = BenchmarkLayout.parseTimestamp(field, zone);
                known[i] = true;
                if (firstKnown < 0) {
                    firstKnown = i;
                }
            } catch (IllegalArgumentException e) {
                warnings.accept(file + " line " + row.number() + ": " + e.getMessage()
                        + "; the frame takes its neighbour's second");
            }
        }
        if (!rows.isEmpty() && firstKnown < 0) {
            throw new BenchmarkFormatException(file + " has no readable timestamp (expected yyyy-MM-dd HH:mm:ss)");
        }
        for (int i = 0; i < seconds.length; i++) {
            if (!known[i]) {
                seconds[i] = i < firstKnown ? seconds[firstKnown] : seconds[i - 1];
            }
        }
        return seconds;
    }

    /** The readings of {@code currents/NAME.csv}; malformed or non-finite rows are reported and skipped. */
    static List<CurrentReading> readCurrents(Path file, ZoneId zone, Consumer<String> warnings) throws IOException {
        List<Row> rows = dataRows(file);
        long[] seconds = new long[rows.size()];
        float[][] phases = new float[rows.size()][];
        int kept = 0;
        for (Row row : rows) {
            int line = row.number();
            String[] fields = row.text().split(",", -1);
            if (fields.length < 4) {
                warnings.accept(file + " line " + line + ": expected time,A,B,C but found "
                        + fields.length + " field(s); skipped");
                continue;
            }
            try {
                long second = BenchmarkLayout.parseTimestamp(unquote(fields[0]), zone);
                float[] abc = new float[3];
                for (int p = 0; p < 3; p++) {
                    abc[p] = parseCurrent(fields[p + 1]);
                }
                seconds[kept] = second;
                phases[kept] = abc;
                kept++;
            } catch (IllegalArgumentException e) {
                warnings.accept(file + " line " + line + ": " + e.getMessage() + "; skipped");
            }
        }
        long[] micros = SecondSpread.toMicros(Arrays.copyOf(seconds, kept));
        List<CurrentReading> readings = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            readings.add(new CurrentReading(micros[i], phases[i][0], phases[i][1], phases[i][2]));
        }
        return readings;
    }

    private static float parseCurrent(String text) {
        return CurrentValue.parse(unquote(text));
    }

    /** A data line and its 1-based line number in the file, for messages. */
    private record Row(int number, String text) {}

    /** Non-blank lines after the header. */
    private static List<Row> dataRows(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            boolean header = true;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                rows.add(new Row(number, line));
            }
        } catch (NoSuchFileException e) {
            throw new BenchmarkFormatException(file + " is missing");
        }
        return rows;
    }

    private static String firstField(String line) {
        int comma = line.indexOf(',');
        return comma < 0 ? line : line.substring(0, comma);
    }

    private static String unquote(String field) {
        String t = field.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1).trim();
        }
        return t;
    }
}
