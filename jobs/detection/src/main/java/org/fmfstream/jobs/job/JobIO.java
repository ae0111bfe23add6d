package org.fmfstream.jobs.job;

import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.fmfstream.operators.input.CurrentBlock;
import org.fmfstream.operators.input.FurnaceFrame;
import org.fmfstream.operators.input.FurnaceSources;
import org.fmfstream.operators.input.Ingested;
import org.fmfstream.operators.output.FurnaceSinks;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.DeadLetter;

/**
 * Where the detection job reads and writes. {@link FurnaceAnomalyJob#define} receives them, so the
 * job's logic does not know Kafka: a plant's job gets the Kafka sources and sinks of its
 * configuration ({@link #kafka}); a test passes in-memory ones and needs no broker.
 *
 * @param frames      decoded frames (or dead letters) in event time per furnace
 * @param currents    decoded current blocks (or dead letters)
 * @param events      one anomaly event per decided window
 * @param masks       the masks of windows decided ANOMALY
 * @param deadLetters input and model outputs that could not be used, with the reason
 */
public record JobIO(Source<Ingested<FurnaceFrame>, ?, ?> frames, Source<Ingested<CurrentBlock>, ?, ?> currents,
                    Sink<AnomalyEvent> events, Sink<AnomalyMask> masks, Sink<DeadLetter> deadLetters) {

    public JobIO {
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(currents, "currents");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(masks, "masks");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /** The Kafka topics, consumer group, start/stop positions and delivery guarantee of {@code config}. */
    public static JobIO kafka(JobConfig config) {
        return new JobIO(
                FurnaceSources.build(config.frameSource(), FurnaceSources.frameDeserializer(config.inputRules())),
                FurnaceSources.build(config.currentSource(), FurnaceSources.currentDeserializer(config.inputRules())),
                FurnaceSinks.events(config.eventSink()),
                FurnaceSinks.masks(config.maskSink()),
                FurnaceSinks.deadLetters(config.deadLetterSink()));
    }
}
