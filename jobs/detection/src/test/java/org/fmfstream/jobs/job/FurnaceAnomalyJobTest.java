package org.fmfstream.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.fmfstream.jobs.simulator.Episode;
import org.fmfstream.jobs.simulator.FurnaceSimulation;
import org.fmfstream.jobs.simulator.RunSummary;
import org.fmfstream.jobs.simulator.Simulation;
import org.fmfstream.jobs.simulator.SimulationRun;
import org.fmfstream.jobs.simulator.SimulatorConfig;
import org.fmfstream.operators.input.FurnaceDeserializer;
import org.fmfstream.operators.input.FurnaceSources;
import org.fmfstream.operators.input.Ingested;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;
import org.fmfstream.schemas.MaskEncoding;
import org.fmfstream.schemas.Topics;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole detection job end to end, without a broker: simulated furnaces' records, decoded as the
 * Kafka sources decode them, go in through bounded in-memory sources ({@link MemoryIO}); the job's
 * logic ({@link FurnaceAnomalyJob#define} with a {@link JobIO} of in-memory ends) runs on a
 * MiniCluster until its input ends; its events, masks and dead letters are checked against the
 * simulator's ground truth. The Kafka ends themselves are covered by the integration tests
 * ({@code BadInputIT}, {@code FurnaceAnomalyJobRecoveryIT}, {@code ReplayIT}, {@code JobJarIT}).
 *
 * <p>Simulation: 2 furnaces, {@link #SIMULATED} of event time, {@code episodesPerHour} 45 with
 * 20-50 s episodes (several burn-throughs in a short run), fast delivery. Transport faults are
 * off ({@code noTransportFaults()}: no dropped, out-of-order or late records), so the exact window
 * count follows from the frame and reading timeline; the camera clock skew (up to 250 ms) and
 * jitter (3 ms) stay at the simulator's defaults, so windows are not on whole seconds.
 */
class FurnaceAnomalyJobTest {

    private static final Duration SIMULATED = Duration.ofMinutes(4);
    /**
     * Share of simulated burn-through episodes that must have at least one ANOMALY window inside them
     * (window end on the camera clock within the episode). The project's goal is 0.9; the shipped
     * model (sim-v4, docs/model-card.md) hits all 7 of these episodes. The bound allows one miss
     * (6 of 7 = 0.857) and fails on a second.
     */
    static final double MIN_EPISODE_RECALL = 0.85;
    /**
     * Most ANOMALY decisions allowed among windows that end outside every episode (a window that
     * starts just before an episode and ends inside it counts as inside). The shipped model flags 1
     * of 227 (0.004) here; the model card measures 0.1-0.3% on sets of 20 unseen furnaces, worst
     * furnace 1.2-3.0%. The previous model (sim-v1) flagged 53 of 227 (0.233) and fails this bound.
     */
    static final double MAX_FALSE_ALARM_SHARE = 0.05;

    @Test
    void detectsBurnThroughsWithOneEventPerWindowAndMasksForAnomalies(@TempDir Path checkpoints) throws Exception {
        SimulatorConfig sim = SimulatorConfig.builder().furnaces(2).seed(11).duration(SIMULATED)
                .episodesPerHour(45).episodeLength(Duration.ofSeconds(20), Duration.ofSeconds(50))
                .noTransportFaults().build();
        Simulation simulation = Simulation.of(sim);
        long t0 = System.nanoTime();
        RecordedInput input = new RecordedInput(null, true);
        RunSummary summary = SimulationRun.of(simulation).fast().deliverTo(input);
        double simulateSeconds = (System.nanoTime() - t0) / 1e9;

        JobConfig config = JobConfig.of(Map.of(
                // Bounded input with no silent source: never mark one idle, so a slow source can
                // never let the other one's watermark make its records late.
                "watermark.idleness", "0s",
                "checkpoint.interval", "2s",
                "checkpoint.dir", checkpoints.toString()));
        MemoryIO.CollectingSink<AnomalyEvent> eventSink = new MemoryIO.CollectingSink<>();
        MemoryIO.CollectingSink<AnomalyMask> maskSink = new MemoryIO.CollectingSink<>();
        MemoryIO.CollectingSink<DeadLetter> deadLetterSink = new MemoryIO.CollectingSink<>();
        JobIO io = new JobIO(decodedSource(input, VideoFrame.class, FurnaceSources.frameDeserializer(config.inputRules())),
                decodedSource(input, CurrentSample.class, FurnaceSources.currentDeserializer(config.inputRules())),
                eventSink, maskSink, deadLetterSink);
        long t1 = System.nanoTime();
        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(config, null);
        FurnaceAnomalyJob.define(env, config, io, null);
        env.execute(FurnaceAnomalyJob.JOB_NAME);
        double jobSeconds = (System.nanoTime() - t1) / 1e9;

        Map<String, ExpectedWindows> expected = ExpectedWindows.of(input.frameTimes, input.readingTimes,
                FurnaceAnomalyJob.alignerConfig(config));
        int expectedCount = expected.values().stream().mapToInt(ExpectedWindows::size).sum();
        List<AnomalyEvent> events = eventSink.records();
        // Nothing was late, undecodable or foreign: no dead letter.
        assertThat(deadLetterSink.records()).isEmpty();

        // Exactly one event per expected window: same (furnace, windowEndMicros) set, no duplicates.
        Set<String> expectedKeys = new HashSet<>();
        expected.forEach((f, w) -> w.windowEndMicros().forEach(end -> expectedKeys.add(f + "@" + end)));
        Map<String, AnomalyEvent> byKey = new HashMap<>();
        for (AnomalyEvent e : events) {
            assertThat(byKey.put(e.getFurnaceId() + "@" + e.getWindowEndMicros(), e)).as("duplicate %s", e).isNull();
        }
        assertThat(byKey.keySet()).isEqualTo(expectedKeys);
        // The shipped model's rule, and UNDECIDED exactly for the windows without video (no validated rule).
        int undecided = 0;
        DecisionRule shippedRule = org.fmfstream.model.serve.ShippedModel.manifest().decisionRule();
        for (AnomalyEvent e : events) {
            assertThat(e.getThreshold()).isEqualTo(shippedRule.threshold());
            assertThat(e.getMinMaskPixels()).isEqualTo(shippedRule.minMaskPixels());
            boolean noVideo = e.getDegradations().contains(Degradation.VIDEO_MISSING);
            assertThat(e.getDecision() == Decision.UNDECIDED).as("%s", e).isEqualTo(noVideo);
            assertThat(e.getMaskPixels() == null).as("%s", e).isEqualTo(noVideo);
            undecided += noVideo ? 1 : 0;
        }

        // Episodes (true time) on the camera clock: shifted by the furnace's skew (jitter is 3 ms).
        int episodes = 0;
        int hitEpisodes = 0;
        int normalWindows = 0;
        int falseAlarms = 0;
        int anomalyWindows = 0;
        StringBuilder perEpisode = new StringBuilder();
        for (FurnaceSimulation f : simulation.furnaces()) {
            List<AnomalyEvent> mine = events.stream().filter(e -> e.getFurnaceId().toString().equals(f.furnaceId()))
                    .toList();
            for (Episode ep : f.episodes()) {
                long from = ep.startMicros() + f.cameraSkewMicros();
                long to = Math.min(ep.endMicros(), sim.endEpochMicros()) + f.cameraSkewMicros();
                List<AnomalyEvent> inside = mine.stream()
                        .filter(e -> e.getWindowEndMicros() >= from && e.getWindowEndMicros() < to).toList();
                long hits = inside.stream().filter(e -> e.getDecision() == Decision.ANOMALY).count();
                episodes++;
                hitEpisodes += hits > 0 ? 1 : 0;
                perEpisode.append(String.format(Locale.ROOT, "  %s episode %d: %.0f s, %d windows, %d ANOMALY%n",
                        f.furnaceId(), ep.index(), (to - from) / 1e6, inside.size(), hits));
            }
            for (AnomalyEvent e : mine) {
                boolean inEpisode = f.episodes().stream().anyMatch(ep ->
                        e.getWindowEndMicros() >= ep.startMicros() + f.cameraSkewMicros()
                                && e.getWindowEndMicros() < ep.endMicros() + f.cameraSkewMicros());
                if (!inEpisode) {
                    normalWindows++;
                    falseAlarms += e.getDecision() == Decision.ANOMALY ? 1 : 0;
                }
                anomalyWindows += e.getDecision() == Decision.ANOMALY ? 1 : 0;
            }
        }

        // Masks: one per ANOMALY window that has a clip, each joined to its event.
        List<AnomalyEvent> masked = events.stream().filter(e -> e.getDecision() == Decision.ANOMALY
                && !e.getDegradations().contains(Degradation.VIDEO_MISSING)).toList();
        List<AnomalyMask> masks = maskSink.records();
        assertThat(masks).hasSize(masked.size());
        double iouSum = 0;
        int iouCount = 0;
        Set<String> maskKeys = new HashSet<>();
        for (AnomalyMask m : masks) {
            String key = m.getFurnaceId() + "@" + m.getWindowEndMicros();
            assertThat(maskKeys.add(key)).as("one mask per window: %s", key).isTrue();
            AnomalyEvent e = byKey.get(key);
            assertThat(e).as("event of mask %s", key).isNotNull();
            assertThat(e.getDecision()).isEqualTo(Decision.ANOMALY);
            List<Long> clip = e.getClipFrameSeqs();
            assertThat(m.getFrameSeq()).isEqualTo(clip.get(clip.size() - 1));
            byte[] truth = input.truth(m.getFurnaceId().toString(), m.getFrameSeq());
            if (truth != null) {
                iouSum += iou(probabilities(m), DecisionRule.MASK_PIXEL_THRESHOLD, truth);
                iouCount++;
            }
        }
        double meanIou = iouCount == 0 ? Double.NaN : iouSum / iouCount;
        double recall = episodes == 0 ? Double.NaN : (double) hitEpisodes / episodes;
        double falseAlarmShare = normalWindows == 0 ? 0 : (double) falseAlarms / normalWindows;

        System.out.printf(Locale.ROOT, "%nFurnaceAnomalyJobTest: %s simulated, 2 furnaces, model %s%n", SIMULATED,
                events.isEmpty() ? "-" : events.get(0).getModel().getName() + " " + events.get(0).getModel().getVersion());
        System.out.printf(Locale.ROOT, "| figure | value |%n|---|---|%n");
        System.out.printf(Locale.ROOT, "| frames / current samples delivered | %d / %d |%n",
                summary.framesDelivered(),
                summary.furnaces().stream().mapToLong(t -> t.currentSamples()).sum());
        System.out.printf(Locale.ROOT, "| windows (events) expected = written | %d |%n", expectedCount);
        System.out.printf(Locale.ROOT, "| ANOMALY windows / masks | %d / %d |%n", anomalyWindows, masks.size());
        System.out.printf(Locale.ROOT, "| UNDECIDED windows (video missing) | %d |%n", undecided);
        System.out.printf(Locale.ROOT, "| episodes hit | %d of %d = %.3f (min %.2f) |%n", hitEpisodes, episodes,
                recall, MIN_EPISODE_RECALL);
        System.out.printf(Locale.ROOT, "| false alarms among normal windows | %d of %d = %.3f (max %.2f) |%n",
                falseAlarms, normalWindows, falseAlarmShare, MAX_FALSE_ALARM_SHARE);
        System.out.printf(Locale.ROOT, "| mean IoU of masks of hit windows (mask > 0) | %.3f over %d |%n", meanIou,
                iouCount);
        System.out.printf(Locale.ROOT, "| simulate + publish / job wall time | %.1f s / %.1f s |%n%s%n",
                simulateSeconds, jobSeconds, perEpisode);

        assertThat(episodes).as("the simulation must contain several episodes").isGreaterThanOrEqualTo(4);
        // The model-quality figures are checked together, so one run reports every shortfall.
        SoftAssertions quality = new SoftAssertions();
        quality.assertThat(recall).as("share of episodes with an ANOMALY window")
                .isGreaterThanOrEqualTo(MIN_EPISODE_RECALL);
        quality.assertThat(falseAlarmShare).as("false-alarm share of normal windows")
                .isLessThanOrEqualTo(MAX_FALSE_ALARM_SHARE);
        quality.assertThat(iouCount).as("ANOMALY windows whose frame shows a burn-through").isPositive();
        quality.assertThat(meanIou).as("mean IoU of thresholded masks vs ground truth").isGreaterThan(0);
        quality.assertAll();
    }

    /**
     * The records of one type in delivery order, each encoded as the feeds publish it and decoded by
     * the job's own deserializer, as a source of one Kafka partition per furnace would deliver them.
     */
    @SuppressWarnings("unchecked")
    private static <R extends SpecificRecordBase, T> Source<Ingested<T>, ?, ?> decodedSource(
            RecordedInput input, Class<R> type, FurnaceDeserializer<?, T> decoder) {
        RecordCodec<R> codec = type == VideoFrame.class ? (RecordCodec<R>) RecordCodec.videoFrames()
                : (RecordCodec<R>) RecordCodec.currentSamples();
        String topic = type == VideoFrame.class ? Topics.VIDEO_FRAMES : Topics.CURRENT_SAMPLES;
        Map<String, Integer> partitions = new HashMap<>();
        Map<Integer, Long> offsets = new HashMap<>();
        List<Ingested<T>> decoded = new ArrayList<>();
        for (Object r : input.records) {
            if (type.isInstance(r)) {
                R record = type.cast(r);
                String furnace = record.get("furnaceId").toString();
                int partition = partitions.computeIfAbsent(furnace, f -> partitions.size());
                long offset = offsets.merge(partition, 1L, Long::sum) - 1;
                decoded.add(decoder.ingest(new ConsumerRecord<>(topic, partition, offset,
                        furnace.getBytes(StandardCharsets.UTF_8), codec.encode(record))));
            }
        }
        return MemoryIO.source(decoded, decoder.getProducedType());
    }

    /** The mask's 64x64 probabilities in [0, 1], row-major. */
    private static double[] probabilities(AnomalyMask m) throws Exception {
        int w = m.getWidth();
        int h = m.getHeight();
        byte[] payload = new byte[m.getPayload().remaining()];
        m.getPayload().duplicate().get(payload);
        double[] p = new double[w * h];
        if (m.getEncoding() == MaskEncoding.BITMAP) {
            for (int i = 0; i < p.length; i++) {
                p[i] = payload[i];
            }
            return p;
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(payload));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = img.getRaster().getSample(x, y, 0) / 255.0;
            }
        }
        return p;
    }

    private static double iou(double[] p, double threshold, byte[] truth) {
        int inter = 0;
        int union = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean a = p[i] >= threshold;
            boolean b = truth[i] != 0;
            inter += a && b ? 1 : 0;
            union += a || b ? 1 : 0;
        }
        return union == 0 ? 0 : (double) inter / union;
    }
}
