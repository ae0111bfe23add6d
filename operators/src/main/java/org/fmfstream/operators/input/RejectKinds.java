package org.fmfstream.operators.input;

/**
 * {@code DeadLetter.errorKind} values the sources add to the codec's
 * {@link org.fmfstream.schemas.codec.DecodeError.Kind} names (EMPTY, NOT_SINGLE_OBJECT,
 * UNKNOWN_FINGERPRINT, TRUNCATED, MALFORMED, INVALID).
 */
public final class RejectKinds {
    /** Event time more than the configured horizon (default 1 h) ahead of the job's wall clock. */
    public static final String FAR_FUTURE_TIMESTAMP = "FAR_FUTURE_TIMESTAMP";
    /** A well-formed furnace id that is not in the configured allow-list. */
    public static final String UNKNOWN_FURNACE = "UNKNOWN_FURNACE";
    /** A well-formed value outside what the furnace can physically produce (e.g. a 1e30 A current reading). */
    public static final String IMPLAUSIBLE_VALUE = "IMPLAUSIBLE_VALUE";

    private RejectKinds() {}
}
