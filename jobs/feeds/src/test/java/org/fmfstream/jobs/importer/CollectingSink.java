package org.fmfstream.jobs.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * A sink that keeps what it is given, in delivery order, after passing every record through the
 * contract codecs (encode, decode, validate) as the Kafka sink and the job would. Thread-safe for one
 * producer and concurrent readers, so follow tests can poll it.
 */
public final class CollectingSink implements FurnaceRecordSink {
    private final RecordCodec<VideoFrame> frameCodec = RecordCodec.videoFrames(0, 0);
    private final RecordCodec<CurrentSample> currentCodec = RecordCodec.currentSamples();
    public final List<VideoFrame> frames = new CopyOnWriteArrayList<>();
    public final List<CurrentSample> currents = new CopyOnWriteArrayList<>();
    /** Both kinds in delivery order: VideoFrame or CurrentSample. */
    public final List<Object> all = new CopyOnWriteArrayList<>();
    public volatile int flushes;
    public volatile boolean closed;

    @Override
    public void frame(VideoFrame frame) {
        VideoFrame checked = frameCodec.decode(frameCodec.encode(frame)).orElseThrow();
        frames.add(checked);
        all.add(checked);
    }

    @Override
    public void current(CurrentSample sample) {
        CurrentSample checked = currentCodec.decode(currentCodec.encode(sample)).orElseThrow();
        currents.add(checked);
        all.add(checked);
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Event times of all delivered records, in delivery order. */
    public List<Long> eventTimes() {
        List<Long> times = new ArrayList<>();
        for (Object o : all) {
            times.add(o instanceof VideoFrame f ? f.getEventTimeMicros() : ((CurrentSample) o).getEventTimeMicros());
        }
        return times;
    }
}
