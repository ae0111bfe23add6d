package org.fmfstream.jobs.alert;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.fmfstream.schemas.Incident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one incident as JSON ({@link IncidentJson}) and waits for a 2xx answer, retrying a failed
 * attempt (connection refused, timeout, any other status) with doubling back-off. When every
 * attempt failed it throws: the caller (the webhook sink) then fails the job, which restarts from
 * its last checkpoint and sends again. Hence at-least-once: a receiver may see an incident twice
 * and should de-duplicate by (incidentId, kind, eventTimeMicros).
 */
public final class WebhookClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookClient.class);

    private final WebhookSettings settings;
    private final HttpClient http;

    public WebhookClient(WebhookSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * POSTs the incident, retrying with exponential back-off; returns the attempt that the endpoint
     * accepted (1 = at once).
     *
     * @throws IOException when no attempt was accepted
     */
    public int post(Incident incident) throws IOException, InterruptedException {
        byte[] body = IncidentJson.toJson(incident).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("X-Fmf-Incident-Id", incident.getIncidentId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        Duration wait = settings.backoff();
        String last = null;
        for (int attempt = 1; attempt <= settings.retries() + 1; attempt++) {
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return attempt;
                }
                last = "HTTP " + response.statusCode();
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (attempt <= settings.retries()) {
                LOG.warn("webhook {} attempt {} for incident {} failed ({}); retrying in {} ms", settings.url(),
                        attempt, incident.getIncidentId(), last, wait.toMillis());
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
        throw new IOException("webhook " + settings.url() + " did not accept incident " + incident.getIncidentId()
                + " " + incident.getKind() + " after " + (settings.retries() + 1) + " attempts; last: " + last);
    }

    @Override
    public void close() {
        // HttpClient has no close() before Java 21; its threads end with the client.
    }
}
