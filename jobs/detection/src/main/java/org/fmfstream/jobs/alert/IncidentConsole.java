package org.fmfstream.jobs.alert;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.TopicAccess;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * What a furnace operator watching {@code ./fmf alerts} sees: one line per incident change as it
 * is committed to the alerts topic ({@code read_committed}, from the end), e.g.
 *
 * <pre>
 * 2025-01-01 00:00:04.000  F01  OPENED   p=0.930 area=-      windows 3/5   F01-1735689604000000
 * 2025-01-01 00:00:36.000  F01  CLEARED  p=0.950 area=-      windows 6/37  F01-1735689604000000
 * 2025-01-01 00:01:34.000  F02  OPENED   p=0.800 area=0.012  windows 3/5   DEGRADED VIDEO_MISSING  F02-...
 * </pre>
 *
 * The time is the incident's event time (camera clock, UTC).
 */
public final class IncidentConsole implements Runnable {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final KafkaSettings kafka;
    private final String topic;
    private final PrintStream out;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final RecordCodec<Incident> codec = RecordCodec.incidents();

    public IncidentConsole(KafkaSettings kafka, String topic, PrintStream out) {
        this.kafka = kafka;
        this.topic = topic;
        this.out = out;
    }

    public void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = TopicAccess.consumer(kafka, true)) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Decoded<Incident> d = codec.decode(r.value());
                    if (d instanceof Decoded.Ok<Incident> ok) {
                        out.println(line(ok.value()));
                    } else {
                        out.println("(undecodable record at " + r.topic() + "/" + r.partition() + "/" + r.offset()
                                + ": " + d.errorOrNull().message() + ")");
                    }
                    out.flush();
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One incident as one line. */
    public static String line(Incident i) {
        String kind = i.getKind().name().substring("INCIDENT_".length());
        String area = i.getPeakAreaFraction() == null ? "-" : String.format(Locale.ROOT, "%.3f", i.getPeakAreaFraction());
        String degraded = i.getDegraded()
                ? "  DEGRADED " + String.join(",", i.getDegradations().stream().map(Enum::name).toList())
                        + " (" + i.getDegradedWindows() + " windows)"
                : "";
        return String.format(Locale.ROOT, "%s  %s  %-8s p=%.3f area=%-6s windows %d/%d%s  %s",
                TIME.format(Instant.EPOCH.plusNanos(i.getEventTimeMicros() * 1000L)), i.getFurnaceId(), kind,
                i.getPeakProbability(), area, i.getAnomalousWindows(), i.getTotalWindows(), degraded,
                i.getIncidentId());
    }
}
