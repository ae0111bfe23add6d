package org.fmfstream.jobs.alert;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.operators.alert.AlertConfig;
import org.fmfstream.operators.alert.AnomalyEventSource;
import org.fmfstream.operators.alert.IncidentTracker;
import org.fmfstream.operators.output.FurnaceSinks;
import org.fmfstream.operators.records.RecordCodecTypeInfo;
import org.fmfstream.operators.output.SinkSettings;
import org.fmfstream.operators.input.FurnaceDeserializer;
import org.fmfstream.operators.input.FurnaceSources;
import org.fmfstream.operators.input.Ingested;
import org.fmfstream.operators.input.SourceSettings;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.Topics;

/**
 * The alert job: per-window verdicts in, incidents out.
 *
 * <pre>
 * fmf.anomaly.events --decode--> keyBy furnace --> IncidentTracker --+--> fmf.alerts (exactly-once)
 *        \__ undecodable, far-future, unknown furnace ____________   +--> webhook (optional, at-least-once)
 *                                                                 \--> fmf.deadletters
 * </pre>
 *
 * A separate job from the detection job, so that alert rules (k, n, quiet period) change and
 * restart without touching inference, and so that a replay of the events topic re-derives the
 * incidents alone. Stateful operators have fixed uids.
 */
public final class AlertJob {
    public static final String JOB_NAME = "fmf-alerts";

    /**
     * Everything the job needs.
     *
     * @param webhook null for no webhook
     */
    public record Settings(SourceSettings events, SinkSettings alerts, SinkSettings deadLetters, AlertConfig alert,
                           Duration outOfOrderness, Duration idleness, WebhookSettings webhook) {
        public Settings {
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(alerts, "alerts");
            Objects.requireNonNull(deadLetters, "deadLetters");
            Objects.requireNonNull(alert, "alert");
            Objects.requireNonNull(outOfOrderness, "outOfOrderness");
        }
    }

    private AlertJob() {}

    /**
     * Settings from the job configuration: its Kafka, events and dead-letter topics, start position,
     * watermarks and delivery; consumer group {@code <group.id>-alerts} and transactional ids
     * {@code <transactional.id.prefix>-alerts-*}, so that it never collides with the detection job.
     */
    public static Settings settings(JobConfig config, String alertsTopic, AlertConfig alert, WebhookSettings webhook) {
        SourceSettings events = new SourceSettings(config.bootstrapServers(), config.kafkaProperties(),
                config.eventsTopic(), config.groupId() + "-alerts", config.startFrom(), config.stoppingOffsets(),
                config.inputRules());
        String prefix = config.transactionalIdPrefix() + "-alerts";
        SinkSettings alerts = new SinkSettings(config.bootstrapServers(), config.kafkaProperties(),
                alertsTopic == null ? Topics.ALERTS : alertsTopic, config.delivery(), prefix,
                config.transactionTimeout());
        return new Settings(events, alerts, alerts.withTopic(config.deadLettersTopic(), prefix), alert,
                config.outOfOrderness(), config.idleness(), webhook);
    }

    public static void define(StreamExecutionEnvironment env, Settings s) {
        FurnaceDeserializer<AnomalyEvent, AnomalyEvent> decoder = AnomalyEventSource.deserializer(s.events().rules());
        DataStream<Ingested<AnomalyEvent>> raw = env.fromSource(FurnaceSources.build(s.events(), decoder),
                        FurnaceSources.watermarks(decoder, s.outOfOrderness(), s.idleness()),
                        "events: " + s.events().topic())
                .uid("source-events");
        SingleOutputStreamOperator<AnomalyEvent> events = AnomalyEventSource.split(raw, "decode-events");

        SingleOutputStreamOperator<Incident> incidents = events
                .keyBy(e -> e.getFurnaceId())
                .process(new IncidentTracker(s.alert()), RecordCodecTypeInfo.incidents())
                .name("track incidents")
                .uid("incident-tracker");

        incidents.sinkTo(FurnaceSinks.incidents(s.alerts()))
                .name("alerts: " + s.alerts().topic())
                .uid("sink-alerts");
        if (s.webhook() != null) {
            incidents.sinkTo(new WebhookSink(s.webhook()))
                    .name("webhook: " + s.webhook().url())
                    .uid("sink-webhook");
        }
        events.getSideOutput(FurnaceSources.DEAD_LETTERS)
                .sinkTo(FurnaceSinks.deadLetters(s.deadLetters()))
                .name("dead letters: " + s.deadLetters().topic())
                .uid("sink-deadletters");
    }

    public static String describe(Settings s) {
        return String.format(Locale.ROOT, "%s: %s -> %s, open at %d of %d windows, clear after %ss quiet, %s%s",
                JOB_NAME, s.events().topic(), s.alerts().topic(), s.alert().k(), s.alert().n(),
                s.alert().quiet().toMillis() / 1000.0, s.alerts().deliveryGuarantee(),
                s.webhook() == null ? "" : ", webhook " + s.webhook().url());
    }
}
