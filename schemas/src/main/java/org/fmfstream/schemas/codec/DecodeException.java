package org.fmfstream.schemas.codec;

/** Thrown only by {@link Decoded#orElseThrow()}, for callers that prefer exceptions. */
public final class DecodeException extends RuntimeException {
    private final DecodeError error;

    public DecodeException(DecodeError error) {
        super(error.toString());
        this.error = error;
    }

    public DecodeError error() {
        return error;
    }
}
