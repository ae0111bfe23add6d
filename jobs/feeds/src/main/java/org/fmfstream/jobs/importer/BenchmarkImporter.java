package org.fmfstream.jobs.importer;

import org.fmfstream.model.dataset.CurrentReading;
import org.fmfstream.model.dataset.BenchmarkRecording;
import org.fmfstream.model.dataset.BenchmarkReader;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkFrame;
import org.fmfstream.model.dataset.BenchmarkFormatException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.fmfstream.jobs.console.ProgressBar;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.schemas.CurrentSample;

/**
 * Replays benchmark recordings into a {@link FurnaceRecordSink} with their original event times:
 * per recording, frames (with their labels as ground-truth masks) and current readings are merged
 * into one event-time ordered sequence, so a consumer sees both modalities as the plant produced them.
 * Every selected recording is opened and checked before the first record goes out, so bad input
 * fails before anything is published.
 */
public final class BenchmarkImporter implements AutoCloseable {
    private final List<BenchmarkRecording> recordings;

    /** What was published. */
    public record Summary(int recordings, long frames, long currentReadings) {
        public long records() {
            return frames + currentReadings;
        }
    }

    private BenchmarkImporter(List<BenchmarkRecording> recordings) {
        this.recordings = recordings;
    }

    /**
     * Opens the recordings {@code names} of the layout (all of them when empty), checking each.
     *
     * @throws BenchmarkFormatException when a name is unknown, the layout has no recordings or a
     *                                  recording is malformed
     */
    public static BenchmarkImporter open(BenchmarkReader reader, List<String> names) {
        List<String> available = reader.names();
        if (available.isEmpty()) {
            throw new BenchmarkFormatException(reader.layout().root() + " has no recordings (no videos/*.mat files)");
        }
        List<String> selected = names == null || names.isEmpty() ? available : names;
        for (String name : selected) {
            if (!available.contains(name)) {
                throw new BenchmarkFormatException("no recording '" + name + "' in " + reader.layout().root()
                        + " (recordings: " + available + ")");
            }
        }
        List<BenchmarkRecording> opened = new ArrayList<>();
        try {
            for (String name : selected) {
                opened.add(reader.recording(name));
            }
        } catch (RuntimeException e) {
            opened.forEach(BenchmarkRecording::close);
            throw e;
        }
        return new BenchmarkImporter(opened);
    }

    public List<String> names() {
        return recordings.stream().map(BenchmarkRecording::name).toList();
    }

    /** Frames plus current readings of all selected recordings: the records {@link #publish} sends. */
    public long totalRecords() {
        long total = 0;
        for (BenchmarkRecording r : recordings) {
            total += r.frameCount() + (long) r.currents().size();
        }
        return total;
    }

    /**
     * Publishes every selected recording in turn, flushing the sink after each.
     *
     * @param progress advanced by one per record
     */
    public Summary publish(FurnaceRecordSink sink, FurnaceIdMapping furnaceIds, String cameraId,
                           EventTimePacer pacer, ProgressBar progress) throws InterruptedException {
        long frames = 0;
        long currents = 0;
        for (BenchmarkRecording rec : recordings) {
            String furnaceId = furnaceIds.furnaceId(rec.name());
            pacer.restart();
            Iterator<BenchmarkFrame> frameIt = rec.frames();
            List<CurrentReading> readings = rec.currents();
            int nextReading = 0;
            BenchmarkFrame nextFrame = frameIt.hasNext() ? frameIt.next() : null;
            while (nextFrame != null || nextReading < readings.size()) {
                if (Thread.interrupted()) {
                    sink.flush();
                    throw new InterruptedException("import interrupted");
                }
                // A reading and a frame of the same instant: the reading first, it was already known.
                boolean reading = nextFrame == null || (nextReading < readings.size()
                        && readings.get(nextReading).eventTimeMicros() <= nextFrame.eventTimeMicros());
                if (reading) {
                    CurrentReading r = readings.get(nextReading++);
                    pacer.await(r.eventTimeMicros());
                    sink.current(sample(furnaceId, r));
                    currents++;
                } else {
                    pacer.await(nextFrame.eventTimeMicros());
                    sink.frame(nextFrame.toVideoFrame(furnaceId, cameraId));
                    frames++;
                    nextFrame = frameIt.hasNext() ? frameIt.next() : null;
                }
                progress.advance(1);
            }
            sink.flush();
        }
        return new Summary(recordings.size(), frames, currents);
    }

    /** One reading per record keeps the interleaving with frames exact. */
    private static CurrentSample sample(String furnaceId, CurrentReading r) {
        return CurrentSample.newBuilder()
                .setFurnaceId(furnaceId)
                .setEventTimeMicros(r.eventTimeMicros())
                .setSampleRateHz(BenchmarkLayout.CURRENT_RATE_HZ)
                .setPhaseA(List.of(r.phaseA()))
                .setPhaseB(List.of(r.phaseB()))
                .setPhaseC(List.of(r.phaseC()))
                .build();
    }

    @Override
    public void close() {
        recordings.forEach(BenchmarkRecording::close);
    }
}
