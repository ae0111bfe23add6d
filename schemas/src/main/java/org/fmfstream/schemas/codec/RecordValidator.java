package org.fmfstream.schemas.codec;

/**
 * Checks that a well-formed record makes physical sense. Returns null when the record is valid,
 * else a human-readable reason (reported with {@link DecodeError.Kind#INVALID}).
 */
@FunctionalInterface
public interface RecordValidator<T> {
    String problem(T record);

    static <T> RecordValidator<T> none() {
        return r -> null;
    }
}
