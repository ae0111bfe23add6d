package org.fmfstream.jobs.demo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.jobs.kafka.TopicAccess;
import org.fmfstream.model.eval.MaskOverlayGrid;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.BoundingBox;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.MaskEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * What an operator watching the demo sees: one line per anomalous window as it lands on the
 * events topic (furnace, event time, probability, mask area and location, latency), a short status
 * line per furnace every few seconds, and a mask-overlay PNG per anomaly (the scored frame, the
 * predicted mask in blue, the simulator's ground truth outlined in yellow).
 *
 * <p>An UNDECIDED window (its video was missing, so the job published no verdict) is not an anomaly:
 * the console prints one line when a furnace's windows become undecided and counts the rest in the
 * status line until a decided window comes again.
 *
 * <p>It reads the topics as a downstream consumer would ({@code read_committed}, so only events of
 * completed checkpoints), starting at the end. The frames topic is read too, only to draw the
 * pictures: the last {@value #FRAMES_KEPT} frames per furnace are kept to find the scored one.
 */
public final class AnomalyConsole implements Runnable, AutoCloseable {

    private static final int FRAMES_KEPT = 2_000;
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final KafkaSettings kafka;
    private final String eventsTopic;
    private final String masksTopic;
    private final String framesTopic;
    private final Path pictures;
    private final PrintStream out;
    private final Duration statusEvery;
    private final AtomicBoolean running = new AtomicBoolean(true);

    private final RecordCodec<AnomalyEvent> events = RecordCodec.anomalyEvents();
    private final RecordCodec<AnomalyMask> masks = RecordCodec.anomalyMasks();
    private final RecordCodec<VideoFrame> frames = RecordCodec.videoFrames();
    private final Map<String, LinkedHashMap<Long, VideoFrame>> recentFrames = new HashMap<>();
    private final Map<String, AnomalyEvent> pendingAnomalies = new HashMap<>();
    private final Map<String, AnomalyMask> pendingMasks = new HashMap<>();
    private final Map<String, FurnaceStatus> status = new TreeMap<>();
    private long anomalies;
    private long picturesWritten;

    /**
     * @param pictures folder for overlay PNGs, or null for none
     */
    public AnomalyConsole(KafkaSettings kafka, String eventsTopic, String masksTopic, String framesTopic,
                          Path pictures, PrintStream out, Duration statusEvery) {
        this.kafka = kafka;
        this.eventsTopic = eventsTopic;
        this.masksTopic = masksTopic;
        this.framesTopic = framesTopic;
        this.pictures = pictures;
        this.out = out;
        this.statusEvery = statusEvery;
    }

    public long anomalies() {
        return anomalies;
    }

    public long picturesWritten() {
        return picturesWritten;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = TopicAccess.consumer(kafka, true)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of(eventsTopic, masksTopic, framesTopic)) {
                parts.addAll(TopicAccess.partitions(consumer, topic));
            }
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            long nextStatus = System.currentTimeMillis() + statusEvery.toMillis();
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    accept(r);
                }
                if (System.currentTimeMillis() >= nextStatus) {
                    printStatus();
                    nextStatus += statusEvery.toMillis();
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.topic().equals(framesTopic)) {
            if (pictures != null && frames.decode(r.value()) instanceof Decoded.Ok<VideoFrame> ok) {
                LinkedHashMap<Long, VideoFrame> kept = recentFrames.computeIfAbsent(ok.value().getFurnaceId(),
                        k -> new LinkedHashMap<>(256, 0.75f, false) {
                            @Override
                            protected boolean removeEldestEntry(Map.Entry<Long, VideoFrame> eldest) {
                                return size() > FRAMES_KEPT;
                            }
                        });
                kept.put(ok.value().getFrameSeq(), ok.value());
            }
        } else if (r.topic().equals(eventsTopic)) {
            if (events.decode(r.value()) instanceof Decoded.Ok<AnomalyEvent> ok) {
                onEvent(ok.value());
            }
        } else if (r.topic().equals(masksTopic)) {
            if (masks.decode(r.value()) instanceof Decoded.Ok<AnomalyMask> ok) {
                onMask(ok.value());
            }
        }
    }

    void onEvent(AnomalyEvent e) {
        String furnace = e.getFurnaceId();
        FurnaceStatus s = status.computeIfAbsent(furnace, k -> new FurnaceStatus());
        s.windows++;
        s.lastProbability = e.getAnomalyProbability();
        s.lastLatencyMillis = e.getEmitTimeMillis() - e.getIngestTimeMillis();
        if (!e.getDegradations().isEmpty()) {
            s.degraded++;
        }
        if (e.getDecision() == Decision.UNDECIDED) {
            s.undecided++;
            if (!s.inUndecided) {
                s.inUndecided = true;
                out.println(describeUndecided(e));
            }
            return;
        }
        s.inUndecided = false;
        if (e.getDecision() != Decision.ANOMALY) {
            return;
        }
        s.anomalies++;
        anomalies++;
        String key = furnace + "@" + e.getWindowEndMicros();
        AnomalyMask mask = pendingMasks.remove(key);
        out.println(describe(e, mask));
        if (mask != null) {
            drawPicture(e, mask);
        } else {
            pendingAnomalies.put(key, e);
        }
    }

    private void onMask(AnomalyMask m) {
        String key = m.getFurnaceId() + "@" + m.getWindowEndMicros();
        AnomalyEvent waiting = pendingAnomalies.remove(key);
        if (waiting != null) {
            drawPicture(waiting, m);
        } else if (pendingMasks.size() < 10_000) {
            pendingMasks.put(key, m); // the event may follow; normal windows' masks are dropped below
        }
        if (pendingMasks.size() >= 10_000) {
            pendingMasks.clear();
        }
    }

    static String describe(AnomalyEvent e, AnomalyMask mask) {
        StringBuilder line = new StringBuilder(128);
        line.append(CLOCK.format(Instant.ofEpochMilli(e.getWindowEndMicros() / 1000)))
                .append("  ").append(e.getFurnaceId())
                .append("  ANOMALY p=").append(String.format(Locale.ROOT, "%.3f", e.getAnomalyProbability()));
        if (mask != null) {
            line.append(String.format(Locale.ROOT, "  area %.2f%%", 100.0 * mask.getAnomalyAreaFraction()));
            if (!mask.getRegions().isEmpty()) {
                BoundingBox b = mask.getRegions().get(0);
                line.append(String.format(Locale.ROOT, " at x %d-%d y %d-%d", b.getX(), b.getX() + b.getWidth() - 1,
                        b.getY(), b.getY() + b.getHeight() - 1));
            }
        }
        line.append("  latency ").append(e.getEmitTimeMillis() - e.getIngestTimeMillis()).append(" ms");
        if (!e.getDegradations().isEmpty()) {
            line.append("  degraded: ").append(e.getDegradations().stream().map(Enum::name)
                    .collect(Collectors.joining(",")));
        }
        return line.toString();
    }

    /** The line printed when a furnace's windows become undecided. */
    static String describeUndecided(AnomalyEvent e) {
        return CLOCK.format(Instant.ofEpochMilli(e.getWindowEndMicros() / 1000)) + "  " + e.getFurnaceId()
                + "  UNDECIDED p=" + String.format(Locale.ROOT, "%.3f", e.getAnomalyProbability())
                + "  no verdict: " + (e.getDegradations().isEmpty() ? "no validated rule for this window"
                        : e.getDegradations().stream().map(Enum::name).collect(Collectors.joining(",")))
                + " (further undecided windows are counted in the status line)";
    }

    private void drawPicture(AnomalyEvent e, AnomalyMask m) {
        if (pictures == null || m.getEncoding() != MaskEncoding.PNG_PROBABILITY) {
            return;
        }
        LinkedHashMap<Long, VideoFrame> kept = recentFrames.get(e.getFurnaceId());
        VideoFrame frame = kept == null ? null : kept.get(m.getFrameSeq());
        if (frame == null) {
            return;
        }
        try {
            float[] probability = probabilities(m);
            byte[] truth = frame.getGroundTruthMask() == null
                    ? new byte[m.getWidth() * m.getHeight()] : toArray(frame.getGroundTruthMask());
            boolean trulyAbnormal = false;
            for (byte t : truth) {
                trulyAbnormal |= t != 0;
            }
            Files.createDirectories(pictures);
            Path png = pictures.resolve(e.getFurnaceId() + "-" + e.getWindowEndMicros() + ".png");
            new MaskOverlayGrid(m.getWidth(), 4, 1).write(List.of(new MaskOverlayGrid.Tile(
                    toArray(frame.getPayload()), truth, probability, trulyAbnormal, e.getAnomalyProbability())), png);
            picturesWritten++;
        } catch (IOException | RuntimeException ex) {
            out.println("  (no picture: " + ex.getMessage() + ")");
        }
    }

    /** P(abnormal) per pixel from a PNG_PROBABILITY mask (8-bit grey = round(255 p)). */
    static float[] probabilities(AnomalyMask m) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(toArray(m.getPayload())));
        if (image == null || image.getWidth() != m.getWidth() || image.getHeight() != m.getHeight()) {
            throw new IOException("mask payload is not a " + m.getWidth() + "x" + m.getHeight() + " PNG");
        }
        float[] p = new float[m.getWidth() * m.getHeight()];
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                p[y * m.getWidth() + x] = image.getRaster().getSample(x, y, 0) / 255f;
            }
        }
        return p;
    }

    private static byte[] toArray(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    void printStatus() {
        if (status.isEmpty()) {
            out.println("(waiting for the first scored windows...)");
            return;
        }
        StringBuilder line = new StringBuilder("status:");
        status.forEach((furnace, s) -> line.append(String.format(Locale.ROOT,
                "  %s %d windows, %d anomalous, %d undecided, %d degraded, last p=%.3f, latency %d ms;",
                furnace, s.windows, s.anomalies, s.undecided, s.degraded, s.lastProbability, s.lastLatencyMillis)));
        out.println(line);
    }

    @Override
    public void close() {
        running.set(false);
    }

    private static final class FurnaceStatus {
        long windows;
        long anomalies;
        long undecided;
        boolean inUndecided;
        long degraded;
        double lastProbability;
        long lastLatencyMillis;
    }
}
