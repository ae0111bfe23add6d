package org.fmfstream.jobs.replay;

import org.fmfstream.jobs.kafka.TopicAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.fmfstream.jobs.console.ProgressBar;
import org.fmfstream.jobs.job.FurnaceAnomalyJob;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.jobs.job.JobIO;
import org.fmfstream.jobs.kafka.FmfTopics;
import org.fmfstream.operators.window.ScoredWindow;

/**
 * FurnaceAnomalyJob in bounded mode over a historical range, into a run's own topics.
 *
 * <p>What a replay sets itself (flags for these keys are refused): the run's output topics, group id
 * and transactional id prefix, {@code start.from} / {@code stop.at} from the range (start widened by
 * the warm-up, {@link ReplayRange}), the checkpoint directory {@code .fmf/replay/<run>/checkpoints},
 * {@code watermark.idleness=0s} and {@code inference.batch-timeout} = {@link #BATCH_TIMEOUT}.
 *
 * <p><b>Determinism.</b> Two replays of the same range with the same model write byte-identical
 * decisions, probabilities and masks. Three things could make them differ, and each is pinned:
 * <ul>
 *   <li>Idleness: a source partition held up by back-pressure for the idleness time would be marked
 *       idle, the watermark would run ahead on the other topic and its records would become late,
 *       depending on wall-clock timing. Replay never marks partitions idle (bounded input ends anyway).</li>
 *   <li>Micro-batch composition: the model's float results for a window may depend on which other
 *       windows share its batch (batched kernels sum in a different order). Live, a batch is cut after
 *       50 ms even when partial, so its composition depends on timing. In a replay the input is all
 *       there and the model is the bottleneck, so batches fill up; with a 10 s timeout every batch is
 *       cut by size, i.e. by the input order alone (the aligner emits windows in timer order), and
 *       only the tail at the end of input waits out the timeout. A stall of more than 10 s between two
 *       windows mid-replay would still cut a partial batch; replay input never stalls that long.</li>
 *   <li>Where the job starts: the start offsets come from record timestamps, the same for every run.</li>
 * </ul>
 */
public final class ReplayJob {
    /** Batch timeout in a replay (see the class comment); well below the async timeout of 60 s. */
    public static final Duration BATCH_TIMEOUT = Duration.ofSeconds(10);
    /** Checkpoints (and so committed output and offsets, i.e. progress) every 5 s unless set. */
    public static final String DEFAULT_CHECKPOINT_INTERVAL = "5s";

    /** Keys a replay sets itself. */
    public static final Set<String> OWNED_KEYS = Set.of("topic.events", "topic.masks", "topic.deadletters",
            "group.id", "transactional.id.prefix", "start.from", "stop.at", "checkpoint.dir",
            "watermark.idleness", "inference.batch-timeout");

    private ReplayJob() {}

    /** A replay ready to run: the run, the range, the job's configuration and the warm-up. */
    public record Plan(ReplayRun run, ReplayRange range, JobConfig config, long warmUpMillis, Path runDir) {}

    /** What a replay wrote. */
    public record Result(long recordsInRange, long windows, long masks, long deadLetters, double seconds) {}

    /**
     * The replay's configuration: defaults, then {@code configFile}, then the user's flags, then the
     * run's own keys. Refuses flags for {@link #OWNED_KEYS} and a run whose topics are live ones.
     */
    public static Plan plan(Path configFile, Map<String, String> flags, ReplayRun run, ReplayRange range,
                            Path replayBase) {
        List<String> clash = flags.keySet().stream().filter(OWNED_KEYS::contains).sorted().toList();
        if (!clash.isEmpty()) {
            throw new IllegalArgumentException("replay sets " + String.join(", ", clash)
                    + " itself (per run and range); drop the flag(s)");
        }
        JobConfig live = JobConfig.load(configFile, flags);
        Set<String> liveTopics = new LinkedHashSet<>(FmfTopics.names());
        liveTopics.addAll(List.of(live.framesTopic(), live.currentsTopic(), live.eventsTopic(), live.masksTopic(),
                live.deadLettersTopic()));
        run.requireApartFrom(liveTopics);
        long warmUp = ReplayRange.warmUpMillis(FurnaceAnomalyJob.alignerConfig(live), live.clockOffsetsMicros());
        Path runDir = run.dir(replayBase).toAbsolutePath();
        Map<String, String> all = new LinkedHashMap<>();
        if (!flags.containsKey("checkpoint.interval")) {
            all.put("checkpoint.interval", DEFAULT_CHECKPOINT_INTERVAL);
        }
        all.putAll(flags);
        all.put("topic.events", run.eventsTopic());
        all.put("topic.masks", run.masksTopic());
        all.put("topic.deadletters", run.deadLettersTopic());
        all.put("group.id", run.groupId());
        all.put("transactional.id.prefix", run.groupId());
        all.put("start.from", range.startFrom(warmUp));
        all.put("stop.at", range.stopAt());
        all.put("checkpoint.dir", runDir.resolve("checkpoints").toString());
        all.put("watermark.idleness", "0s");
        all.put("inference.batch-timeout", BATCH_TIMEOUT.toMillis() + "ms");
        return new Plan(run, range, JobConfig.load(configFile, all), warmUp, runDir);
    }

    /**
     * Runs the replay to its end. {@code bar} (may be null) shows input records read / in range, from
     * the group's committed offsets (Flink commits them on each checkpoint, so they move in steps of
     * {@code checkpoint.interval}), and the committed windows and windows/s from the run's events
     * topic, read with read_committed on the side.
     */
    public static Result run(Plan plan, ProgressBar bar) throws Exception {
        JobConfig config = plan.config();
        var kafka = config.kafka();
        long existing = TopicAccess.size(kafka, config.eventsTopic());
        if (existing > 0) {
            throw new IllegalStateException("replay run '" + plan.run() + "' already has " + existing + " records in "
                    + config.eventsTopic() + "; choose another --run name (or delete the run's topics)");
        }
        long t0 = System.nanoTime();
        Map<TopicPartition, long[]> inputRange = new LinkedHashMap<>();
        int partitions;
        try (KafkaConsumer<byte[], byte[]> c = TopicAccess.consumer(kafka, false)) {
            List<TopicPartition> frames = TopicAccess.partitions(c, config.framesTopic());
            if (frames.isEmpty()) {
                throw new IllegalArgumentException("input topic " + config.framesTopic() + " does not exist");
            }
            partitions = frames.size();
            List<TopicPartition> parts = new ArrayList<>(frames);
            parts.addAll(TopicAccess.partitions(c, config.currentsTopic()));
            Long startMillis = plan.range().fromMillis() == null ? null
                    : Math.max(0, plan.range().fromMillis() - plan.warmUpMillis());
            Map<TopicPartition, Long> start = TopicAccess.offsetsAt(c, parts, startMillis, false);
            Map<TopicPartition, Long> stop = TopicAccess.offsetsAt(c, parts, plan.range().toMillis(), true);
            for (TopicPartition p : parts) {
                inputRange.put(p, new long[] {start.get(p), Math.max(start.get(p), stop.get(p))});
            }
        }
        long total = inputRange.values().stream().mapToLong(r -> r[1] - r[0]).sum();
        FmfTopics.ensure(kafka, List.of(
                        renamed(FmfTopics.spec(org.fmfstream.schemas.Topics.ANOMALY_EVENTS), config.eventsTopic()),
                        renamed(FmfTopics.spec(org.fmfstream.schemas.Topics.ANOMALY_MASKS), config.masksTopic()),
                        renamed(FmfTopics.spec(org.fmfstream.schemas.Topics.DEAD_LETTERS), config.deadLettersTopic())),
                // Replayed event times are old: retention by age would delete the output at once.
                partitions, FmfTopics.Retention.BY_SIZE, Duration.ofSeconds(60));
        if (bar != null) {
            bar.setTotal(total);
        }

        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(config, null);
        FurnaceAnomalyJob.define(env, config, JobIO.kafka(config), new InRange(plan.range()));
        JobClient job = env.executeAsync("fmf-replay-" + plan.run());
        try (KafkaConsumer<byte[], byte[]> events = TopicAccess.consumer(kafka, true);
             org.apache.kafka.clients.admin.Admin admin = TopicAccess.admin(kafka)) {
            List<TopicPartition> eventParts = TopicAccess.partitions(events, config.eventsTopic());
            events.assign(eventParts);
            events.seekToBeginning(eventParts);
            long windows = 0;
            var result = job.getJobExecutionResult();
            while (!result.isDone()) {
                ConsumerRecords<byte[], byte[]> got = events.poll(Duration.ofMillis(500));
                windows += got.count();
                if (bar != null) {
                    bar.set(read(inputRange, TopicAccess.committed(admin, config.groupId())));
                    double s = (System.nanoTime() - t0) / 1e9;
                    bar.setDetail(String.format(Locale.ROOT, "| %,d windows %,.1f windows/s", windows, windows / s));
                }
            }
            result.get();
        } catch (Exception e) {
            job.cancel().exceptionally(t -> null);
            throw e;
        }
        long windows = TopicAccess.readAll(kafka, config.eventsTopic()).size();
        long masks = TopicAccess.readAll(kafka, config.masksTopic()).size();
        long dead = TopicAccess.readAll(kafka, config.deadLettersTopic()).size();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (bar != null) {
            bar.set(total);
            bar.setDetail(String.format(Locale.ROOT, "| %,d windows %,.1f windows/s", windows, windows / seconds));
            bar.finish();
        }
        return new Result(total, windows, masks, dead, seconds);
    }

    /** Input records read: committed offset minus start offset per partition, within the range. */
    static long read(Map<TopicPartition, long[]> range, Map<TopicPartition, Long> committed) {
        long n = 0;
        for (var e : range.entrySet()) {
            Long c = committed.get(e.getKey());
            if (c != null) {
                n += Math.max(0, Math.min(c, e.getValue()[1]) - e.getValue()[0]);
            }
        }
        return n;
    }

    private static FmfTopics.TopicSpec renamed(FmfTopics.TopicSpec live, String name) {
        return new FmfTopics.TopicSpec(name, live.recordType(), live.retention(), live.bytesPerPartition());
    }

    /** Keeps the windows whose end lies in the range (drops the warm-up span's windows). */
    static final class InRange implements FilterFunction<ScoredWindow> {
        private static final long serialVersionUID = 1L;
        private final long fromMicros;
        private final long toMicros;

        InRange(ReplayRange range) {
            fromMicros = range.fromMillis() == null ? Long.MIN_VALUE : range.fromMillis() * 1000;
            toMicros = range.toMillis() == null ? Long.MAX_VALUE : range.toMillis() * 1000;
        }

        @Override
        public boolean filter(ScoredWindow w) {
            return w.windowEndMicros >= fromMicros && w.windowEndMicros < toMicros;
        }
    }
}
