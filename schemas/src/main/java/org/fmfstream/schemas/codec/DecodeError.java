package org.fmfstream.schemas.codec;

import java.util.Objects;

/**
 * Why a record could not be decoded or failed validation. The kind is machine-readable (it becomes
 * {@code DeadLetter.errorKind}); the message says what a person needs to fix it.
 */
public record DecodeError(Kind kind, String message) {

    public enum Kind {
        /** Null or zero-length value. */
        EMPTY,
        /** Bytes do not start with the Avro single-object marker (C3 01). */
        NOT_SINGLE_OBJECT,
        /** Single-object header names a schema fingerprint the schema store does not know. */
        UNKNOWN_FINGERPRINT,
        /** The record ended before all fields were read. */
        TRUNCATED,
        /** Bytes are structurally not a record of the schema (bad lengths, bad union index...). */
        MALFORMED,
        /** Well-formed record whose content is impossible (wrong frame size, NaN current...). */
        INVALID
    }

    public DecodeError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
