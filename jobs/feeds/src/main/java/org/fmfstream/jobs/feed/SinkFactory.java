package org.fmfstream.jobs.feed;

import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.RecordPublisher;

/** How a publishing command gets its sink: Kafka in use, a collecting sink in the command tests. */
@FunctionalInterface
public interface SinkFactory {
    FurnaceRecordSink open(KafkaSettings kafka, String videoTopic, String currentTopic);

    static SinkFactory kafka() {
        return (kafka, videoTopic, currentTopic) -> new KafkaFurnaceSink(new RecordPublisher(kafka), videoTopic,
                currentTopic);
    }
}
