package org.fmfstream.model.dataset;

import java.util.Locale;

/** Parses one phase current (amperes) of a CSV export; only finite numbers are readings. */
public final class CurrentValue {
    private CurrentValue() {}

    /**
     * The current in {@code text}.
     *
     * @throws IllegalArgumentException when it is not a number, or NaN or infinite in any spelling the
     *                                  exporting tools use (Java's "NaN"/"Infinity", C's and pandas'
     *                                  "nan"/"inf")
     */
    public static float parse(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
        if (lower.equals("nan") || lower.equals("inf") || lower.equals("infinity")) {
            throw new IllegalArgumentException("current '" + t + "' is not a finite number");
        }
        float value;
        try {
            value = Float.parseFloat(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a current in amperes");
        }
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("current '" + t + "' is not a finite number");
        }
        return value;
    }
}
