package org.fmfstream.schemas.codec;

import java.util.function.Function;

/** Result of decoding one Kafka value: either a valid record or a typed error, never an exception. */
public sealed interface Decoded<T> {

    record Ok<T>(T value) implements Decoded<T> {}

    record Failed<T>(DecodeError error) implements Decoded<T> {}

    static <T> Decoded<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Decoded<T> failed(DecodeError.Kind kind, String message) {
        return new Failed<>(new DecodeError(kind, message));
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The record; throws {@link DecodeException} carrying the error when decoding failed. */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new DecodeException(((Failed<T>) this).error());
    }

    default DecodeError errorOrNull() {
        return this instanceof Failed<T> f ? f.error() : null;
    }

    default <R> Decoded<R> map(Function<? super T, R> f) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()));
        }
        return new Failed<>(((Failed<T>) this).error());
    }
}
