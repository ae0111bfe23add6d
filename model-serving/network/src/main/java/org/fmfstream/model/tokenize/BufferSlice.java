package org.fmfstream.model.tokenize;

import java.util.Objects;

/** Checks that a caller's output buffer can take one window's tokens before anything is written. */
final class BufferSlice {

    private BufferSlice() {
    }

    static void check(String name, float[] buffer, int offset, int length) {
        Objects.requireNonNull(buffer, name);
        if (offset < 0 || offset > buffer.length - length) {
            throw new IllegalArgumentException(name + " buffer of " + buffer.length + " floats cannot hold "
                    + length + " floats at offset " + offset);
        }
    }
}
