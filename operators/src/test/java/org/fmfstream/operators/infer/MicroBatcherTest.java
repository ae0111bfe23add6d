package org.fmfstream.operators.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.fmfstream.model.serve.ModelHeads;
import org.fmfstream.model.serve.ModelIdentity;
import org.fmfstream.model.serve.ScoreBuffers;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.operators.window.AlignedWindow;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.Degradation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batcher with a fake scorer: no model, no Flink. */
class MicroBatcherTest {

    private static final ModelIdentity ID = new ModelIdentity("fake", "v1", "ab".repeat(32));
    private static final int STANDARD = TestWindows.SPEC.standardLength();

    /** Fake model: P(abnormal) of window b = its standard token 0 (the marker byte / 255); records each call. */
    private static final class FakeScorer implements MicroBatcher.BatchScorer {
        final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        final List<float[]> buffers = Collections.synchronizedList(new ArrayList<>());
        /** When set, the first call waits for it (a long inference pass). */
        volatile CountDownLatch holdFirst;
        final CountDownLatch firstStarted = new CountDownLatch(1);
        volatile RuntimeException failure;
        /** Window index of a batch whose probability comes out NaN, or -1. */
        volatile int nanAt = -1;

        @Override
        public void score(TokenBuffers tokens, int batch, ScoreBuffers out) throws Exception {
            float[] standard = tokens.standard();
            sizes.add(batch);
            buffers.add(standard);
            CountDownLatch hold = holdFirst;
            if (sizes.size() == 1 && hold != null) {
                firstStarted.countDown();
                hold.await(10, TimeUnit.SECONDS);
            }
            if (failure != null) {
                throw failure;
            }
            for (int b = 0; b < batch; b++) {
                out.probabilities()[b] = standard[b * STANDARD];
                out.videoLogits()[2 * b] = b;
                out.currentLogits()[2 * b + 1] = -b;
                out.maskProbabilities()[b * ScoreBuffers.MASK_PIXELS + 5] = 0.25f * b;
                if (b == nanAt) {
                    out.probabilities()[b] = Float.NaN;
                }
            }
        }
    }

    private final FakeScorer scorer = new FakeScorer();
    private MicroBatcher batcher;

    private MicroBatcher batcher(int size, long timeoutMillis) {
        batcher = new MicroBatcher(TestWindows.SPEC, size, timeoutMillis, TimeUnit.MILLISECONDS, scorer, ID, ModelHeads.BOTH, null,
                "test-inference");
        return batcher;
    }

    @AfterEach
    void close() {
        if (batcher != null) {
            batcher.close();
        }
    }

    private List<TestWindows.Future> addAll(List<AlignedWindow> windows) throws InterruptedException {
        List<TestWindows.Future> futures = new ArrayList<>();
        for (AlignedWindow w : windows) {
            TestWindows.Future f = new TestWindows.Future();
            batcher.add(w, f);
            futures.add(f);
        }
        return futures;
    }

    private static ScoredWindow get(TestWindows.Future f) throws Exception {
        return f.result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void fullBatchesRunWithoutWaitingForTheTimeoutAndEachWindowGetsItsOwnScore() throws Exception {
        batcher(4, 60_000);
        List<AlignedWindow> windows = TestWindows.windows(8, 1);
        long start = System.nanoTime();
        List<TestWindows.Future> futures = addAll(windows);
        for (int i = 0; i < 8; i++) {
            ScoredWindow s = get(futures.get(i));
            AlignedWindow w = windows.get(i);
            assertThat(s.anomalyProbability).isEqualTo(i / 255f);
            assertThat(s.furnaceId).isEqualTo(w.furnaceId);
            assertThat(s.windowEndMicros).isEqualTo(w.windowEndMicros);
            assertThat(s.windowStartMicros).isEqualTo(w.windowStartMicros);
            assertThat(s.frameSeqs).isEqualTo(w.frameSeqs);
            assertThat(s.scoredFrame).isSameAs(w.frames[9]);
            assertThat(s.lastIngestMillis).isEqualTo(w.lastIngestMillis);
            assertThat(s.decidedMillis).isEqualTo(w.decidedMillis);
            assertThat(s.degradations).isEmpty();
            assertThat(s.batchSize).isEqualTo(4);
            int b = i % 4;
            assertThat(s.videoLogits).containsExactly(b, 0f);
            assertThat(s.currentLogits).containsExactly(0f, -b);
            assertThat(s.maskProbabilities).hasSize(4096);
            assertThat(s.maskProbabilities[5]).isEqualTo(0.25f * b);
            assertThat(s.maskPixels).as("pixels at P >= 0.5, counted once here").isEqualTo(b >= 2 ? 1 : 0);
            assertThat(s.modelName).isEqualTo("fake");
            assertThat(s.modelVersion).isEqualTo("v1");
            assertThat(s.modelSha256).isEqualTo(ID.sha256());
            assertThat(s.inferenceNanos).isPositive();
            assertThat(s.queueNanos).isNotNegative();
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
        assertThat(scorer.sizes).containsExactly(4, 4);
        assertThat(batcher.pending()).isZero();
    }

    @Test
    void aNonFiniteOutputMarksThatWindowOnly() throws Exception {
        batcher(4, 60_000);
        scorer.nanAt = 2;
        List<TestWindows.Future> futures = addAll(TestWindows.windows(4, 1));
        for (int i = 0; i < 4; i++) {
            ScoredWindow s = get(futures.get(i));
            if (i == 2) {
                assertThat(s.outputProblem).isEqualTo("anomaly probability NaN");
            } else {
                assertThat(s.outputProblem).isNull();
            }
        }
    }

    @Test
    void aPartialBatchRunsWhenItsOldestWindowHasWaitedTheTimeout() throws Exception {
        batcher(16, 150);
        long start = System.nanoTime();
        List<TestWindows.Future> futures = addAll(TestWindows.windows(3, 2));
        for (TestWindows.Future f : futures) {
            ScoredWindow s = get(f);
            assertThat(s.batchSize).isEqualTo(3);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(150);
        assertThat(get(futures.get(0)).queueNanos).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(scorer.sizes).containsExactly(3);
    }

    @Test
    void theNextBatchFillsTheOtherBufferWhileOneIsScoredAndBuffersAreReused() throws Exception {
        batcher(2, 60_000);
        CountDownLatch release = new CountDownLatch(1);
        scorer.holdFirst = release;
        List<AlignedWindow> windows = TestWindows.windows(6, 3);
        List<TestWindows.Future> all = new ArrayList<>(addAll(windows.subList(0, 2)));
        assertThat(scorer.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // While the first batch is being scored, the next two tokenize into the second buffer set
        // (add returns: tokenizing overlaps inference).
        all.addAll(addAll(windows.subList(2, 4)));
        assertThat(all.get(0).result).isNotDone();
        assertThat(batcher.pending()).isEqualTo(4);
        // Both buffer sets are busy now: a fifth window waits until the first set is free.
        List<TestWindows.Future> third = Collections.synchronizedList(new ArrayList<>());
        Thread adder = new Thread(() -> {
            try {
                third.addAll(addAll(windows.subList(4, 6)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        adder.start();
        adder.join(200);
        assertThat(adder.isAlive()).isTrue();
        assertThat(batcher.pending()).isEqualTo(4);
        release.countDown();
        adder.join(10_000);
        assertThat(adder.isAlive()).isFalse();
        all.addAll(third);
        for (int i = 0; i < 6; i++) {
            assertThat(get(all.get(i)).anomalyProbability).isEqualTo(i / 255f);
        }
        assertThat(scorer.sizes).containsExactly(2, 2, 2);
        assertThat(scorer.buffers.get(1)).isNotSameAs(scorer.buffers.get(0));
        assertThat(scorer.buffers.get(2)).isSameAs(scorer.buffers.get(0));
    }

    @Test
    void abandonLeavesWindowsThatWereNotScoredUncompletedAndRefusesNewOnes() throws Exception {
        batcher(16, 60_000);
        List<TestWindows.Future> futures = addAll(TestWindows.windows(3, 4));
        batcher.abandon();
        for (TestWindows.Future f : futures) {
            assertThat(f.result).isNotDone();
        }
        TestWindows.Future late = new TestWindows.Future();
        batcher.add(TestWindows.window("f", 9, 9, 9), late);
        assertThatThrownBy(() -> get(late)).hasMessageContaining("inference is closed");
        assertThat(scorer.sizes).isEmpty();
        assertThat(batcher.pending()).isZero();
    }

    @Test
    void closeFailsWindowsThatWereNotScoredAndRefusesNewOnes() throws Exception {
        batcher(16, 60_000);
        List<TestWindows.Future> futures = addAll(TestWindows.windows(3, 4));
        batcher.close();
        for (TestWindows.Future f : futures) {
            assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed before 3 pending window(s) were scored");
        }
        TestWindows.Future late = new TestWindows.Future();
        batcher.add(TestWindows.window("f", 9, 9, 9), late);
        assertThatThrownBy(() -> get(late)).hasMessageContaining("inference is closed");
        assertThat(scorer.sizes).isEmpty();
        assertThat(batcher.pending()).isZero();
    }

    @Test
    void aModelErrorFailsEveryWindowOfItsBatchWithAClearMessage() throws Exception {
        batcher(2, 60_000);
        scorer.failure = new IllegalStateException("engine exploded");
        List<TestWindows.Future> futures = addAll(TestWindows.windows(2, 5));
        for (TestWindows.Future f : futures) {
            assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InferenceException.class)
                    .hasMessageContaining("FmFormer inference failed for a batch of 2 window(s)")
                    .hasMessageContaining("engine exploded")
                    .hasRootCauseMessage("engine exploded");
        }
        // The batcher keeps going: the next batch scores normally.
        scorer.failure = null;
        List<TestWindows.Future> next = addAll(TestWindows.windows(2, 6));
        assertThat(get(next.get(1)).anomalyProbability).isEqualTo(1 / 255f);
    }

    @Test
    void aWindowTheTokenizerRefusesFailsAloneAndDegradationsAreReported() throws Exception {
        batcher(2, 60_000);
        AlignedWindow bad = TestWindows.window("f", 0, 0, 7);
        bad.frames[3] = new byte[10];
        AlignedWindow noCurrent = TestWindows.window("f", 1, 1, 8);
        noCurrent.phaseA = noCurrent.phaseB = noCurrent.phaseC = new float[0];
        noCurrent.substitutedFrames = 2;
        AlignedWindow noVideo = new AlignedWindow();
        noVideo.furnaceId = "f";
        noVideo.phaseA = noVideo.phaseB = noVideo.phaseC = new float[] {10_000f, 10_100f};
        List<TestWindows.Future> futures = addAll(List.of(bad, noCurrent, noVideo));
        assertThatThrownBy(() -> get(futures.get(0))).hasMessageContaining("could not be tokenized");
        ScoredWindow a = get(futures.get(1));
        ScoredWindow b = get(futures.get(2));
        assertThat(a.degradations).containsExactly(Degradation.CURRENT_MISSING, Degradation.FRAMES_SUBSTITUTED);
        assertThat(b.degradations).containsExactly(Degradation.VIDEO_MISSING, Degradation.CURRENT_STRETCHED);
        assertThat(b.scoredFrame).isNull();
        assertThat(b.anomalyProbability).isZero(); // missing video tokenizes to zeros
        assertThat(scorer.sizes).containsExactly(2);
    }
}
