package org.fmfstream.jobs.job;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;

/**
 * A {@link FurnaceRecordSink} that passes every record on (or nowhere) and remembers what the job
 * will see: per furnace the camera times of the frames and the PLC times of the readings (for
 * {@link ExpectedWindows}), the non-empty ground-truth masks by frame sequence number (for IoU),
 * and optionally the records themselves in delivery order (to publish them again elsewhere).
 */
final class RecordedInput implements FurnaceRecordSink {
    private final FurnaceRecordSink next;
    private final boolean keepRecords;
    final Map<String, List<Long>> frameTimes = new TreeMap<>();
    final Map<String, List<Long>> readingTimes = new TreeMap<>();
    final Map<String, Long> lastSampleTimes = new TreeMap<>();
    final Map<String, byte[]> truthMasks = new HashMap<>();
    /** VideoFrame or CurrentSample, in delivery order; empty unless keepRecords. */
    final List<Object> records = new ArrayList<>();

    RecordedInput(FurnaceRecordSink next, boolean keepRecords) {
        this.next = next;
        this.keepRecords = keepRecords;
    }

    @Override
    public void frame(VideoFrame frame) {
        String furnace = frame.getFurnaceId().toString();
        frameTimes.computeIfAbsent(furnace, k -> new ArrayList<>()).add(frame.getEventTimeMicros());
        ByteBuffer mask = frame.getGroundTruthMask();
        if (mask != null) {
            byte[] m = new byte[mask.remaining()];
            mask.duplicate().get(m);
            for (byte b : m) {
                if (b != 0) {
                    truthMasks.put(furnace + "/" + frame.getFrameSeq(), m);
                    break;
                }
            }
        }
        if (keepRecords) {
            records.add(frame);
        }
        if (next != null) {
            next.frame(frame);
        }
    }

    @Override
    public void current(CurrentSample sample) {
        String furnace = sample.getFurnaceId().toString();
        List<Long> times = readingTimes.computeIfAbsent(furnace, k -> new ArrayList<>());
        for (int k = 0; k < sample.getPhaseA().size(); k++) {
            // As the job's CurrentBlock.readingTimeMicros computes it.
            times.add(sample.getEventTimeMicros() + Math.round(k * 1_000_000.0 / sample.getSampleRateHz()));
        }
        lastSampleTimes.merge(furnace, sample.getEventTimeMicros(), Math::max);
        if (keepRecords) {
            records.add(sample);
        }
        if (next != null) {
            next.current(sample);
        }
    }

    /** Ground truth of a frame, or null when the frame shows no burn-through. */
    byte[] truth(String furnace, long frameSeq) {
        return truthMasks.get(furnace + "/" + frameSeq);
    }

    @Override
    public void flush() {
        if (next != null) {
            next.flush();
        }
    }

    @Override
    public void close() {
        if (next != null) {
            next.close();
        }
    }
}
