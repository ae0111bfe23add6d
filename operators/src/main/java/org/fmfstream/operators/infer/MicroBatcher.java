package org.fmfstream.operators.infer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.model.serve.ModelHeads;
import org.fmfstream.model.serve.ModelIdentity;
import org.fmfstream.model.serve.ScoreBuffers;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.fmfstream.operators.window.AlignedWindow;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.Degradation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic micro-batching with a double buffer, independent of Flink's operator machinery.
 *
 * <p>{@link #add} (the caller's thread, Flink's task thread) tokenizes a window straight into the
 * batch buffer being filled. A dedicated inference thread takes a batch when it holds
 * {@code batchSize} windows, or when its oldest window has waited {@code batchTimeout} (measured
 * from {@code add}), scores it and completes every window's {@link ResultFuture}. Two buffer sets
 * exist: while one is scored the other fills, so tokenizing overlaps inference. When both are
 * busy (one being scored, one full or already taken by the timeout), {@code add} blocks until the
 * scored one is free; Flink's in-flight capacity of two batches makes that rare.
 *
 * <p>Failures: a window the tokenizer refuses completes its own future exceptionally and does not
 * enter a batch; when the scorer throws, every window of that batch completes exceptionally with
 * an {@link InferenceException} naming the batch and the cause. {@link #close()} lets a running
 * batch finish, then completes every window not yet scored exceptionally; {@link #abandon()} lets it
 * finish and leaves the others uncompleted, for an owner that re-issues them (Flink's async operator).
 */
final class MicroBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    private static final long JOIN_MILLIS = 30_000;

    /** Scores windows 0..batch-1 of the token buffers into {@code out}; called on the inference thread only. */
    @FunctionalInterface
    interface BatchScorer {
        void score(TokenBuffers tokens, int batch, ScoreBuffers out) throws Exception;
    }

    /** Hooks for metrics; called on the inference thread. */
    interface Observer {
        Observer NONE = new Observer() {};

        /** A batch of {@code size} windows was scored in {@code inferenceNanos}. */
        default void batchScored(int size, long inferenceNanos) {}

        /** A window waited {@code queueNanos} from {@code add} until its batch started. */
        default void windowQueued(long queueNanos) {}

        /** A batch of {@code size} windows failed. */
        default void batchFailed(int size, Throwable cause) {}
    }

    private enum State { FREE, FILLING, READY, RUNNING }

    /** One buffer set: tokens of up to batchSize windows and their pending futures. */
    static final class Slot {
        final int id;
        final TokenBuffers tokens;
        final AlignedWindow[] windows;
        final List<ResultFuture<ScoredWindow>> futures;
        final long[] addedNanos;
        int count;
        boolean writing;
        State state = State.FREE;

        Slot(int id, TokenizerSpec spec, int batchSize) {
            this.id = id;
            tokens = TokenBuffers.forWindows(spec, batchSize);
            windows = new AlignedWindow[batchSize];
            futures = new ArrayList<>(Collections.nCopies(batchSize, null));
            addedNanos = new long[batchSize];
        }
    }

    private final TokenizerSpec spec;
    private final MultiScaleTokenizer tokenizer;
    private final int batchSize;
    private final long batchTimeoutNanos;
    private final BatchScorer scorer;
    private final ModelIdentity identity;
    private final ModelHeads heads;
    private final Observer observer;
    private final ScoreBuffers out;
    private final Slot[] slots;
    private final ArrayDeque<Slot> ready = new ArrayDeque<>(2);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private Slot filling;
    private boolean closed;

    MicroBatcher(TokenizerSpec spec, int batchSize, long batchTimeout, TimeUnit unit, BatchScorer scorer,
                 ModelIdentity identity, ModelHeads heads, Observer observer, String threadName) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.spec = Objects.requireNonNull(spec, "spec");
        this.tokenizer = new MultiScaleTokenizer(spec);
        this.batchSize = batchSize;
        this.batchTimeoutNanos = unit.toNanos(batchTimeout);
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.heads = Objects.requireNonNull(heads, "heads");
        this.observer = observer == null ? Observer.NONE : observer;
        this.out = ScoreBuffers.forBatch(batchSize);
        this.slots = new Slot[] {new Slot(0, spec, batchSize), new Slot(1, spec, batchSize)};
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Tokenizes {@code window} into the filling batch; {@code future} is completed later on the
     * inference thread. Blocks only while both buffer sets are busy.
     */
    void add(AlignedWindow window, ResultFuture<ScoredWindow> future) throws InterruptedException {
        long added = System.nanoTime();
        Slot slot;
        int index;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    future.completeExceptionally(new IllegalStateException(
                            "FmFormer inference is closed; window " + window + " was not scored"));
                    return;
                }
                if (filling != null) {
                    break;
                }
                Slot free = freeSlot();
                if (free != null) {
                    free.state = State.FILLING;
                    filling = free;
                    break;
                }
                changed.await();
            }
            slot = filling;
            index = slot.count;
            slot.writing = true;
        } finally {
            lock.unlock();
        }
        boolean tokenized = false;
        try {
            tokenizer.tokenizeInto(window.clip(spec), window.currentWindow(spec), slot.tokens, index);
            tokenized = true;
        } catch (RuntimeException e) {
            future.completeExceptionally(new IllegalArgumentException(
                    "window " + window + " could not be tokenized: " + e.getMessage(), e));
        } finally {
            lock.lock();
            try {
                slot.writing = false;
                if (tokenized) {
                    slot.windows[index] = window;
                    slot.futures.set(index, future);
                    slot.addedNanos[index] = added;
                    slot.count++;
                    if (slot.count == batchSize) {
                        seal(slot);
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Windows added and not yet completed (filling, waiting and being scored). */
    int pending() {
        lock.lock();
        try {
            return slots[0].count + slots[1].count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the inference thread after the batch it is scoring (if any) and completes every window
     * not yet scored exceptionally. Idempotent.
     */
    @Override
    public void close() {
        stop(true);
    }

    /**
     * Stops the inference thread after the batch it is scoring (if any) and forgets the windows not
     * yet scored without completing them. For an owner that keeps those windows itself: Flink's async
     * operator has them in its checkpoint and re-issues them on restore, and it fails the task when a
     * window completes exceptionally, even a task that is being stopped with a savepoint. Idempotent.
     */
    void abandon() {
        stop(false);
    }

    private void stop(boolean failPending) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("inference thread {} still running {} ms after close; interrupting it", thread.getName(),
                        JOIN_MILLIS);
                thread.interrupt();
            }
        }
        lock.lock();
        try {
            for (Slot slot : slots) {
                if (slot.state != State.RUNNING) {
                    if (failPending) {
                        failAll(slot, new IllegalStateException("FmFormer inference closed before "
                                + slot.count + " pending window(s) were scored"));
                    }
                    release(slot);
                }
            }
            ready.clear();
            filling = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (true) {
                Slot batch = next();
                if (batch == null) {
                    return;
                }
                try {
                    score(batch);
                } finally {
                    lock.lock();
                    try {
                        release(batch);
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            LOG.info("inference thread {} interrupted", thread.getName());
        } catch (Throwable t) {
            LOG.error("inference thread {} failed", thread.getName(), t);
            lock.lock();
            try {
                for (Slot slot : slots) {
                    failAll(slot, new InferenceException("FmFormer inference thread failed: " + t, t));
                    release(slot);
                }
                ready.clear();
                filling = null;
                closed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The next batch to score, waiting for a full one or the oldest window's deadline; null when closed. */
    private Slot next() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Slot batch = ready.poll();
                if (batch != null) {
                    batch.state = State.RUNNING;
                    return batch;
                }
                if (closed) {
                    return null;
                }
                if (filling != null && filling.count > 0 && !filling.writing) {
                    long left = filling.addedNanos[0] + batchTimeoutNanos - System.nanoTime();
                    if (left <= 0) {
                        Slot partial = filling;
                        seal(partial);
                        ready.remove(partial);
                        partial.state = State.RUNNING;
                        return partial;
                    }
                    changed.awaitNanos(left);
                } else {
                    changed.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void score(Slot batch) {
        int n = batch.count;
        long start = System.nanoTime();
        for (int b = 0; b < n; b++) {
            observer.windowQueued(start - batch.addedNanos[b]);
        }
        try {
            scorer.score(batch.tokens, n, out);
        } catch (Throwable t) {
            InferenceException failure = new InferenceException("FmFormer inference failed for a batch of " + n
                    + " window(s) (first " + batch.windows[0] + ") on model " + identity.name() + " "
                    + identity.version() + ": " + t, t);
            LOG.error("{}", failure.getMessage(), t);
            observer.batchFailed(n, t);
            for (int b = 0; b < n; b++) {
                batch.futures.get(b).completeExceptionally(failure);
            }
            if (t instanceof Error error && !(t instanceof AssertionError)) {
                throw error;
            }
            return;
        }
        long inferenceNanos = System.nanoTime() - start;
        for (int b = 0; b < n; b++) {
            ScoredWindow scored = result(batch.windows[b], b, n, start - batch.addedNanos[b], inferenceNanos);
            batch.futures.get(b).complete(Collections.singletonList(scored));
        }
        observer.batchScored(n, inferenceNanos);
    }

    private ScoredWindow result(AlignedWindow w, int b, int n, long queueNanos, long inferenceNanos) {
        ScoredWindow s = new ScoredWindow();
        s.furnaceId = w.furnaceId;
        s.windowStartMicros = w.windowStartMicros;
        s.windowEndMicros = w.windowEndMicros;
        s.frameSeqs = w.frameSeqs;
        s.scoredFrame = w.scoredFrame();
        s.groundTruthMask = w.groundTruthMask;
        s.degradations = w.degradations(spec).toArray(new Degradation[0]);
        s.lastIngestMillis = w.lastIngestMillis;
        s.decidedMillis = w.decidedMillis;
        s.anomalyProbability = out.probabilities()[b];
        int c = ScoreBuffers.CLASSES;
        s.videoLogits = new float[] {out.videoLogits()[b * c], out.videoLogits()[b * c + 1]};
        s.currentLogits = new float[] {out.currentLogits()[b * c], out.currentLogits()[b * c + 1]};
        if (heads.denseHead()) {
            s.maskProbabilities = new float[ScoreBuffers.MASK_PIXELS];
            System.arraycopy(out.maskProbabilities(), b * ScoreBuffers.MASK_PIXELS, s.maskProbabilities, 0,
                    ScoreBuffers.MASK_PIXELS);
            s.maskPixels = DecisionRule.maskPixels(s.maskProbabilities);
        } else {
            // A model without dense head: the window has no mask, and its event none either.
            s.maskProbabilities = new float[0];
            s.maskPixels = 0;
        }
        s.outputProblem = nonFinite(s);
        s.modelName = identity.name();
        s.modelVersion = identity.version();
        s.modelSha256 = identity.sha256();
        s.batchSize = n;
        s.queueNanos = queueNanos;
        s.inferenceNanos = inferenceNanos;
        return s;
    }

    /**
     * Which of the window's outputs is not finite, or null. A NaN from the model (weights, an input
     * the network cannot normalise) must not reach the encoders, whose validation would fail the job.
     */
    static String nonFinite(ScoredWindow s) {
        if (!Float.isFinite(s.anomalyProbability)) {
            return "anomaly probability " + s.anomalyProbability;
        }
        for (float v : s.videoLogits) {
            if (!Float.isFinite(v)) {
                return "video logits " + java.util.Arrays.toString(s.videoLogits);
            }
        }
        for (float v : s.currentLogits) {
            if (!Float.isFinite(v)) {
                return "current logits " + java.util.Arrays.toString(s.currentLogits);
            }
        }
        for (int i = 0; i < s.maskProbabilities.length; i++) {
            if (!Float.isFinite(s.maskProbabilities[i])) {
                return "mask probability of pixel " + i + " " + s.maskProbabilities[i];
            }
        }
        return null;
    }

    private Slot freeSlot() {
        for (Slot slot : slots) {
            if (slot.state == State.FREE) {
                return slot;
            }
        }
        return null;
    }

    private void seal(Slot slot) {
        slot.state = State.READY;
        ready.add(slot);
        if (filling == slot) {
            filling = null;
        }
    }

    private void release(Slot slot) {
        for (int b = 0; b < slot.count; b++) {
            slot.windows[b] = null;
            slot.futures.set(b, null);
        }
        slot.count = 0;
        slot.state = State.FREE;
    }

    private static void failAll(Slot slot, Throwable failure) {
        for (int b = 0; b < slot.count; b++) {
            ResultFuture<ScoredWindow> future = slot.futures.get(b);
            if (future != null) {
                future.completeExceptionally(failure);
            }
        }
    }
}
