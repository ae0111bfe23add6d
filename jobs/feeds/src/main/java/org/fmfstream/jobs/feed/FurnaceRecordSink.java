package org.fmfstream.jobs.feed;

import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;

/**
 * Where the producers of furnace input (simulator, benchmark importer, video and current bridges)
 * deliver their records. Kafka in production ({@link KafkaFurnaceSink}); a tool may also write files.
 * Implementations need not be thread-safe.
 */
public interface FurnaceRecordSink extends AutoCloseable {

    void frame(VideoFrame frame);

    void current(CurrentSample sample);

    /** Blocks until everything delivered so far is durable; throws if any of it was lost. */
    void flush();

    @Override
    void close();
}
