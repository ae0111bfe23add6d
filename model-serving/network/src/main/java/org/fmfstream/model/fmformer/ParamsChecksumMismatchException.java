package org.fmfstream.model.fmformer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The parameter file on disk is not the one the caller asked for: its SHA-256 differs from the
 * expected value, so the model is refused before any weight is read.
 */
public final class ParamsChecksumMismatchException extends IOException {

    private final Path paramsFile;
    private final String expectedSha256;
    private final String actualSha256;

    public ParamsChecksumMismatchException(Path paramsFile, String expectedSha256, String actualSha256) {
        super("FmFormer parameter file " + paramsFile + " has SHA-256 " + actualSha256
                + " but " + expectedSha256 + " was expected; refusing to load it");
        this.paramsFile = paramsFile;
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    public Path paramsFile() {
        return paramsFile;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    public String actualSha256() {
        return actualSha256;
    }
}
