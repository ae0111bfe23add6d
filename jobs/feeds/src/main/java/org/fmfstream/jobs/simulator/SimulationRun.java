package org.fmfstream.jobs.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.fmfstream.jobs.feed.FurnaceRecordSink;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;

/**
 * Delivers a {@link Simulation} to a {@link FurnaceRecordSink}: all furnaces' frames and current
 * blocks merged in the order they become available (a frame when taken, a block when its last
 * reading is taken), with the transport faults of the config applied (dropped frames, out-of-order
 * and late records), either as fast as the sink takes them or paced to the wall clock.
 *
 * <pre>{@code
 * RunSummary s = SimulationRun.of(Simulation.of(config)).fast().deliverTo(sink);
 * }</pre>
 */
public final class SimulationRun {
    private final Simulation simulation;
    private Pacing pacing = Pacing.fast();
    private Duration progressEvery;
    private Consumer<RunSummary> progress;
    private volatile boolean stopRequested;

    private SimulationRun(Simulation simulation) {
        this.simulation = simulation;
    }

    public static SimulationRun of(Simulation simulation) {
        return new SimulationRun(simulation);
    }

    /** Deliver as fast as the sink takes records (the default). */
    public SimulationRun fast() {
        pacing = Pacing.fast();
        return this;
    }

    /** Deliver each record when the wall clock reaches its time (the start maps to "now"). */
    public SimulationRun realtime() {
        return realtime(Duration.ZERO);
    }

    /**
     * Deliver the first {@code backfill} of simulated time at once, then the rest in real time (start
     * + backfill maps to "now"): a simulation started {@code backfill} in the past gives a consumer the
     * history a running plant would already have, e.g. the 120 s of current a full window needs.
     */
    public SimulationRun realtime(Duration backfill) {
        if (backfill.isNegative()) {
            throw new IllegalArgumentException("backfill must be >= 0, got " + backfill);
        }
        pacing = Pacing.wallClock(simulation.config().startEpochMicros() + backfill.toNanos() / 1000);
        return this;
    }

    /** Report a summary so far at most every {@code every} of wall time. */
    public SimulationRun onProgress(Duration every, Consumer<RunSummary> listener) {
        this.progressEvery = every;
        this.progress = listener;
        return this;
    }

    /** Ask a running {@link #deliverTo} (on another thread) to finish early; it still flushes. */
    public void stop() {
        stopRequested = true;
    }

    /** Runs the simulation into {@code sink}, flushes it (but does not close it) and sums up. */
    public RunSummary deliverTo(FurnaceRecordSink sink) {
        List<Source> pendingSources = new ArrayList<>();
        List<Counters> counters = new ArrayList<>();
        for (FurnaceSimulation f : simulation.furnaces()) {
            Counters c = new Counters(f);
            counters.add(c);
            pendingSources.add(new FrameSource(f, c, pendingSources.size()));
            pendingSources.add(new SampleSource(f, c, pendingSources.size()));
        }
        PriorityQueue<Source> sources = new PriorityQueue<>(
                Comparator.comparingLong(Source::availableMicros).thenComparingInt(s -> s.order));
        for (Source s : pendingSources) {
            if (s.hasNext()) {
                sources.add(s);
            }
        }
        PriorityQueue<Outgoing> outbox = new PriorityQueue<>(
                Comparator.comparingLong(Outgoing::emitMicros).thenComparingLong(Outgoing::order));
        long order = 0;
        long simulatedUpTo = simulation.config().startEpochMicros();
        long progressNanos = progressEvery == null ? Long.MAX_VALUE : progressEvery.toNanos();
        long lastProgress = System.nanoTime();
        boolean stopped = false;

        deliver:
        while (true) {
            Source next = sources.peek();
            long horizon = next == null ? Long.MAX_VALUE : next.availableMicros();
            // Anything due before the next record becomes available goes out now.
            while (!outbox.isEmpty() && outbox.peek().emitMicros() <= horizon) {
                Outgoing o = outbox.poll();
                if (!pacing.await(o.emitMicros(), () -> stopRequested)) {
                    stopped = true;
                    break deliver;
                }
                o.deliver(sink);
                if (System.nanoTime() - lastProgress >= progressNanos) {
                    lastProgress = System.nanoTime();
                    progress.accept(summary(counters, simulatedUpTo, false));
                }
            }
            if (next == null) {
                break;
            }
            if (stopRequested) {
                stopped = true;
                break;
            }
            sources.poll();
            simulatedUpTo = next.availableMicros();
            Outgoing o = next.take(order++);
            if (o != null) {
                outbox.add(o);
            }
            if (next.hasNext()) {
                sources.add(next);
            }
        }
        sink.flush();
        return summary(counters, simulatedUpTo, !stopped);
    }

    private RunSummary summary(List<Counters> counters, long simulatedUpTo, boolean complete) {
        List<FurnaceTally> tallies = new ArrayList<>();
        for (Counters c : counters) {
            tallies.add(c.tally());
        }
        long start = simulation.config().startEpochMicros();
        Duration simulated = complete ? simulation.config().duration()
                : Duration.ofNanos(Math.max(0, simulatedUpTo - start) * 1000);
        return new RunSummary(List.copyOf(tallies), simulated, complete);
    }

    /** One record on its way to the sink. */
    private record Outgoing(long emitMicros, long order, Counters counters, VideoFrame frame, boolean anomalous,
                            CurrentSample sample, TransportFaults.Fate fate) {
        void deliver(FurnaceRecordSink sink) {
            if (frame != null) {
                sink.frame(frame);
                counters.framesDelivered++;
                if (anomalous) {
                    counters.anomalousFrames++;
                }
            } else {
                sink.current(sample);
                counters.samples++;
                counters.readings += sample.getPhaseA().size();
            }
            if (fate == TransportFaults.Fate.OUT_OF_ORDER) {
                counters.outOfOrder++;
            } else if (fate == TransportFaults.Fate.LATE) {
                counters.late++;
            }
        }
    }

    /** One furnace's stream of frames or of current blocks. */
    private abstract static class Source {
        final int order;
        final Counters counters;

        Source(Counters counters, int order) {
            this.counters = counters;
            this.order = order;
        }

        abstract boolean hasNext();

        abstract long availableMicros();

        /** The next record with its transport fate applied; null when it is dropped. */
        abstract Outgoing take(long sequence);
    }

    private static final class FrameSource extends Source {
        private final FrameStream frames;
        private final TransportFaults faults;

        FrameSource(FurnaceSimulation f, Counters counters, int order) {
            super(counters, order);
            this.frames = f.frames();
            this.faults = f.frameTransport();
        }

        @Override
        boolean hasNext() {
            return frames.hasNext();
        }

        @Override
        long availableMicros() {
            return frames.peekTrueTimeMicros();
        }

        @Override
        Outgoing take(long sequence) {
            // Rendered even when dropped: the rest of the video must not depend on what was lost.
            SimulatedFrame frame = frames.next();
            TransportFaults.Decision d = faults.decide();
            if (d.fate() == TransportFaults.Fate.DROPPED) {
                counters.framesDropped++;
                return null;
            }
            return new Outgoing(frame.trueTimeMicros() + d.delayMicros(), sequence, counters, frame.toVideoFrame(),
                    frame.anomalous(), null, d.fate());
        }
    }

    private static final class SampleSource extends Source {
        private final CurrentSampleStream samples;
        private final TransportFaults faults;

        SampleSource(FurnaceSimulation f, Counters counters, int order) {
            super(counters, order);
            this.samples = f.currentSamples();
            this.faults = f.sampleTransport();
        }

        @Override
        boolean hasNext() {
            return samples.hasNext();
        }

        @Override
        long availableMicros() {
            return samples.peekAvailableMicros();
        }

        @Override
        Outgoing take(long sequence) {
            CurrentSample sample = samples.next();
            TransportFaults.Decision d = faults.decide();
            return new Outgoing(samples.lastReadingMicros() + d.delayMicros(), sequence, counters, null, false,
                    sample, d.fate());
        }
    }

    /** Mutable per-furnace counts; only the delivering thread writes them. */
    private static final class Counters {
        final String furnaceId;
        final int episodes;
        long framesDelivered;
        long framesDropped;
        long anomalousFrames;
        long samples;
        long readings;
        long outOfOrder;
        long late;

        Counters(FurnaceSimulation f) {
            this.furnaceId = f.furnaceId();
            this.episodes = f.episodes().size();
        }

        FurnaceTally tally() {
            return new FurnaceTally(furnaceId, episodes, framesDelivered, framesDropped, anomalousFrames, samples,
                    readings, outOfOrder, late);
        }
    }
}
