package org.fmfstream.operators.infer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.fmfstream.model.serve.FmFormerPredictor;
import org.fmfstream.model.serve.ModelIdentity;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.fmfstream.operators.window.AlignedWindow;
import org.fmfstream.operators.window.ScoredWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores aligned windows with FmFormer in dynamic micro-batches, on Flink's async I/O operator.
 *
 * <p>Use it through {@link #apply}, which wraps it in {@code AsyncDataStream.orderedWait} with the
 * config's timeout and a capacity of two batches: output keeps input order (replays are
 * deterministic) and in-flight windows are part of the checkpoint, re-issued on recovery.
 *
 * <p>{@code asyncInvoke} (task thread) tokenizes the window into the batch buffer being filled; a
 * dedicated inference thread per subtask scores a batch when it is full or its oldest window has
 * waited {@code batchTimeout}, with one {@link FmFormerPredictor} per subtask over a model loaded
 * once per JVM ({@link SharedModels}). Two buffer sets let the next batch fill while one is scored.
 *
 * <p><b>Failures fail the job.</b> A model error completes every window of that batch
 * exceptionally ({@link InferenceException}); a window the tokenizer refuses completes
 * exceptionally on its own; a window not scored within the async timeout does too. Flink then
 * fails the task and its restart strategy applies; nothing is dropped silently.
 */
public class FmFormerInference extends RichAsyncFunction<AlignedWindow, ScoredWindow> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FmFormerInference.class);
    private static final int HISTOGRAM_WINDOW = 1024;

    /** Metric group under the operator's group. */
    public static final String METRIC_GROUP = "fmformer";

    /** Name of each subtask's inference thread, followed by the subtask index. */
    public static final String THREAD_NAME_PREFIX = "fmformer-inference-";

    private final InferenceConfig config;

    private transient SharedModels.Lease lease;
    private transient FmFormerPredictor predictor;
    private transient MicroBatcher batcher;

    public FmFormerInference(InferenceConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** {@code AsyncDataStream.orderedWait(windows, new FmFormerInference(config), timeout, capacity)}. */
    public static SingleOutputStreamOperator<ScoredWindow> apply(DataStream<AlignedWindow> windows,
                                                                 InferenceConfig config) {
        return AsyncDataStream.orderedWait(windows, new FmFormerInference(config),
                        config.asyncTimeout().toMillis(), TimeUnit.MILLISECONDS, config.asyncCapacity())
                .name("FmFormer inference");
    }

    public InferenceConfig config() {
        return config;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        lease = SharedModels.acquire(new SharedModels.Key(config.modelSource(), config.device()));
        try {
            predictor = SharedModels.openPredictor(lease, config.predictorConfig(
                    Runtime.getRuntime().availableProcessors(),
                    getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks()));
            ModelIdentity identity = predictor.identity();
            MicroBatcher.Observer observer = registerMetrics(getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP));
            FmFormerPredictor scorer = predictor;
            batcher = new MicroBatcher(TokenizerSpec.FMFORMER, config.batchSize(), config.batchTimeout().toNanos(),
                    TimeUnit.NANOSECONDS, scorer::predict, identity, predictor.heads(), observer,
                    THREAD_NAME_PREFIX + subtask);
            LOG.info("subtask {}: FmFormer inference with {} {} (sha256 {}, {}) on {}, batch {} / {} ms, warm-up {} ms",
                    subtask, identity.name(), identity.version(), identity.sha256(), predictor.heads().describe(),
                    predictor.device(),
                    config.batchSize(), config.batchTimeout().toMillis(),
                    String.format("%.1f", predictor.warmupNanos() / 1e6));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public void asyncInvoke(AlignedWindow window, ResultFuture<ScoredWindow> resultFuture) throws Exception {
        if (batcher == null) {
            throw new IllegalStateException("FmFormerInference is not open");
        }
        batcher.add(window, resultFuture);
    }

    /**
     * Flink's async timeout fired for {@code window}: log it and fail the window (and so the job)
     * with a message that names the window and the settings, rather than Flink's bare timeout.
     * The window stays in its batch; a later completion is ignored by Flink.
     */
    @Override
    public void timeout(AlignedWindow window, ResultFuture<ScoredWindow> resultFuture) {
        String message = "window " + window + " was not scored within the async timeout of "
                + config.asyncTimeout().toMillis() + " ms (batch size " + config.batchSize() + ", batch timeout "
                + config.batchTimeout().toMillis() + " ms, " + (batcher == null ? 0 : batcher.pending())
                + " window(s) pending): inference is too slow or stuck";
        LOG.error(message);
        resultFuture.completeExceptionally(new InferenceException(message));
    }

    /**
     * Stops the inference thread and leaves the windows not yet scored to Flink, which holds them in
     * its checkpoint and re-issues them on restore (failing them here would fail a task that is being
     * stopped with a savepoint); closes the predictor and the model lease.
     */
    @Override
    public void close() throws Exception {
        try {
            if (batcher != null) {
                batcher.abandon();
            }
        } finally {
            batcher = null;
            try {
                if (predictor != null) {
                    predictor.close();
                }
            } finally {
                predictor = null;
                if (lease != null) {
                    lease.close();
                    lease = null;
                }
            }
        }
    }

    private MicroBatcher.Observer registerMetrics(MetricGroup group) {
        Histogram batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        Histogram queueMs = group.histogram("queueTimeMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        Histogram inferenceMs = group.histogram("inferenceTimeMs",
                new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        Counter scored = group.counter("windowsScored");
        Counter failed = group.counter("windowsFailed");
        group.meter("windowsPerSecond", new MeterView(scored));
        group.gauge("pendingWindows", (Gauge<Integer>) () -> batcher == null ? 0 : batcher.pending());
        return new MicroBatcher.Observer() {
            @Override
            public void batchScored(int size, long inferenceNanos) {
                batchSize.update(size);
                inferenceMs.update(TimeUnit.NANOSECONDS.toMillis(inferenceNanos));
                scored.inc(size);
            }

            @Override
            public void windowQueued(long queueNanos) {
                queueMs.update(TimeUnit.NANOSECONDS.toMillis(queueNanos));
            }

            @Override
            public void batchFailed(int size, Throwable cause) {
                failed.inc(size);
            }
        };
    }
}
