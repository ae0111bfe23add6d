package org.fmfstream.jobs.feed;

import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.RecordPublisher;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.Topics;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;

/** Publishes frames and current samples to their Kafka topics, keyed by furnace id. */
public final class KafkaFurnaceSink implements FurnaceRecordSink {
    private final RecordPublisher publisher;
    private final String videoTopic;
    private final String currentTopic;
    // Encoding only: frames of any size may be published; the job validates what it reads.
    private final RecordCodec<VideoFrame> frames = RecordCodec.videoFrames(0, 0);
    private final RecordCodec<CurrentSample> currents = RecordCodec.currentSamples();
    private long framesSent;
    private long samplesSent;

    public KafkaFurnaceSink(KafkaSettings kafka) {
        this(new RecordPublisher(kafka), Topics.VIDEO_FRAMES, Topics.CURRENT_SAMPLES);
    }

    public KafkaFurnaceSink(RecordPublisher publisher, String videoTopic, String currentTopic) {
        this.publisher = publisher;
        this.videoTopic = videoTopic;
        this.currentTopic = currentTopic;
    }

    @Override
    public void frame(VideoFrame frame) {
        publisher.send(videoTopic, frame.getFurnaceId(), frame.getEventTimeMicros(), frames, frame);
        framesSent++;
    }

    @Override
    public void current(CurrentSample sample) {
        publisher.send(currentTopic, sample.getFurnaceId(), sample.getEventTimeMicros(), currents, sample);
        samplesSent++;
    }

    public long framesSent() {
        return framesSent;
    }

    public long samplesSent() {
        return samplesSent;
    }

    @Override
    public void flush() {
        publisher.flush();
    }

    @Override
    public void close() {
        publisher.close();
    }
}
