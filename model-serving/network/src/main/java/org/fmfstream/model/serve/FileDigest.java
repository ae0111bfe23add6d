package org.fmfstream.model.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.ParamsChecksumMismatchException;

/** SHA-256 of a model file, checked against a pinned value when one is given. */
final class FileDigest {

    private FileDigest() {}

    /**
     * The file's SHA-256 (lower-case hex); with {@code expected} non-null it must match, else
     * {@link ParamsChecksumMismatchException} names both and nothing is loaded.
     */
    static String verified(Path file, String expected) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file " + file + " does not exist");
        }
        String actual = FmFormerModel.sha256(file);
        if (expected != null && !actual.equals(expected.trim().toLowerCase(Locale.ROOT))) {
            throw new ParamsChecksumMismatchException(file, expected, actual);
        }
        return actual;
    }
}
