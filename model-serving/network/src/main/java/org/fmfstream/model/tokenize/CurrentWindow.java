package org.fmfstream.model.tokenize;

import java.util.Arrays;
import java.util.Objects;

/**
 * The current half of one window: the electrode-current readings (amperes) of the
 * {@link TokenizerSpec#currentSteps()} readings ending at the scored frame's time, oldest first,
 * one array per phase.
 *
 * <p>Fewer readings than a full window may be available (start of a batch, PLC gaps); the
 * tokenizer then stretches them to the full length as the reference does and flags the window.
 * With no readings at all the window has no current and the tokenizer writes zeros.
 */
public final class CurrentWindow {

    private final TokenizerSpec spec;
    /** [phase][reading], every phase the same length, at most spec.currentSteps(). */
    private final float[][] readings;

    private CurrentWindow(TokenizerSpec spec, float[][] readings) {
        this.spec = spec;
        this.readings = readings;
    }

    /**
     * A window from per-phase readings in amperes, oldest first. Arrays are copied. When more than
     * {@code spec.currentSteps()} readings are given, only the last (newest) ones are kept.
     *
     * @param spec          the window shape
     * @param phaseReadings exactly {@code spec.phases()} arrays of equal length (A, B, C)
     * @throws IllegalArgumentException on a wrong phase count, unequal lengths or a non-finite value
     */
    public static CurrentWindow of(TokenizerSpec spec, float[]... phaseReadings) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(phaseReadings, "phaseReadings");
        if (phaseReadings.length != spec.phases()) {
            throw new IllegalArgumentException("a current window needs " + spec.phases()
                    + " phases, got " + phaseReadings.length);
        }
        for (int p = 0; p < phaseReadings.length; p++) {
            if (phaseReadings[p] == null) {
                throw new IllegalArgumentException("readings of phase " + p + " are null");
            }
        }
        int given = phaseReadings[0].length;
        for (int p = 1; p < phaseReadings.length; p++) {
            if (phaseReadings[p].length != given) {
                throw new IllegalArgumentException("all phases need the same number of readings: phase 0 has "
                        + given + ", phase " + p + " has " + phaseReadings[p].length);
            }
        }
        int kept = Math.min(given, spec.currentSteps());
        int from = given - kept;
        float[][] copy = new float[phaseReadings.length][];
        for (int p = 0; p < phaseReadings.length; p++) {
            copy[p] = Arrays.copyOfRange(phaseReadings[p], from, given);
            for (int k = 0; k < kept; k++) {
                if (!Float.isFinite(copy[p][k])) {
                    throw new IllegalArgumentException("current reading " + (from + k) + " of phase " + p
                            + " is not finite: " + copy[p][k]);
                }
            }
        }
        return new CurrentWindow(spec, copy);
    }

    /** A window without any reading: the tokenizer writes zeros and sets the current-missing flag. */
    public static CurrentWindow missing(TokenizerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return new CurrentWindow(spec, new float[spec.phases()][0]);
    }

    public TokenizerSpec spec() {
        return spec;
    }

    /** Real readings kept, in [0, spec().currentSteps()]. */
    public int count() {
        return readings[0].length;
    }

    public boolean isMissing() {
        return count() == 0;
    }

    /** Some but not all readings are present, so tokenization repeats some of them. */
    public boolean isStretched() {
        int n = count();
        return n > 0 && n < spec.currentSteps();
    }

    /** Reading {@code k} (0 = oldest kept) of {@code phase}, amperes. */
    public float reading(int phase, int k) {
        return readings[phase][k];
    }

    @Override
    public String toString() {
        return "CurrentWindow[readings=" + count() + " of " + spec.currentSteps() + "]";
    }
}
