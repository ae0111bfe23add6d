package org.fmfstream.jobs.view;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.TopicAccess;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * The frames of one window's clip, read back from the frames topic when the page asks for them:
 * each partition from the first record at the window's start (less a margin for camera clock skew)
 * until a record past its end, keeping the furnace's frames whose sequence numbers are in the clip.
 * Nothing is cached, so any window still in the topic can be shown, live or replayed.
 */
final class ClipLookup {

    private static final long MARGIN_MILLIS = 3_000;
    private static final Duration POLL = Duration.ofMillis(300);
    private static final long GIVE_UP_NANOS = 10_000_000_000L;

    private final KafkaSettings kafka;
    private final String framesTopic;
    private final RecordCodec<VideoFrame> frames = RecordCodec.videoFrames();

    ClipLookup(KafkaSettings kafka, String framesTopic) {
        this.kafka = kafka;
        this.framesTopic = framesTopic;
    }

    /**
     * The clip's frames as data URLs, in clip order; a frame not found (dropped, or deleted by
     * retention) is null.
     */
    String[] frames(String furnaceId, long startMicros, long endMicros, List<Long> clipSeqs) {
        Set<Long> wanted = new HashSet<>(clipSeqs); // a clip repeats a frame where it substituted one
        Map<Long, String> found = new HashMap<>();
        byte[] key = furnaceId.getBytes(StandardCharsets.UTF_8);
        long untilMillis = endMicros / 1000 + MARGIN_MILLIS;
        try (KafkaConsumer<byte[], byte[]> consumer = TopicAccess.consumer(kafka, true)) {
            List<TopicPartition> parts = TopicAccess.partitions(consumer, framesTopic);
            consumer.assign(parts);
            Map<TopicPartition, Long> from = TopicAccess.offsetsAt(consumer, parts, startMicros / 1000 - MARGIN_MILLIS, false);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            from.forEach(consumer::seek);
            Set<TopicPartition> open = new HashSet<>();
            for (TopicPartition p : parts) {
                if (from.get(p) < end.get(p)) {
                    open.add(p);
                }
            }
            long deadline = System.nanoTime() + GIVE_UP_NANOS;
            while (found.size() < wanted.size() && !open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    if (r.timestamp() > untilMillis) {
                        open.remove(new TopicPartition(r.topic(), r.partition()));
                    }
                    // Frames are keyed by furnace: other furnaces' frames are not decoded.
                    if (r.key() != null && !Arrays.equals(r.key(), key)) {
                        continue;
                    }
                    if (frames.decode(r.value()) instanceof Decoded.Ok<VideoFrame> ok
                            && ok.value().getFurnaceId().toString().equals(furnaceId)
                            && wanted.contains(ok.value().getFrameSeq())) {
                        found.putIfAbsent(ok.value().getFrameSeq(), FramePictures.dataUrl(ok.value()));
                    }
                }
                open.removeIf(p -> consumer.position(p) >= end.get(p));
            }
        }
        return clipSeqs.stream().map(found::get).toArray(String[]::new);
    }
}
