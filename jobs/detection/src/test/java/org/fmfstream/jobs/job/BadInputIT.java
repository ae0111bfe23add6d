package org.fmfstream.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fmfstream.jobs.kafka.RecordPublisher;
import org.fmfstream.jobs.simulator.Simulation;
import org.fmfstream.jobs.simulator.SimulationRun;
import org.fmfstream.jobs.simulator.SimulatorConfig;
import org.fmfstream.jobs.feed.KafkaFurnaceSink;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input in the middle of good input, into the live (unbounded, exactly-once) job: each bad
 * record becomes exactly one committed dead letter of the right kind, the job keeps RUNNING, and the
 * good records produce exactly the events that a bounded reference run of the same job on the good
 * records alone produces.
 *
 * <p>Input topics have one partition, and watermark idleness is off: with two furnaces on two
 * partitions one might stay empty, and an idle-marked partition could let the other source's
 * watermark turn records late; here no record can be late, so no LATE dead letters are expected.
 * The live job's watermark stops 2 s (out-of-orderness) behind the last good record, so its events
 * are the reference's up to that hop (worked out below); the reference, being bounded, gets a final
 * watermark and scores every hop.
 */
class BadInputIT {
    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private record Bad(String topic, long offset, String kind, String[] reasonMentions) {}

    @Test
    void badRecordsBecomeDeadLettersAndTheJobScoresTheGoodOnesAsWithoutThem(@TempDir Path dir) throws Exception {
        SimulatorConfig sim = SimulatorConfig.builder().furnaces(2).seed(5).duration(Duration.ofSeconds(40))
                .noTransportFaults().build();
        RecordedInput good = new RecordedInput(null, true);
        SimulationRun.of(Simulation.of(sim)).fast().deliverTo(good);

        // Reference: the good records alone, bounded job.
        Topics ref = Topics.create("ref");
        publish(ref, good.records, 0, good.records.size());
        JobConfig refConfig = config(ref, dir.resolve("ref"), "latest");
        StreamExecutionEnvironment refEnv = FurnaceAnomalyJob.embeddedEnvironment(refConfig, null);
        FurnaceAnomalyJob.define(refEnv, refConfig);
        refEnv.execute("reference");
        Map<String, ExpectedWindows> expected = ExpectedWindows.of(good.frameTimes, good.readingTimes,
                FurnaceAnomalyJob.alignerConfig(refConfig));
        int all = expected.values().stream().mapToInt(ExpectedWindows::size).sum();
        Set<String> reference = decisions(kafka.consumeDecoded(ref.events, RecordCodec.anomalyEvents(), all, TIMEOUT));
        kafka.consume(ref.dead, 0, Duration.ofSeconds(5));

        // Live: the job first, then good records, the seven bad ones, the rest of the good ones.
        Topics live = Topics.create("live");
        JobConfig liveConfig = config(live, dir.resolve("live"), "none");
        StreamExecutionEnvironment liveEnv = FurnaceAnomalyJob.embeddedEnvironment(liveConfig, null);
        FurnaceAnomalyJob.define(liveEnv, liveConfig);
        JobClient job = liveEnv.executeAsync(FurnaceAnomalyJob.JOB_NAME);
        try {
            awaitRunning(job);
            int half = good.records.size() / 2;
            publish(live, good.records, 0, half);
            List<Bad> bad = injectBadRecords(live, sim.startEpochMicros() + sim.duration().toNanos() / 2000);
            publish(live, good.records, half, good.records.size());

            // Exactly the seven, each once, with its kind and a reason that names the problem.
            List<DeadLetter> letters = kafka.consumeDecoded(live.dead, RecordCodec.deadLetters(), bad.size(), TIMEOUT);
            Map<String, DeadLetter> byOffset = new HashMap<>();
            for (DeadLetter d : letters) {
                System.out.printf("BadInputIT dead letter: %s %s@%d %s: %s%n", d.getErrorKind(), d.getSourceTopic(),
                        d.getSourceOffset(), keyOf(d), d.getReason());
                assertThat(byOffset.put(d.getSourceTopic() + "@" + d.getSourceOffset(), d)).isNull();
            }
            for (Bad b : bad) {
                DeadLetter d = byOffset.get(b.topic() + "@" + b.offset());
                assertThat(d).as("dead letter of %s", b).isNotNull();
                assertThat(d.getErrorKind().toString()).as("kind of %s", d.getReason()).isEqualTo(b.kind());
                for (String mention : b.reasonMentions()) {
                    assertThat(d.getReason().toString()).as("reason of %s", b.kind()).contains(mention);
                }
            }

            // How far the live run decides: a stream is through its newest event time (ms) minus the
            // out-of-orderness, and the aligner scores hop T once both streams are through T (every
            // furnace ends its streams together here, so per furnace is the same as overall).
            long frameMax = good.frameTimes.values().stream().flatMap(List::stream).mapToLong(t -> t).max().orElseThrow();
            long sampleMax = good.lastSampleTimes.values().stream().mapToLong(t -> t).max().orElseThrow();
            long watermarkMs = Math.min(Math.floorDiv(frameMax, 1000L), Math.floorDiv(sampleMax, 1000L))
                    - liveConfig.outOfOrderness().toMillis();
            Set<String> expectedLive = new TreeSet<>();
            int scoredHops = 0;
            for (Map.Entry<String, ExpectedWindows> e : expected.entrySet()) {
                ExpectedWindows w = e.getValue();
                for (int i = 0; i < w.size(); i++) {
                    if (w.hopMicros().get(i) / 1000 <= watermarkMs) {
                        scoredHops++;
                        long end = w.windowEndMicros().get(i);
                        reference.stream().filter(r -> r.startsWith(e.getKey() + "@" + end + " ")).forEach(expectedLive::add);
                    }
                }
            }
            assertThat(expectedLive).hasSize(scoredHops);
            Set<String> got = decisions(kafka.consumeDecoded(live.events, RecordCodec.anomalyEvents(), scoredHops,
                    TIMEOUT));
            assertThat(got).isEqualTo(expectedLive);
            assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
            System.out.printf(Locale.ROOT, "BadInputIT: %d good records, %d bad; reference %d windows (%d ANOMALY),"
                            + " live %d windows up to its watermark, identical; job RUNNING%n", good.records.size(),
                    bad.size(), all, reference.stream().filter(r -> r.endsWith("ANOMALY")).count(), got.size());
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /** Input and output topics of one run; one partition each (see the class comment). */
    private record Topics(String frames, String currents, String events, String masks, String dead) {
        static Topics create(String run) {
            return new Topics(kafka.createTopic(run + "-frames", 1, Map.of()),
                    kafka.createTopic(run + "-currents", 1, Map.of()), kafka.createTopic(run + "-events", 1, Map.of()),
                    kafka.createTopic(run + "-masks", 1, Map.of()), kafka.createTopic(run + "-dead", 1, Map.of()));
        }
    }

    private static JobConfig config(Topics t, Path checkpoints, String stopAt) {
        Map<String, String> m = new HashMap<>();
        m.put("bootstrap.servers", kafka.bootstrapServers());
        m.put("topic.frames", t.frames());
        m.put("topic.currents", t.currents());
        m.put("topic.events", t.events());
        m.put("topic.masks", t.masks());
        m.put("topic.deadletters", t.dead());
        m.put("group.id", "bad-input-" + t.frames());
        m.put("start.from", "earliest");
        m.put("stop.at", stopAt);
        m.put("input.furnaces", "F01,F02");
        m.put("watermark.idleness", "0s");
        m.put("checkpoint.interval", "1s");
        m.put("checkpoint.dir", checkpoints.toString());
        return JobConfig.of(m);
    }

    private static void publish(Topics t, List<Object> records, int from, int to) {
        try (KafkaFurnaceSink sink = new KafkaFurnaceSink(new RecordPublisher(kafka.settings()), t.frames(),
                t.currents())) {
            for (Object r : records.subList(from, to)) {
                if (r instanceof VideoFrame f) {
                    sink.frame(f);
                } else {
                    sink.current((CurrentSample) r);
                }
            }
            sink.flush();
        }
    }

    /** The seven bad records, with event times inside the good data where they have one. */
    private static List<Bad> injectBadRecords(Topics t, long middleMicros) throws Exception {
        RecordCodec<VideoFrame> frames = RecordCodec.videoFrames(0, 0);
        RecordCodec<CurrentSample> currents = RecordCodec.currentSamples();
        long farFuture = (System.currentTimeMillis() + Duration.ofHours(3).toMillis()) * 1000;
        byte[] whole = frames.encode(frame("F01", 100_000, middleMicros, 64));
        List<Bad> bad = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.settings().clientProperties(Map.of(
                "key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class)))) {
            bad.add(send(p, t.frames(), "F01", "not avro at all".getBytes(StandardCharsets.UTF_8),
                    "NOT_SINGLE_OBJECT", "single-object marker"));
            bad.add(send(p, t.frames(), "F02", Arrays.copyOf(whole, whole.length / 2), "TRUNCATED", "ends early"));
            bad.add(send(p, t.frames(), "F02", frames.encode(frame("F02", 100_001, middleMicros, 32)), "INVALID",
                    "32x32"));
            bad.add(send(p, t.currents(), "F01", currents.encode(current("F01", middleMicros, Float.NaN)), "INVALID",
                    "NaN"));
            bad.add(send(p, t.currents(), "F02", currents.encode(current("F02", middleMicros, 1e30f)),
                    "IMPLAUSIBLE_VALUE", "1.0E30 A", "input.current-range"));
            bad.add(send(p, t.frames(), "F01", frames.encode(frame("F01", 100_002, farFuture, 64)),
                    "FAR_FUTURE_TIMESTAMP", "ahead of the wall clock"));
            bad.add(send(p, t.frames(), "F99", frames.encode(frame("F99", 1, middleMicros, 64)), "UNKNOWN_FURNACE",
                    "F99", "allow-list"));
        }
        return bad;
    }

    private static Bad send(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value, String kind,
                            String... mentions) throws Exception {
        RecordMetadata m = p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        return new Bad(topic, m.offset(), kind, mentions);
    }

    private static VideoFrame frame(String furnace, long seq, long micros, int size) {
        return VideoFrame.newBuilder().setFurnaceId(furnace).setCameraId(furnace + "-cam1").setFrameSeq(seq)
                .setEventTimeMicros(micros).setWidth(size).setHeight(size)
                .setEncoding(org.fmfstream.schemas.PixelEncoding.RGB8)
                .setPayload(ByteBuffer.wrap(new byte[size * size * 3])).setGroundTruthMask(null).build();
    }

    private static CurrentSample current(String furnace, long micros, float value) {
        List<Float> l = List.of(9000f, value);
        return CurrentSample.newBuilder().setFurnaceId(furnace).setEventTimeMicros(micros).setSampleRateHz(2.0)
                .setPhaseA(l).setPhaseB(l).setPhaseC(l).build();
    }

    /** "furnace@windowEndMicros DECISION" of each event; a duplicate window fails. */
    private static Set<String> decisions(List<AnomalyEvent> events) {
        Set<String> out = new TreeSet<>();
        Set<String> windows = new TreeSet<>();
        for (AnomalyEvent e : events) {
            String w = e.getFurnaceId() + "@" + e.getWindowEndMicros();
            assertThat(windows.add(w)).as("one event per window: %s", w).isTrue();
            out.add(w + " " + e.getDecision());
        }
        return out;
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (job.getJobStatus().get(30, TimeUnit.SECONDS) != JobStatus.RUNNING) {
            assertThat(System.nanoTime()).as("job RUNNING within %s", TIMEOUT).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String keyOf(DeadLetter d) {
        if (d.getOriginalKey() == null) {
            return "-";
        }
        byte[] k = new byte[d.getOriginalKey().remaining()];
        d.getOriginalKey().duplicate().get(k);
        return new String(k, StandardCharsets.UTF_8);
    }
}
