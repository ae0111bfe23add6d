package org.fmfstream.operators.alert;

import java.io.Serializable;
import java.time.Duration;

/**
 * When {@link IncidentTracker} opens and clears an incident.
 *
 * @param k     anomalous windows among the last {@code n} that open an incident (1..n)
 * @param n     how many of a furnace's latest windows are looked at (1..1024)
 * @param quiet event time without an anomalous window after which an open incident clears (> 0)
 */
public record AlertConfig(int k, int n, Duration quiet) implements Serializable {

    /**
     * 3 of 5: one or two isolated anomalous windows (a flame flicker, a mist gust) do not page
     * anyone, a burn-through that lasts three seconds does. 30 s quiet: a hot spot seen through
     * moving mist comes and goes for a few seconds, so a shorter quiet period would close and
     * reopen the same incident.
     */
    public static final AlertConfig DEFAULTS = new AlertConfig(3, 5, Duration.ofSeconds(30));

    public AlertConfig {
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("n must be in [1, 1024], got " + n);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, n=" + n + "], got " + k);
        }
        if (quiet == null || quiet.isNegative() || quiet.isZero()) {
            throw new IllegalArgumentException("quiet period must be > 0, got " + quiet);
        }
    }

    public long quietMicros() {
        return quiet.toNanos() / 1000;
    }
}
