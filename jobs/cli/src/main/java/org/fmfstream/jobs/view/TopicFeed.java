package org.fmfstream.jobs.view;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.TopicAccess;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the view's topics as a downstream consumer does ({@code read_committed}: only what the job
 * committed) and feeds {@link FurnaceBoard}. On start it goes back {@code history} in event time
 * (record timestamps), so a page opened on a running plant shows the last minutes at once; null
 * history reads every topic from its beginning (a finished replay). A topic that does not exist is
 * reported on the page and looked for again every few seconds, so the view survives a job or broker
 * that starts after it, and a job restarting under it changes nothing but the pace of new records.
 * Undecodable records are counted and skipped: the job's dead-letter topic is where they are
 * explained.
 */
final class TopicFeed implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
    private static final long RECHECK_MILLIS = 3_000;

    private final KafkaSettings kafka;
    private final ViewTopics topics;
    private final FurnaceBoard board;
    private final Duration history;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final RecordCodec<VideoFrame> frames = RecordCodec.videoFrames();
    private final RecordCodec<CurrentSample> currents = RecordCodec.currentSamples();
    private final RecordCodec<AnomalyEvent> events = RecordCodec.anomalyEvents();
    private final RecordCodec<AnomalyMask> masks = RecordCodec.anomalyMasks();
    private final RecordCodec<Incident> incidents = RecordCodec.incidents();
    private final java.util.Map<String, Long> undecodable = new java.util.HashMap<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /** @param history how far back in event time to start, or null for the beginning of every topic */
    TopicFeed(KafkaSettings kafka, ViewTopics topics, FurnaceBoard board, Duration history) {
        this.kafka = kafka;
        this.topics = topics;
        this.board = board;
        this.history = history;
    }

    @Override
    public void run() {
        Set<String> assigned = new HashSet<>();
        List<TopicPartition> partitions = new ArrayList<>();
        long nextCheck = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = TopicAccess.consumer(kafka, true)) {
            this.consumer = consumer;
            while (running.get()) {
                if (System.currentTimeMillis() >= nextCheck) {
                    nextCheck = System.currentTimeMillis() + RECHECK_MILLIS;
                    if (assignNewTopics(consumer, assigned, partitions)) {
                        continue;
                    }
                }
                if (partitions.isEmpty()) {
                    sleep(200);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    accept(r);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // close(): stop polling; the consumer closes cleanly (no interrupt while it shuts down)
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (KafkaException e) {
            LOG.warn("the view's consumer stopped: {}", e.toString());
            board.problem("kafka", "Kafka: " + e.getMessage() + " (restart the view when the broker is back)");
        }
    }

    /** Assigns topics that appeared since the last look; true when the assignment changed. */
    private boolean assignNewTopics(KafkaConsumer<byte[], byte[]> consumer, Set<String> assigned,
                                    List<TopicPartition> partitions) {
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : topics.all()) {
            if (assigned.contains(topic)) {
                continue;
            }
            List<TopicPartition> parts;
            try {
                parts = TopicAccess.partitions(consumer, topic);
            } catch (KafkaException e) {
                board.problem("kafka", "Kafka at " + kafka.bootstrapServers() + " does not answer: " + e.getMessage());
                return false;
            }
            board.problem("kafka", null);
            if (parts.isEmpty()) {
                board.problem(topic, "Topic " + topic + " does not exist (yet)" + hint(topic));
                continue;
            }
            board.problem(topic, null);
            assigned.add(topic);
            added.addAll(parts);
        }
        if (added.isEmpty()) {
            return false;
        }
        partitions.addAll(added);
        consumer.assign(partitions);
        Long from = history == null ? null : System.currentTimeMillis() - history.toMillis();
        Map<TopicPartition, Long> start = TopicAccess.offsetsAt(consumer, added, from, false);
        start.forEach(consumer::seek);
        return true;
    }

    private String hint(String topic) {
        if (topic.equals(topics.events()) || topic.equals(topics.masks())) {
            return ": start the detection job, or check --run";
        }
        if (topic.equals(topics.compareEvents())) {
            return ": check --compare";
        }
        if (topic.equals(topics.alerts())) {
            return ": start ./fmf alerts for incidents";
        }
        return ": start the simulator or the ingest bridges";
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        if (topic.equals(topics.frames())) {
            long now = System.nanoTime();
            // Frames are keyed by furnace: the ones thinned away for display are not even decoded.
            if (r.key() == null || board.frameDue(new String(r.key(), StandardCharsets.UTF_8), now)) {
                ok(topic, "VideoFrame", frames.decode(r.value()), f -> board.frame(f, now));
            }
        } else if (topic.equals(topics.currents())) {
            ok(topic, "CurrentSample", currents.decode(r.value()), board::currents);
        } else if (topic.equals(topics.events())) {
            ok(topic, "AnomalyEvent", events.decode(r.value()), e -> board.event(e, false));
        } else if (topic.equals(topics.compareEvents())) {
            ok(topic, "AnomalyEvent", events.decode(r.value()), e -> board.event(e, true));
        } else if (topic.equals(topics.masks())) {
            ok(topic, "AnomalyMask", masks.decode(r.value()), board::mask);
        } else if (topic.equals(topics.alerts())) {
            ok(topic, "Incident", incidents.decode(r.value()), board::incident);
        }
    }

    /** Uses a decoded record; an undecodable one is counted and named on the page (a wrong topic, a bad producer). */
    private <T> void ok(String topic, String type, Decoded<T> decoded, java.util.function.Consumer<T> use) {
        if (decoded instanceof Decoded.Ok<T> ok) {
            use.accept(ok.value());
            return;
        }
        long n = undecodable.merge(topic, 1L, Long::sum);
        if (n == 1 || n % 1000 == 0) {
            LOG.warn("{}: {} record(s) that are not {} so far, latest: {}", topic, n, type, decoded);
            board.problem(topic + "#undecodable", "Topic " + topic + " holds records that are not " + type
                    + " (" + n + " so far, e.g. " + decoded + "): is it the right topic? They are skipped.");
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** Stops the feed: the consumer's poll is woken up rather than the thread interrupted. */
    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
