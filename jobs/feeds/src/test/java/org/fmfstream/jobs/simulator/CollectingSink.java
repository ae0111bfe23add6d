package org.fmfstream.jobs.simulator;

import java.util.ArrayList;
import java.util.List;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;

/** A real in-memory sink: keeps every record in delivery order. */
final class CollectingSink implements FurnaceRecordSink {
    final List<Object> records = new ArrayList<>();
    final List<VideoFrame> frames = new ArrayList<>();
    final List<CurrentSample> samples = new ArrayList<>();
    /** Wall-clock time each record arrived, parallel to {@link #records}. */
    final List<Long> arrivedAtMillis = new ArrayList<>();
    int flushes;
    boolean closed;

    @Override
    public void frame(VideoFrame frame) {
        records.add(frame);
        arrivedAtMillis.add(System.currentTimeMillis());
        frames.add(frame);
    }

    @Override
    public void current(CurrentSample sample) {
        records.add(sample);
        arrivedAtMillis.add(System.currentTimeMillis());
        samples.add(sample);
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {
        closed = true;
    }
}
