package org.fmfstream.model.eval;

/**
 * The one rule for a rate whose denominator is zero, shared by every metric here: the rate is
 * undefined and reported as {@link Double#NaN} (written "n/a" in Markdown and {@code null} in JSON),
 * never 0, because 0 would read as "the model got every one of these wrong" when there were none.
 */
final class Ratio {
    private Ratio() {}

    static double of(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }
}
