package org.fmfstream.operators.input;

import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;
import org.fmfstream.operators.records.RecordCodecTypeInfo;
import org.fmfstream.schemas.DeadLetter;

/**
 * Kafka sources of the two input topics and the split of their envelopes:
 *
 * <pre>{@code
 * DataStream<Ingested<FurnaceFrame>> raw = env.fromSource(FurnaceSources.frames(settings),
 *         FurnaceSources.watermarks(FurnaceSources.frameDeserializer(rules), Duration.ofSeconds(2),
 *                 Duration.ofSeconds(5)), "frames");
 * SingleOutputStreamOperator<FurnaceFrame> frames = FurnaceSources.split(raw, FurnaceFrame.class, "split-frames");
 * DataStream<DeadLetter> bad = frames.getSideOutput(FurnaceSources.DEAD_LETTERS);
 * }</pre>
 *
 * The watermark strategy goes to {@code fromSource}, so the Kafka source keeps a watermark per
 * partition and the source's watermark is their minimum; a partition silent for the idleness
 * period stops holding it back.
 */
public final class FurnaceSources {
    /** Side output of {@link #split}: records that could not be used, as dead letters. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", RecordCodecTypeInfo.deadLetters());

    private FurnaceSources() {}

    public static FurnaceDeserializer<?, FurnaceFrame> frameDeserializer(InputRules rules) {
        return FurnaceDeserializer.frames(rules, FurnaceDeserializer.SYSTEM_CLOCK);
    }

    public static FurnaceDeserializer<?, CurrentBlock> currentDeserializer(InputRules rules) {
        return FurnaceDeserializer.currents(rules, FurnaceDeserializer.SYSTEM_CLOCK);
    }

    /** Source of {@code VideoFrame}s (topic from the settings, normally fmf.video.frames). */
    public static RestoreSafeKafkaSource<Ingested<FurnaceFrame>> frames(SourceSettings settings) {
        return build(settings, frameDeserializer(settings.rules()));
    }

    /** Source of {@code CurrentSample}s (normally fmf.current.samples). */
    public static RestoreSafeKafkaSource<Ingested<CurrentBlock>> currents(SourceSettings settings) {
        return build(settings, currentDeserializer(settings.rules()));
    }

    /**
     * The Kafka source of a topic of furnace records; bounded when the settings name stopping offsets,
     * and then able to finish after a restore too ({@link RestoreSafeKafkaSource}).
     */
    public static <T> RestoreSafeKafkaSource<Ingested<T>> build(SourceSettings settings,
                                                              FurnaceDeserializer<?, T> deserializer) {
        Properties props = new Properties();
        props.putAll(settings.clientProperties());
        // The source commits offsets on checkpoints (for "committed" starts and lag monitoring);
        // Kafka's own auto-commit would commit records that no checkpoint covers.
        props.setProperty("enable.auto.commit", "false");
        props.putIfAbsent("max.partition.fetch.bytes", String.valueOf(10 * 1024 * 1024));
        // Only committed records: the alert job reads the detection job's exactly-once output, and a
        // transactional producer upstream of the detection job may abort. Kafka's default
        // (read_uncommitted) would pass on records that the producer later rolls back.
        props.putIfAbsent("isolation.level", "read_committed");
        KafkaSourceBuilder<Ingested<T>> b = KafkaSource.<Ingested<T>>builder()
                .setProperties(props)
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(settings.topic())
                .setGroupId(settings.groupId())
                .setClientIdPrefix(settings.groupId() + "-" + settings.topic())
                .setStartingOffsets(settings.startingOffsets().initializer())
                .setDeserializer(deserializer);
        if (settings.stoppingOffsets() != null) {
            b.setBounded(settings.stoppingOffsets());
        }
        return new RestoreSafeKafkaSource<>(b.build());
    }

    /**
     * Bounded out-of-orderness in event time (ms of the decoded record), with idleness; dead letters
     * carry no event time and never advance the watermark.
     */
    public static <T> WatermarkStrategy<Ingested<T>> watermarks(FurnaceDeserializer<?, T> deserializer,
                                                              Duration outOfOrderness, Duration idleness) {
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("out-of-orderness must be >= 0, got " + outOfOrderness);
        }
        WatermarkStrategy<Ingested<T>> s = WatermarkStrategy.<Ingested<T>>forGenerator(
                        ctx -> new SkipRejectedWatermarks<>(new BoundedOutOfOrdernessWatermarks<>(outOfOrderness)))
                .withTimestampAssigner((e, kafkaTimestamp) ->
                        e.isOk() ? deserializer.eventTimeMillis(e.value) : kafkaTimestamp);
        if (idleness != null && !idleness.isZero()) {
            s = s.withIdleness(idleness);
        }
        return s;
    }

    /** Values on the main output, dead letters on {@link #DEAD_LETTERS}. */
    public static <T> SingleOutputStreamOperator<T> split(DataStream<Ingested<T>> in, Class<T> type, String name) {
        return in.process(new SplitRejected<T>(), TypeInformation.of(type)).name(name).uid(name);
    }
}
