package org.fmfstream.jobs.replay;

import org.fmfstream.jobs.kafka.TopicAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkWriter;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * {@code ./fmf replay --export-training DIR}: the frames and currents of a time range, straight from
 * the input topics (no model, no Flink), written in the benchmark layout so that
 * {@code ./fmf train --data DIR} learns from history. One recording per furnace, named
 * {@code <furnace>-<from epoch s>} ({@code <furnace>} alone for an open start); train.json lists
 * every {@code stride}-th frame.
 *
 * <p>Labels are the frames' {@code groundTruthMask} (simulator, annotated imports). A frame without
 * one has no label: the export refuses the range unless {@code unlabelledAsNormal}, which writes it
 * with an all-normal mask (only right where unlabelled means "checked, nothing there").
 *
 * <p>Frames with event time in {@code [from, to)}; current blocks from one {@code currentSpan}
 * (120 s) earlier, so the first frames' current windows are complete. Each furnace's records are
 * written in the order the topic holds them (one furnace = one partition, the producers' order); a
 * frame or block not later than the previous one of its furnace (a duplicate or an out-of-order
 * record) is dropped and counted, since the layout needs times in order. Memory stays bounded: the
 * writers spool to disk ({@link BenchmarkWriter}).
 */
public final class TrainingExport {
    /** Current a window looks back (AlignerConfig.currentSpan, the benchmark loader's 120 s). */
    static final Duration CURRENT_SPAN = Duration.ofSeconds(120);

    private TrainingExport() {}

    /** What was written. */
    public record Summary(Map<String, int[]> listed, Map<String, Integer> frames, Map<String, Long> currents,
                          long abnormalFrames, long droppedOutOfOrder, long undecodable) {
        public int listedCount() {
            return listed.values().stream().mapToInt(a -> a.length).sum();
        }
    }

    public static Summary export(KafkaSettings kafka, String framesTopic, String currentsTopic, ReplayRange range,
                                 Path dir, int stride, boolean unlabelledAsNormal, Consumer<String> progress)
            throws IOException {
        if (stride < 1) {
            throw new IllegalArgumentException("--stride must be >= 1, got " + stride);
        }
        Map<String, BenchmarkWriter> writers = new TreeMap<>();
        Map<String, Long> lastFrameMicros = new LinkedHashMap<>();
        Map<String, Long> lastBlockMicros = new LinkedHashMap<>();
        long[] counts = new long[3]; // abnormal, dropped, undecodable
        RecordCodec<VideoFrame> frameCodec = RecordCodec.videoFrames();
        RecordCodec<CurrentSample> currentCodec = RecordCodec.currentSamples();
        long fromMicros = range.fromMillis() == null ? Long.MIN_VALUE : range.fromMillis() * 1000;
        long toMicros = range.toMillis() == null ? Long.MAX_VALUE : range.toMillis() * 1000;
        String suffix = range.fromMillis() == null ? "" : "-" + Math.floorDiv(range.fromMillis(), 1000L);
        boolean ok = false;
        try {
            read(kafka, framesTopic, range.fromMillis(), range.toMillis(), r -> {
                Decoded<VideoFrame> d = frameCodec.decode(r.value());
                if (!d.isOk()) {
                    counts[2]++;
                    return;
                }
                VideoFrame f = d.orElseThrow();
                long t = f.getEventTimeMicros();
                if (t < fromMicros || t >= toMicros) {
                    return;
                }
                String furnace = f.getFurnaceId().toString();
                Long last = lastFrameMicros.get(furnace);
                if (last != null && t <= last) {
                    counts[1]++;
                    return;
                }
                ByteBuffer mask = f.getGroundTruthMask();
                if (mask == null && !unlabelledAsNormal) {
                    throw new IllegalStateException("frame " + f.getFrameSeq() + " of " + furnace + " at "
                            + java.time.Instant.ofEpochMilli(t / 1000) + " has no ground-truth mask: the range is not"
                            + " labelled; pass --unlabelled-as-normal to write such frames as normal");
                }
                if (mask != null && abnormal(mask)) {
                    counts[0]++;
                }
                lastFrameMicros.put(furnace, t);
                try {
                    BenchmarkWriter w = writers.get(furnace);
                    if (w == null) {
                        w = BenchmarkWriter.create(dir, furnace + suffix, f.getWidth(), f.getHeight());
                        writers.put(furnace, w);
                    }
                    w.addFrame(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (writers.isEmpty()) {
                throw new IllegalStateException("no frames in " + range + " on " + framesTopic);
            }
            Long currentFrom = range.fromMillis() == null ? null : range.fromMillis() - CURRENT_SPAN.toMillis();
            read(kafka, currentsTopic, currentFrom, range.toMillis(), r -> {
                Decoded<CurrentSample> d = currentCodec.decode(r.value());
                if (!d.isOk()) {
                    counts[2]++;
                    return;
                }
                CurrentSample s = d.orElseThrow();
                long t = s.getEventTimeMicros();
                if ((currentFrom != null && t < currentFrom * 1000) || t >= toMicros) {
                    return;
                }
                BenchmarkWriter w = writers.get(s.getFurnaceId().toString());
                if (w == null) {
                    return; // a furnace without frames in range has no recording
                }
                Long last = lastBlockMicros.get(s.getFurnaceId().toString());
                if (last != null && t <= last) {
                    counts[1]++;
                    return;
                }
                lastBlockMicros.put(s.getFurnaceId().toString(), t);
                try {
                    w.addCurrents(s);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Map<String, int[]> listed = new LinkedHashMap<>();
            Map<String, Integer> frames = new LinkedHashMap<>();
            Map<String, Long> currents = new LinkedHashMap<>();
            for (var e : writers.entrySet()) {
                BenchmarkWriter w = e.getValue();
                String name = e.getKey() + suffix;
                int n = w.frameCount();
                frames.put(name, n);
                currents.put(name, w.currentCount());
                w.close();
                int[] indexes = new int[(n + stride - 1) / stride];
                for (int k = 0; k < indexes.length; k++) {
                    indexes[k] = k * stride;
                }
                listed.put(name, indexes);
                progress.accept(name + ": " + n + " frames, " + w.currentCount() + " current readings, "
                        + indexes.length + " listed in train.json");
            }
            BenchmarkWriter.writeSplit(dir, BenchmarkLayout.Split.TRAIN, listed);
            ok = true;
            return new Summary(listed, frames, currents, counts[0], counts[1], counts[2]);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (!ok) {
                writers.values().forEach(BenchmarkWriter::abort);
            }
        }
    }

    private static boolean abnormal(ByteBuffer mask) {
        ByteBuffer m = mask.duplicate();
        while (m.hasRemaining()) {
            if (m.get() != 0) {
                return true;
            }
        }
        return false;
    }

    /** Every record of {@code topic} with timestamp in [fromMillis, toMillis), partition by partition. */
    private static void read(KafkaSettings kafka, String topic, Long fromMillis, Long toMillis,
                             Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> c = TopicAccess.consumer(kafka, true)) {
            List<TopicPartition> parts = TopicAccess.partitions(c, topic);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            Map<TopicPartition, Long> start = TopicAccess.offsetsAt(c, parts, fromMillis, false);
            Map<TopicPartition, Long> stop = TopicAccess.offsetsAt(c, parts, toMillis, true);
            for (TopicPartition p : parts) {
                c.assign(List.of(p));
                c.seek(p, start.get(p));
                long end = stop.get(p);
                while (c.position(p) < end) {
                    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(c.poll(Duration.ofMillis(500)).records(p));
                    for (ConsumerRecord<byte[], byte[]> r : batch) {
                        if (r.offset() < end) {
                            each.accept(r);
                        }
                    }
                }
            }
        }
    }
}
