package org.fmfstream.model.eval;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.fmfstream.model.data.WindowSample;

/**
 * Every scored window of one model as a CSV row: what is known of the window and everything the
 * decision saw. It lets an engineer study what the summary tables hide, e.g. how the abnormal
 * probability and the mask's strongest pixel rise over an episode's first seconds, or try another rule
 * without scoring again.
 */
final class WindowScoresCsv implements AutoCloseable {

    static final String HEADER = "recording,frame,seconds,abnormal,episode,mist,probability,video_head,current_head,"
            + "mask_pixels,max_mask_probability,flagged";

    private final Writer out;

    WindowScoresCsv(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = Files.newBufferedWriter(file);
        out.write(HEADER);
        out.write('\n');
    }

    /** File name for a variant, e.g. {@code windows-cross.csv}. */
    static String fileName(String variant) {
        return "windows-" + variant.replaceAll("[^A-Za-z0-9._-]", "_") + ".csv";
    }

    /**
     * @param videoHead   P(abnormal) of the video class head alone, NaN when the model has none
     * @param currentHead the same for the current class head
     */
    void add(WindowSample sample, double probability, double videoHead, double currentHead, int maskPixels,
             double maxMaskProbability, boolean flagged) throws IOException {
        out.write(String.format(Locale.ROOT, "%s,%d,%.3f,%d,%d,%.3f,%.6g,%.6g,%.6g,%d,%.4f,%d%n", sample.recording(),
                sample.frame(), sample.timeMicros() / 1e6, sample.abnormal() ? 1 : 0, sample.episode(), sample.mist(),
                probability, videoHead, currentHead, maskPixels, maxMaskProbability, flagged ? 1 : 0));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
