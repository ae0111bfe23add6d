package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;

class SimulationRunTest {

    @Test
    void cleanRunDeliversEveryRecordInTheOrderItBecomesAvailable() {
        SimulatorConfig config = SimulatorConfig.builder()
                .seed(3).furnaces(3).duration(Duration.ofSeconds(30)).readingsPerSample(4)
                .episodesPerHour(60).episodeLength(Duration.ofSeconds(10), Duration.ofSeconds(20))
                .maxClockSkewMillis(0).clockJitterMillis(0).noTransportFaults().build();
        Simulation sim = Simulation.of(config);
        CollectingSink sink = new CollectingSink();
        RunSummary summary = SimulationRun.of(sim).deliverTo(sink);

        long previous = Long.MIN_VALUE;
        Map<String, Long> nextSeq = new HashMap<>();
        Map<String, Long> anomalous = new HashMap<>();
        for (Object r : sink.records) {
            long available;
            if (r instanceof VideoFrame f) {
                available = f.getEventTimeMicros();
                assertThat(f.getFrameSeq()).isEqualTo(nextSeq.getOrDefault(f.getFurnaceId(), 0L));
                nextSeq.put(f.getFurnaceId(), f.getFrameSeq() + 1);
                assertThat(f.getGroundTruthMask().remaining()).isEqualTo(64 * 64);
                assertThat(f.getPayload().remaining()).isEqualTo(64 * 64 * 3);
                boolean masked = false;
                for (int i = 0; i < 64 * 64; i++) {
                    masked |= f.getGroundTruthMask().get(i) != 0;
                }
                if (masked) {
                    anomalous.merge(f.getFurnaceId(), 1L, Long::sum);
                }
            } else {
                CurrentSample s = (CurrentSample) r;
                available = s.getEventTimeMicros() + (s.getPhaseA().size() - 1) * 500_000L;
            }
            assertThat(available).isGreaterThanOrEqualTo(previous);
            previous = available;
        }
        assertThat(summary.complete()).isTrue();
        assertThat(summary.simulated()).isEqualTo(Duration.ofSeconds(30));
        assertThat(summary.framesDelivered()).isEqualTo(sink.frames.size()).isEqualTo(3 * 750);
        assertThat(summary.currentSamples()).isEqualTo(sink.samples.size()).isEqualTo(3 * 15);
        for (FurnaceTally t : summary.furnaces()) {
            FurnaceSimulation f = sim.furnaces().get(summary.furnaces().indexOf(t));
            assertThat(t.furnaceId()).isEqualTo(f.furnaceId());
            assertThat(t.framesDelivered()).isEqualTo(750);
            assertThat(t.framesDropped()).isZero();
            assertThat(t.currentReadings()).isEqualTo(60);
            assertThat(t.episodes()).isEqualTo(f.episodes().size());
            assertThat(t.anomalousFrames()).isEqualTo(anomalous.getOrDefault(t.furnaceId(), 0L));
            assertThat(t.outOfOrder() + t.late()).isZero();
        }
        assertThat(summary.anomalousFrames()).isPositive();
        // Every record passes the contract's own validation, as the detection job will read it.
        RecordCodec<VideoFrame> frames = RecordCodec.videoFrames();
        RecordCodec<CurrentSample> samples = RecordCodec.currentSamples();
        for (VideoFrame f : sink.frames) {
            assertThat(frames.decode(frames.encode(f)).errorOrNull()).isNull();
        }
        for (CurrentSample s : sink.samples) {
            assertThat(samples.decode(samples.encode(s)).errorOrNull()).isNull();
        }
        assertThat(summary.report()).contains("Simulation complete", "F01:", "F03:", "anomalous frames");
        assertThat(sink.flushes).isEqualTo(1);
        assertThat(sink.closed).as("the caller owns the sink").isFalse();
    }

    @Test
    void transportFaultsAppearInTheConfiguredShares() {
        double lateness = 3;
        SimulatorConfig config = SimulatorConfig.builder()
                .seed(12).furnaces(2).duration(Duration.ofMinutes(5))
                .droppedFrameFraction(0.05).outOfOrderFraction(0.04).lateFraction(0.02)
                .lateness(Duration.ofSeconds((long) lateness)).build();
        CollectingSink sink = new CollectingSink();
        RunSummary summary = SimulationRun.of(Simulation.of(config)).deliverTo(sink);

        Map<String, Long> maxSeen = new HashMap<>();
        long outOfOrder = 0;
        long late = 0;
        double smallestLateLag = Double.MAX_VALUE;
        double largestLag = 0;
        for (Object r : sink.records) {
            String stream;
            long eventTime;
            if (r instanceof VideoFrame f) {
                stream = f.getFurnaceId() + "/video";
                eventTime = f.getEventTimeMicros();
            } else {
                CurrentSample s = (CurrentSample) r;
                stream = s.getFurnaceId() + "/current";
                eventTime = s.getEventTimeMicros();
            }
            long seen = maxSeen.getOrDefault(stream, eventTime);
            double lagSeconds = (seen - eventTime) / 1e6;
            if (lagSeconds > lateness / 2) {
                late++;
                // Near the end too few successors are left to show the whole hold-back.
                if (eventTime < config.endEpochMicros() - 2 * lateness * 1e6) {
                    smallestLateLag = Math.min(smallestLateLag, lagSeconds);
                }
            } else if (lagSeconds > 0) {
                outOfOrder++;
            }
            largestLag = Math.max(largestLag, lagSeconds);
            maxSeen.put(stream, Math.max(seen, eventTime));
        }
        long total = sink.records.size();
        long rendered = 2 * config.frameCount();
        long dropped = rendered - sink.frames.size();
        System.out.printf("dropped %.4f of frames, out of order %.4f, late %.4f of %d records%n",
                dropped / (double) rendered, outOfOrder / (double) total, late / (double) total, total);

        assertThat(dropped / (double) rendered).isBetween(0.04, 0.06);
        assertThat(summary.furnaces().stream().mapToLong(FurnaceTally::framesDropped).sum()).isEqualTo(dropped);
        assertThat(gapsInFrameSeq(sink.frames)).isEqualTo(dropped);
        assertThat(outOfOrder / (double) total).isBetween(0.032, 0.048);
        assertThat(late / (double) total).isBetween(0.015, 0.025);
        // Records held back at the very end of the run have no successors left to overtake them.
        long lateSent = summary.furnaces().stream().mapToLong(FurnaceTally::late).sum();
        assertThat(lateSent - late).isBetween(0L, 5L);
        // Late means held back about the lateness: never less than most of it, never much more.
        assertThat(smallestLateLag).isGreaterThan(0.8 * lateness);
        assertThat(largestLag).isLessThan(1.25 * lateness);
    }

    private static long gapsInFrameSeq(List<VideoFrame> frames) {
        Map<String, List<Long>> seqs = new HashMap<>();
        for (VideoFrame f : frames) {
            seqs.computeIfAbsent(f.getFurnaceId(), k -> new ArrayList<>()).add(f.getFrameSeq());
        }
        long missing = 0;
        for (List<Long> list : seqs.values()) {
            list.sort(Long::compare);
            for (int i = 0; i < list.size(); i++) {
                long expected = i == 0 ? 0 : list.get(i - 1) + 1;
                missing += list.get(i) - expected;
            }
            missing += 7500 - 1 - list.get(list.size() - 1);
        }
        return missing;
    }

    @Test
    void cameraClocksAreSkewedAgainstThePlcClockByTheFurnacesOffset() {
        SimulatorConfig config = SimulatorConfig.builder()
                .seed(4).furnaces(4).duration(Duration.ofSeconds(60))
                .maxClockSkewMillis(400).clockJitterMillis(5).noTransportFaults().build();
        Simulation sim = Simulation.of(config);
        CollectingSink sink = new CollectingSink();
        SimulationRun.of(sim).deliverTo(sink);

        Map<String, List<Long>> offsets = new HashMap<>();
        for (VideoFrame f : sink.frames) {
            long plcTime = config.frameTimeMicros(f.getFrameSeq());
            offsets.computeIfAbsent(f.getFurnaceId(), k -> new ArrayList<>()).add(f.getEventTimeMicros() - plcTime);
        }
        for (CurrentSample s : sink.samples) {
            long k = (s.getEventTimeMicros() - config.startEpochMicros()) / 500_000;
            assertThat(s.getEventTimeMicros()).as("PLC time is the reference")
                    .isEqualTo(config.readingTimeMicros(k));
        }
        List<Long> skews = new ArrayList<>();
        for (FurnaceSimulation f : sim.furnaces()) {
            List<Long> list = offsets.get(f.furnaceId());
            list.sort(Long::compare);
            long median = list.get(list.size() / 2);
            long skew = f.cameraSkewMicros();
            System.out.printf("%s: camera - PLC clock median %+.1f ms (skew %+.1f ms)%n", f.furnaceId(),
                    median / 1000.0, skew / 1000.0);
            assertThat(Math.abs(skew)).isLessThanOrEqualTo(400_000);
            assertThat(median).isBetween(skew - 1_000, skew + 1_000);
            assertThat(list.get(0)).isGreaterThanOrEqualTo(skew - 5_000);
            assertThat(list.get(list.size() - 1)).isLessThanOrEqualTo(skew + 5_000);
            assertThat(list.get(list.size() - 1) - list.get(0)).as("jitter is there").isGreaterThan(8_000);
            skews.add(skew);
        }
        assertThat(skews).doesNotHaveDuplicates();
        assertThat(skews.stream().mapToLong(Math::abs).max().orElseThrow()).isGreaterThan(100_000);
    }

    @Test
    void realtimeRunKeepsPaceWithTheWallClock() {
        SimulatorConfig config = SimulatorConfig.builder()
                .seed(2).furnaces(1).duration(Duration.ofSeconds(2)).fps(10)
                .start(Instant.now()).maxClockSkewMillis(0).clockJitterMillis(0).noTransportFaults().build();
        CollectingSink sink = new CollectingSink();
        List<RunSummary> progress = new ArrayList<>();
        long began = System.nanoTime();
        RunSummary summary = SimulationRun.of(Simulation.of(config)).realtime()
                .onProgress(Duration.ofMillis(300), progress::add).deliverTo(sink);
        double seconds = (System.nanoTime() - began) / 1e9;

        assertThat(summary.complete()).isTrue();
        assertThat(sink.frames).hasSize(20);
        assertThat(seconds).isBetween(1.8, 8.0);
        // Simulated time runs with the wall clock from the first record on (readings sent when taken).
        long firstArrival = sink.arrivedAtMillis.get(0);
        for (int i = 0; i < sink.records.size(); i++) {
            long dueMillis = sink.records.get(i) instanceof VideoFrame f ? f.getEventTimeMicros() / 1000
                    : ((CurrentSample) sink.records.get(i)).getEventTimeMicros() / 1000;
            long sinceStart = dueMillis - config.startEpochMicros() / 1000;
            assertThat(sink.arrivedAtMillis.get(i) - firstArrival - sinceStart).as("record %d arrives on time", i)
                    .isBetween(-20L, 300L);
        }
        assertThat(firstArrival - config.startEpochMicros() / 1000).as("start is now").isBetween(-20L, 3_000L);
        assertThat(progress).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i).framesDelivered()).isGreaterThanOrEqualTo(progress.get(i - 1).framesDelivered());
            assertThat(progress.get(i).complete()).isFalse();
        }
    }

    @Test
    void aBackfillGoesOutAtOnceAndTheRestInRealTime() {
        // 3 s of simulated time starting 2 s ago: the first 2 s are history, the last second is live.
        SimulatorConfig config = SimulatorConfig.builder()
                .seed(2).furnaces(1).duration(Duration.ofSeconds(3)).fps(10)
                .start(Instant.now().minusSeconds(2)).maxClockSkewMillis(0).clockJitterMillis(0).noTransportFaults()
                .build();
        CollectingSink sink = new CollectingSink();
        long began = System.nanoTime();
        RunSummary summary = SimulationRun.of(Simulation.of(config)).realtime(Duration.ofSeconds(2)).deliverTo(sink);
        double seconds = (System.nanoTime() - began) / 1e9;

        assertThat(summary.complete()).isTrue();
        assertThat(sink.frames).hasSize(30);
        assertThat(seconds).as("only the live second is paced").isBetween(0.8, 6.0);
        long firstArrival = sink.arrivedAtMillis.get(0);
        long historyEnd = config.startEpochMicros() / 1000 + 2_000;
        for (int i = 0; i < sink.records.size(); i++) {
            long dueMillis = sink.records.get(i) instanceof VideoFrame f ? f.getEventTimeMicros() / 1000
                    : ((CurrentSample) sink.records.get(i)).getEventTimeMicros() / 1000;
            long arrivedAfterFirst = sink.arrivedAtMillis.get(i) - firstArrival;
            if (dueMillis < historyEnd - 100) {
                assertThat(arrivedAfterFirst).as("history record %d goes out at once", i).isLessThan(500L);
            } else {
                assertThat(arrivedAfterFirst - (dueMillis - historyEnd)).as("live record %d on time", i)
                        .isBetween(-150L, 400L);
            }
        }
    }

    @Test
    void stopEndsARealtimeRunEarlyAndStillFlushes() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().furnaces(2).duration(Duration.ofHours(1))
                .start(Instant.now()).build();
        SimulationRun run = SimulationRun.of(Simulation.of(config)).realtime();
        CollectingSink sink = new CollectingSink();
        AtomicReference<RunSummary> result = new AtomicReference<>();
        Thread runner = new Thread(() -> result.set(run.deliverTo(sink)));
        runner.start();
        Thread.sleep(400);
        run.stop();
        runner.join(5_000);

        assertThat(runner.isAlive()).isFalse();
        RunSummary summary = result.get();
        assertThat(summary.complete()).isFalse();
        assertThat(summary.simulated()).isLessThan(Duration.ofSeconds(10));
        assertThat(summary.framesDelivered()).isEqualTo(sink.frames.size()).isPositive();
        assertThat(summary.report()).contains("stopped early");
        assertThat(sink.flushes).isEqualTo(1);
    }
}
