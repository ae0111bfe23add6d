package org.fmfstream.model.dataset;

/**
 * Input that cannot be a benchmark layout (missing files, wrong dataset shapes or types, rows that
 * do not match the frames). The message names the file and what is wrong, ready for the user.
 */
public final class BenchmarkFormatException extends RuntimeException {
    public BenchmarkFormatException(String message) {
        super(message);
    }

    public BenchmarkFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
