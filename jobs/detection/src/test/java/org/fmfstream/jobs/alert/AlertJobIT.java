package org.fmfstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.operators.alert.AlertConfig;
import org.fmfstream.operators.output.SinkSettings;
import org.fmfstream.operators.input.InputRules;
import org.fmfstream.operators.input.SourceSettings;
import org.fmfstream.operators.input.StartingOffsets;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.ModelInfo;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alert job, bounded, on a real broker and a local Flink: scripted events of three furnaces
 * (and one undecodable record) on an events topic become exactly the expected incidents on the
 * alerts topic (read_committed), the same incidents as JSON on a webhook, and one dead letter.
 */
class AlertJobIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** 2025-01-01T00:00:00Z in microseconds: replayed, old event times. */
    private static final long T0 = 1_735_689_600_000_000L;
    private static final long S = 1_000_000L;

    @Test
    void eventsBecomeExactlyTheExpectedIncidents() throws Exception {
        String events = kafka.createTopic("events", 2, Map.of());
        String alerts = kafka.createTopic("alerts", 2, Map.of());
        String dead = kafka.createTopic("dead", 1, Map.of());

        List<AnomalyEvent> script = new ArrayList<>();
        // F01: opens at 4 (3 of the 5 windows 0..4), grows at 5 and 7, clears 30 s after 7.
        double[] p = {0.1, 0.6, 0.7, 0.2, 0.65, 0.9, 0.85, 0.95};
        for (int i = 0; i < 45; i++) {
            script.add(event("F01", i, i < p.length ? p[i] : 0.1));
        }
        // F02: pairs of anomalous windows, never 3 of 5: no incident.
        for (int i = 0; i < 30; i++) {
            script.add(event("F02", i, i % 5 < 2 ? 0.9 : 0.1));
        }
        // F03: three degraded anomalous windows, then input ends: cleared by the final watermark.
        for (int i = 0; i < 5; i++) {
            script.add(i < 3 ? event("F03", i, 0.8, Degradation.VIDEO_MISSING) : event("F03", i, 0.2));
        }
        RecordCodec<AnomalyEvent> codec = RecordCodec.anomalyEvents();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.settings().clientProperties(Map.of(
                "key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class)))) {
            for (AnomalyEvent e : script) {
                producer.send(new ProducerRecord<>(events, null, e.getWindowEndMicros() / 1000,
                        e.getFurnaceId().getBytes(StandardCharsets.UTF_8), codec.encode(e))).get();
            }
            producer.send(new ProducerRecord<>(events, "F01".getBytes(StandardCharsets.UTF_8),
                    "not an event".getBytes(StandardCharsets.UTF_8))).get();
        }

        List<String> hooked = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", x -> {
            hooked.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        try {
            Configuration conf = new Configuration();
            conf.setString("rest.bind-address", "127.0.0.1");
            conf.setString("rest.bind-port", "0");
            conf.setString("jobmanager.bind-host", "127.0.0.1");
            conf.setString("taskmanager.bind-host", "127.0.0.1");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
            env.enableCheckpointing(500);

            SourceSettings source = new SourceSettings(kafka.bootstrapServers(), new Properties(), events,
                    "alert-it", StartingOffsets.EARLIEST, OffsetsInitializer.latest(),
                    new InputRules(Duration.ofHours(1), Set.of()));
            SinkSettings sink = SinkSettings.exactlyOnce(kafka.bootstrapServers(), new Properties(), alerts,
                    "alert-it-" + alerts);
            WebhookSettings hook = new WebhookSettings(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                    Duration.ofSeconds(5), 2, Duration.ofMillis(50));
            AlertJob.define(env, new AlertJob.Settings(source, sink, sink.withTopic(dead, "alert-it-" + dead),
                    AlertConfig.DEFAULTS, Duration.ofSeconds(2), Duration.ofSeconds(5), hook));
            long started = System.nanoTime();
            env.execute("alert-job-it");
            System.out.printf("AlertJobIT: %d events -> alerts in %.1f s%n", script.size(),
                    (System.nanoTime() - started) / 1e9);
        } finally {
            server.stop(0);
        }

        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(alerts, 4 + 2, TIMEOUT);
        RecordCodec<Incident> incidents = RecordCodec.incidents();
        Map<String, List<String>> byFurnace = new TreeMap<>();
        List<Incident> all = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Incident i = incidents.decode(r.value()).orElseThrow();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(i.getFurnaceId());
            assertThat(r.timestamp()).isEqualTo(i.getEventTimeMicros() / 1000);
            byFurnace.computeIfAbsent(i.getFurnaceId(), k -> new ArrayList<>()).add(line(i));
            all.add(i);
        }
        assertThat(byFurnace).containsOnlyKeys("F01", "F03");
        assertThat(byFurnace.get("F01")).containsExactly(
                "INCIDENT_OPENED @4 open@4 first@1 last@4 3/4 p=0.7@2 degraded=0 []",
                "INCIDENT_UPDATED @5 open@4 first@1 last@5 4/5 p=0.9@5 degraded=0 []",
                "INCIDENT_UPDATED @7 open@4 first@1 last@7 6/7 p=0.95@7 degraded=0 []",
                "INCIDENT_CLEARED @37 open@4 first@1 last@7 6/37 p=0.95@7 degraded=0 [] cleared@37");
        assertThat(byFurnace.get("F03")).containsExactly(
                "INCIDENT_OPENED @2 open@2 first@0 last@2 3/3 p=0.8@0 degraded=3 [VIDEO_MISSING]",
                "INCIDENT_CLEARED @32 open@2 first@0 last@2 3/5 p=0.8@0 degraded=3 [VIDEO_MISSING] cleared@32");
        assertThat(all).extracting(Incident::getIncidentId).containsOnly("F01-" + (T0 + 4 * S), "F03-" + (T0 + 2 * S));

        // The webhook got the same six incidents, as JSON, once each (no failure, so no resend).
        ObjectMapper json = new ObjectMapper();
        List<String> fromHook = new ArrayList<>();
        for (String body : hooked) {
            JsonNode n = json.readTree(body);
            fromHook.add(n.get("incidentId").asText() + " " + n.get("kind").asText() + " "
                    + n.get("eventTimeMicros").asLong());
        }
        assertThat(fromHook).containsExactlyInAnyOrderElementsOf(all.stream()
                .map(i -> i.getIncidentId() + " " + i.getKind() + " " + i.getEventTimeMicros()).toList());
        assertThat(hooked).containsExactlyInAnyOrderElementsOf(all.stream().map(IncidentJson::toJson).toList());

        List<DeadLetter> letters = kafka.consumeDecoded(dead, RecordCodec.deadLetters(), 1, TIMEOUT);
        assertThat(letters.get(0).getErrorKind()).isEqualTo("NOT_SINGLE_OBJECT");
        assertThat(letters.get(0).getSourceTopic()).isEqualTo(events);
    }

    private static String line(Incident i) {
        return i.getKind() + " @" + sec(i.getEventTimeMicros()) + " open@" + sec(i.getOpenedAtMicros())
                + " first@" + sec(i.getFirstAnomalyMicros()) + " last@" + sec(i.getLastAnomalyMicros()) + " "
                + i.getAnomalousWindows() + "/" + i.getTotalWindows() + " p=" + i.getPeakProbability() + "@"
                + sec(i.getPeakWindowEndMicros()) + " degraded=" + i.getDegradedWindows() + " "
                + i.getDegradations() + (i.getClearedAtMicros() == null ? "" : " cleared@" + sec(i.getClearedAtMicros()));
    }

    private static long sec(long micros) {
        return (micros - T0) / S;
    }

    private static AnomalyEvent event(String furnace, int second, double p, Degradation... degradations) {
        long end = T0 + second * S;
        return AnomalyEvent.newBuilder()
                .setFurnaceId(furnace).setWindowStartMicros(end - 360_000L).setWindowEndMicros(end)
                .setClipFrameSeqs(List.of()).setAnomalyProbability(p)
                .setDecision(p >= 0.5 ? Decision.ANOMALY : Decision.NORMAL).setThreshold(0.5)
                .setVideoLogits(List.of()).setCurrentLogits(List.of()).setDegradations(List.of(degradations))
                .setModel(ModelInfo.newBuilder().setName("fmformer-xs").setVersion("1").setSha256("ab".repeat(32))
                        .build())
                .setIngestTimeMillis(1L).setEmitTimeMillis(2L).build();
    }
}
