package org.fmfstream.jobs.alert;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the alert job POSTs incidents.
 *
 * @param url     http or https URL receiving one JSON incident per POST
 * @param timeout per attempt (connect and response)
 * @param retries further attempts after a failed one (connection error, timeout, non-2xx status)
 * @param backoff wait before the first retry, doubled for each further one
 */
public record WebhookSettings(URI url, Duration timeout, int retries, Duration backoff) implements Serializable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_RETRIES = 5;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);

    public WebhookSettings {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("webhook URL must be http or https, got " + url);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("webhook timeout must be > 0, got " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("webhook retries must be >= 0, got " + retries);
        }
        if (backoff == null || backoff.isNegative()) {
            throw new IllegalArgumentException("webhook backoff must be >= 0, got " + backoff);
        }
    }

    public static WebhookSettings of(String url) {
        return new WebhookSettings(URI.create(url), DEFAULT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_BACKOFF);
    }
}
