package org.fmfstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.fmfstream.schemas.Degradation;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.IncidentKind;
import org.fmfstream.schemas.IncidentRegion;
import org.fmfstream.schemas.ModelInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook client against a real HTTP server (the JDK's) on loopback. */
class WebhookClientTest {
    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final List<String> ids = new CopyOnWriteArrayList<>();

    /** Starts a server answering the statuses in turn (the last one repeats); delay before each answer. */
    private URI serve(Duration delay, int... statuses) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            ids.add(exchange.getRequestHeaders().getFirst("X-Fmf-Incident-Id"));
            int call = calls.getAndIncrement();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(statuses[Math.min(call, statuses.length - 1)], -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    static Incident incident() {
        return Incident.newBuilder()
                .setFurnaceId("F01").setIncidentId("F01-1735689604000000").setKind(IncidentKind.INCIDENT_UPDATED)
                .setEventTimeMicros(1_735_689_605_000_000L).setOpenedAtMicros(1_735_689_604_000_000L)
                .setFirstAnomalyMicros(1_735_689_601_000_000L).setLastAnomalyMicros(1_735_689_605_000_000L)
                .setClearedAtMicros(null).setAnomalousWindows(4).setTotalWindows(5).setPeakProbability(0.9)
                .setPeakWindowEndMicros(1_735_689_605_000_000L).setPeakAreaFraction(null)
                .setPeakRegion(IncidentRegion.newBuilder().setX(10).setY(20).setWidth(3).setHeight(4).build())
                .setDegraded(true).setDegradations(List.of(Degradation.VIDEO_MISSING)).setDegradedWindows(1)
                .setModel(ModelInfo.newBuilder().setName("fmformer-xs").setVersion("1").setSha256("ab").build())
                .setEmitTimeMillis(1_735_689_700_000L).build();
    }

    static final String JSON = "{\"furnaceId\":\"F01\",\"incidentId\":\"F01-1735689604000000\","
            + "\"kind\":\"INCIDENT_UPDATED\",\"eventTimeMicros\":1735689605000000,"
            + "\"openedAtMicros\":1735689604000000,\"firstAnomalyMicros\":1735689601000000,"
            + "\"lastAnomalyMicros\":1735689605000000,\"clearedAtMicros\":null,\"anomalousWindows\":4,"
            + "\"totalWindows\":5,\"peakProbability\":0.9,\"peakWindowEndMicros\":1735689605000000,"
            + "\"peakAreaFraction\":null,\"peakRegion\":{\"x\":10,\"y\":20,\"width\":3,\"height\":4},"
            + "\"degraded\":true,\"degradations\":[\"VIDEO_MISSING\"],\"degradedWindows\":1,"
            + "\"model\":{\"name\":\"fmformer-xs\",\"version\":\"1\",\"sha256\":\"ab\"},"
            + "\"emitTimeMillis\":1735689700000}";

    @Test
    void postsTheIncidentAsPlainJson() throws Exception {
        URI url = serve(Duration.ZERO, 204);
        WebhookClient client = new WebhookClient(new WebhookSettings(url, Duration.ofSeconds(5), 0, Duration.ZERO));
        int attempts = client.post(incident());
        assertThat(bodies).containsExactly(JSON);
        assertThat(contentTypes).containsExactly("application/json");
        assertThat(ids).containsExactly("F01-1735689604000000");
        assertThat(attempts).isEqualTo(1);
    }

    @Test
    void retriesUntilTheReceiverAccepts() throws Exception {
        URI url = serve(Duration.ZERO, 500, 502, 200);
        WebhookClient client = new WebhookClient(new WebhookSettings(url, Duration.ofSeconds(5), 5, Duration.ofMillis(10)));
        int attempts = client.post(incident());
        assertThat(bodies).containsExactly(JSON, JSON, JSON);
        assertThat(attempts).isEqualTo(3);
    }

    @Test
    void failsAfterTheLastRetrySoTheJobRestartsAndResends() throws Exception {
        URI url = serve(Duration.ZERO, 503);
        WebhookClient client = new WebhookClient(new WebhookSettings(url, Duration.ofSeconds(5), 2, Duration.ofMillis(10)));
        assertThatThrownBy(() -> client.post(incident()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("after 3 attempts; last: HTTP 503");
        assertThat(bodies).hasSize(3);
    }

    @Test
    void aSlowReceiverTimesOut() throws Exception {
        URI url = serve(Duration.ofSeconds(3), 200);
        WebhookClient client = new WebhookClient(new WebhookSettings(url, Duration.ofMillis(200), 0, Duration.ZERO));
        assertThatThrownBy(() -> client.post(incident()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("after 1 attempts; last: " + HttpTimeoutException.class.getSimpleName());
    }

    @Test
    void aRefusedConnectionIsRetriedThenFails() throws Exception {
        URI url = serve(Duration.ZERO, 200);
        server.stop(0);
        server = null;
        WebhookClient client = new WebhookClient(new WebhookSettings(url, Duration.ofSeconds(2), 1, Duration.ofMillis(10)));
        assertThatThrownBy(() -> client.post(incident()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("after 2 attempts");
        assertThat(bodies).isEmpty();
    }

    @Test
    void settingsRefuseNonHttpUrls() {
        assertThatThrownBy(() -> WebhookSettings.of("ftp://x/y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http or https");
    }
}
