package org.fmfstream.jobs.replay;

import org.fmfstream.jobs.kafka.TopicAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fmfstream.jobs.simulator.Simulation;
import org.fmfstream.jobs.simulator.SimulationRun;
import org.fmfstream.jobs.simulator.SimulatorConfig;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.jobs.feed.KafkaFurnaceSink;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.data.WindowDataset;
import org.fmfstream.model.data.WindowSample;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fmf replay} on a real broker: 2 simulated furnaces, {@link #SIMULATED} of event time
 * delivered fast (no transport faults, so every frame is in order and the export drops nothing),
 * replayed twice over the same sub-range into two runs; both runs' committed output must be
 * identical apart from the wall-clock stamps. The same history exported as a training set must open
 * as a WindowDataset with one window per listed frame and the simulator's labels.
 */
class ReplayIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension();

    private static final Duration SIMULATED = Duration.ofSeconds(150);
    private static final Instant START = Instant.parse("2026-11-20T08:00:00Z");
    /** Range: from 40 s after the start (inside the 122 s warm-up: the filter must drop earlier windows). */
    private static final long FROM = START.toEpochMilli() + 40_000;
    private static final long TO = START.toEpochMilli() + SIMULATED.toMillis() - 10_000;

    /** Per furnace, the frames delivered: event time and whether the ground truth is abnormal. */
    private static final Map<String, List<long[]>> frames = new TreeMap<>();

    @BeforeAll
    static void simulate() {
        SimulatorConfig sim = SimulatorConfig.builder().furnaces(2).seed(23).start(START).duration(SIMULATED)
                .episodesPerHour(45).episodeLength(Duration.ofSeconds(20), Duration.ofSeconds(50))
                .noTransportFaults().build();
        try (KafkaFurnaceSink sink = new KafkaFurnaceSink(kafka.settings())) {
            SimulationRun.of(Simulation.of(sim)).fast().deliverTo(new FurnaceRecordSink() {
                @Override
                public void frame(VideoFrame f) {
                    ByteBuffer m = f.getGroundTruthMask().duplicate();
                    boolean abnormal = false;
                    while (m.hasRemaining()) {
                        abnormal |= m.get() != 0;
                    }
                    frames.computeIfAbsent(f.getFurnaceId().toString(), k -> new ArrayList<>())
                            .add(new long[] {f.getEventTimeMicros(), abnormal ? 1 : 0});
                    sink.frame(f);
                }

                @Override
                public void current(CurrentSample s) {
                    sink.current(s);
                }

                @Override
                public void flush() {
                    sink.flush();
                }

                @Override
                public void close() {}
            });
        }
    }

    @Test
    void twoReplaysOfTheSameRangeWriteIdenticalDecisionsAndMasks(@TempDir Path base) throws Exception {
        ReplayRange range = new ReplayRange(FROM, TO);
        Map<String, String> flags = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "checkpoint.interval", "2s");
        ReplayJob.Plan a = ReplayJob.plan(null, flags, new ReplayRun("a"), range, base);
        ReplayJob.Plan b = ReplayJob.plan(null, flags, new ReplayRun("b"), range, base);
        ReplayJob.Result ra = ReplayJob.run(a, null);
        // Run b with the progress bar as ./fmf replay shows it (plain lines, as on a pipe).
        java.io.StringWriter progress = new java.io.StringWriter();
        org.fmfstream.jobs.console.ProgressBar bar = new org.fmfstream.jobs.console.ProgressBar("replay b", "records", 0,
                new java.io.PrintWriter(progress), false, System::nanoTime);
        ReplayJob.Result rb = ReplayJob.run(b, bar);
        String lastLine = progress.toString().strip().lines().reduce((x, y) -> y).orElse("");
        System.out.println("ReplayIT progress: " + lastLine);
        assertThat(lastLine).contains(String.format(Locale.ROOT, "%,d/%,d records 100%%", rb.recordsInRange(),
                rb.recordsInRange())).contains(String.format(Locale.ROOT, "| %,d windows", rb.windows()));
        System.out.printf(Locale.ROOT, "%nReplayIT: %d input records in range (with warm-up); run a: %d windows,"
                        + " %d masks, %.1f s; run b: %d windows, %d masks, %.1f s%n", ra.recordsInRange(), ra.windows(),
                ra.masks(), ra.seconds(), rb.windows(), rb.masks(), rb.seconds());

        List<AnomalyEvent> ea = events(a.run());
        List<AnomalyEvent> eb = events(b.run());
        assertThat(ea).hasSize((int) ra.windows());
        // Every window of the 100 s range, 2 furnaces at 1 s hops: at least 190 (edges may skip).
        assertThat(ea.size()).isGreaterThanOrEqualTo(190).isLessThanOrEqualTo(200);
        assertThat(ea).allSatisfy(e -> assertThat(range.contains(e.getWindowEndMicros())).isTrue());
        assertThat(ra.deadLetters()).isZero();
        assertThat(keys(ea)).isEqualTo(keys(eb));

        List<AnomalyMask> ma = masks(a.run());
        List<AnomalyMask> mb = masks(b.run());
        long anomalous = ea.stream().filter(e -> e.getDecision() == Decision.ANOMALY
                && !e.getDegradations().contains(Degradation.VIDEO_MISSING)).count();
        assertThat(ma).hasSize((int) anomalous);
        assertThat(ma).as("the range must hold anomalous windows so that masks are compared").isNotEmpty();
        assertThat(maskKeys(ma)).isEqualTo(maskKeys(mb));

        // The comparison report of the two runs (as ./fmf replay compare a b writes it): full agreement.
        Path report = base.resolve("comparison.md");
        ReplayCommand.compare(kafka.settings(), a.run(), b.run(), report);
        String md = java.nio.file.Files.readString(report);
        System.out.println(md.lines().limit(12).collect(java.util.stream.Collectors.joining("\n")));
        assertThat(md).contains("| windows | " + ea.size() + " | " + ea.size() + " |")
                .contains("Decision agreement: " + ea.size() + " of " + ea.size() + " (100.00 %)")
                .contains("largest |Δp|: 0.00")
                .contains("**The two runs said exactly the same.**")
                .contains("## Windows whose decision changed\n\nNone.");

        // A run name in use is refused before anything runs.
        assertThatThrownBy(() -> ReplayJob.run(ReplayJob.plan(null, flags, new ReplayRun("a"), range, base), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has");
    }

    @Test
    void exportedTrainingSetHasOneWindowPerListedFrameWithTheSimulatorsLabels(@TempDir Path dir) throws Exception {
        ReplayRange range = new ReplayRange(FROM, TO);
        int stride = 5;
        TrainingExport.Summary s = TrainingExport.export(kafka.settings(), "fmf.video.frames", "fmf.current.samples",
                range, dir, stride, false, line -> System.out.println("export: " + line));
        WindowDataset ds = WindowDataset.open(dir, BenchmarkLayout.Split.TRAIN, 1);

        int expectedWindows = 0;
        long expectedAbnormal = 0;
        List<Boolean> expectedLabels = new ArrayList<>();
        for (var e : frames.entrySet()) {
            List<long[]> inRange = e.getValue().stream()
                    .filter(f -> f[0] >= FROM * 1000 && f[0] < TO * 1000).toList();
            assertThat(s.frames().get(e.getKey() + "-" + FROM / 1000)).isEqualTo(inRange.size());
            for (int i = 0; i < inRange.size(); i++) {
                expectedAbnormal += inRange.get(i)[1];
                if (i % stride == 0) {
                    expectedWindows++;
                    expectedLabels.add(inRange.get(i)[1] == 1);
                }
            }
        }
        assertThat(s.droppedOutOfOrder()).isZero();
        assertThat(s.abnormalFrames()).isEqualTo(expectedAbnormal);
        assertThat(ds.size()).isEqualTo(expectedWindows);
        List<Boolean> labels = ds.samples().stream().map(WindowSample::abnormal).toList();
        assertThat(labels).isEqualTo(expectedLabels);
        assertThat(ds.abnormalCount()).as("the range must contain burn-through frames").isPositive();
        System.out.printf(Locale.ROOT, "ReplayIT export: %d windows, %d abnormal, currents %s%n", ds.size(),
                ds.abnormalCount(), s.currents());
    }

    private static List<AnomalyEvent> events(ReplayRun run) {
        return TopicAccess.readAll(kafka.settings(), run.eventsTopic()).stream()
                .map(r -> RecordCodec.anomalyEvents().decode(r.value()).orElseThrow()).toList();
    }

    private static List<AnomalyMask> masks(ReplayRun run) {
        return TopicAccess.readAll(kafka.settings(), run.masksTopic()).stream()
                .map(r -> RecordCodec.anomalyMasks().decode(r.value()).orElseThrow()).toList();
    }

    /** Everything of an event but the wall-clock stamps, probability as its exact bits; sorted. */
    private static List<String> keys(List<AnomalyEvent> events) {
        return events.stream().map(e -> e.getFurnaceId() + "@" + e.getWindowEndMicros() + " " + e.getDecision()
                        + " p=" + Long.toHexString(Double.doubleToRawLongBits(e.getAnomalyProbability()))
                        + " v=" + e.getVideoLogits() + " c=" + e.getCurrentLogits() + " clip=" + e.getClipFrameSeqs()
                        + " start=" + e.getWindowStartMicros() + " deg=" + e.getDegradations() + " model="
                        + e.getModel().getSha256())
                .sorted().toList();
    }

    private static List<String> maskKeys(List<AnomalyMask> masks) {
        return masks.stream().map(m -> {
            byte[] payload = new byte[m.getPayload().remaining()];
            m.getPayload().duplicate().get(payload);
            return m.getFurnaceId() + "@" + m.getWindowEndMicros() + " seq=" + m.getFrameSeq() + " "
                    + m.getEncoding() + " " + Arrays.hashCode(payload) + "/" + payload.length + " "
                    + Arrays.toString(payload) + " area=" + m.getAnomalyAreaFraction() + " " + m.getRegions();
        }).sorted().toList();
    }
}
