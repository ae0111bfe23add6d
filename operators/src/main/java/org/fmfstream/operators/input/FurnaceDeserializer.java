package org.fmfstream.operators.input;

import java.io.Serializable;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.DecodeError;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * Kafka record deserializer of one input topic: decodes the value with {@link RecordCodec},
 * validates it, applies the {@link InputRules} and emits exactly one {@link Ingested} per record,
 * a value or a {@link Rejected} with the record's coordinates and original bytes. It never throws
 * on bad bytes.
 *
 * @param <R> the contract record (VideoFrame, CurrentSample)
 * @param <T> the job's type (FurnaceFrame, CurrentBlock)
 */
public abstract class FurnaceDeserializer<R extends SpecificRecordBase, T>
        implements KafkaRecordDeserializationSchema<Ingested<T>> {
    private static final long serialVersionUID = 1L;

    /** Wall clock, replaceable in tests. */
    @FunctionalInterface
    public interface WallClock extends Serializable {
        long nowMillis();
    }

    public static final WallClock SYSTEM_CLOCK = System::currentTimeMillis;

    private final InputRules rules;
    private final WallClock clock;
    private transient RecordCodec<R> codec;

    protected FurnaceDeserializer(InputRules rules, WallClock clock) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code fmf.video.frames}: 64x64 RGB8 {@code VideoFrame}s to {@link FurnaceFrame}s. */
    public static FurnaceDeserializer<VideoFrame, FurnaceFrame> frames(InputRules rules, WallClock clock) {
        return new Frames(rules, clock);
    }

    /** {@code fmf.current.samples}: {@code CurrentSample}s (finite currents) to {@link CurrentBlock}s. */
    public static FurnaceDeserializer<CurrentSample, CurrentBlock> currents(InputRules rules, WallClock clock) {
        return new Currents(rules, clock);
    }

    protected abstract RecordCodec<R> newCodec();

    /** Null if the decoded record is usable by the job, else why not (kind INVALID). */
    protected abstract String jobProblem(R record);

    /** Null if the record's values are physically plausible under {@code rules}, else {kind, reason}. */
    protected String[] implausible(R record, InputRules rules) {
        return null;
    }

    protected abstract String furnaceId(R record);

    protected abstract long eventTimeMicros(R record);

    protected abstract T convert(R record, long ingestMillis);

    /**
     * Stamps the converted value with the Kafka coordinates it came from, for values a later operator
     * may have to name in a dead letter (a frame or current block that arrives late); others as they are.
     */
    protected T locate(T value, int partition, long offset) {
        return value;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested<T>> out) {
        out.collect(ingest(record));
    }

    /** The envelope of one record; public for tests and for non-Kafka sources. */
    public Ingested<T> ingest(ConsumerRecord<byte[], byte[]> record) {
        long now = clock.nowMillis();
        if (codec == null) {
            codec = newCodec();
        }
        try {
            Decoded<R> decoded = codec.decode(record.value());
            if (decoded instanceof Decoded.Failed<R> failed) {
                DecodeError e = failed.error();
                return reject(record, e.kind().name(), e.message(), now);
            }
            R r = ((Decoded.Ok<R>) decoded).value();
            String problem = jobProblem(r);
            if (problem != null) {
                return reject(record, DecodeError.Kind.INVALID.name(), problem, now);
            }
            String[] ruled = rules.problem(furnaceId(r), eventTimeMicros(r), now);
            if (ruled == null) {
                ruled = implausible(r, rules);
            }
            if (ruled != null) {
                return reject(record, ruled[0], ruled[1], now);
            }
            return Ingested.ok(locate(convert(r, now), record.partition(), record.offset()));
        } catch (RuntimeException e) {
            // The codec never throws; this guards the conversion so that no record can stop the job.
            return reject(record, DecodeError.Kind.INVALID.name(), "cannot convert record: " + e, now);
        }
    }

    private Ingested<T> reject(ConsumerRecord<byte[], byte[]> record, String kind, String reason, long now) {
        return Ingested.rejected(new Rejected(record.topic(), record.partition(), record.offset(), kind, reason,
                record.key(), record.value(), now));
    }

    /** Event time in ms of a decoded record, for the watermark strategy. */
    public abstract long eventTimeMillis(T value);

    /**
     * The buffer's bytes. Avro decodes a {@code bytes} field into a fresh heap buffer of exactly its
     * length, and the decoded record is dropped right after conversion, so that array is taken as it
     * is: no second copy of every 12 KB frame. Any other buffer is copied.
     */
    static byte[] bytes(java.nio.ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        java.nio.ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static final class Frames extends FurnaceDeserializer<VideoFrame, FurnaceFrame> {
        private static final long serialVersionUID = 1L;

        Frames(InputRules rules, WallClock clock) {
            super(rules, clock);
        }

        @Override
        protected RecordCodec<VideoFrame> newCodec() {
            return RecordCodec.videoFrames(); // 64x64, consistent payload and mask sizes
        }

        @Override
        protected String jobProblem(VideoFrame f) {
            // The codec already refuses any size but 64x64 and an RGB8 payload of the wrong length.
            if (f.getEncoding() != org.fmfstream.schemas.PixelEncoding.RGB8) {
                return "frame encoding " + f.getEncoding() + " is not RGB8; the ingest bridges decode "
                        + "and resize to 64x64 RGB8 before publishing";
            }
            return null;
        }

        @Override
        protected String furnaceId(VideoFrame f) {
            return f.getFurnaceId().toString();
        }

        @Override
        protected long eventTimeMicros(VideoFrame f) {
            return f.getEventTimeMicros();
        }

        @Override
        protected FurnaceFrame convert(VideoFrame f, long ingestMillis) {
            return new FurnaceFrame(f.getFurnaceId().toString(), f.getFrameSeq(), f.getEventTimeMicros(),
                    bytes(f.getPayload()), bytes(f.getGroundTruthMask()), ingestMillis);
        }

        @Override
        protected FurnaceFrame locate(FurnaceFrame value, int partition, long offset) {
            return value.from(partition, offset);
        }

        @Override
        public long eventTimeMillis(FurnaceFrame value) {
            return Math.floorDiv(value.eventTimeMicros, 1000L);
        }

        @Override
        public TypeInformation<Ingested<FurnaceFrame>> getProducedType() {
            return TypeInformation.of(new TypeHint<Ingested<FurnaceFrame>>() {});
        }
    }

    static final class Currents extends FurnaceDeserializer<CurrentSample, CurrentBlock> {
        private static final long serialVersionUID = 1L;

        Currents(InputRules rules, WallClock clock) {
            super(rules, clock);
        }

        @Override
        protected RecordCodec<CurrentSample> newCodec() {
            return RecordCodec.currentSamples(); // rate finite and > 0, equal lengths, finite currents
        }

        @Override
        protected String jobProblem(CurrentSample s) {
            return null; // the codec's validator covers the form: rate, lengths, finite values
        }

        @Override
        protected String[] implausible(CurrentSample s, InputRules rules) {
            String[] problem = rules.currentProblem("phaseA", s.getPhaseA());
            if (problem == null) {
                problem = rules.currentProblem("phaseB", s.getPhaseB());
            }
            return problem != null ? problem : rules.currentProblem("phaseC", s.getPhaseC());
        }

        @Override
        protected String furnaceId(CurrentSample s) {
            return s.getFurnaceId().toString();
        }

        @Override
        protected long eventTimeMicros(CurrentSample s) {
            return s.getEventTimeMicros();
        }

        @Override
        protected CurrentBlock convert(CurrentSample s, long ingestMillis) {
            return new CurrentBlock(s.getFurnaceId().toString(), s.getEventTimeMicros(), s.getSampleRateHz(),
                    floats(s.getPhaseA()), floats(s.getPhaseB()), floats(s.getPhaseC()), ingestMillis);
        }

        @Override
        protected CurrentBlock locate(CurrentBlock value, int partition, long offset) {
            return value.from(partition, offset);
        }

        @Override
        public long eventTimeMillis(CurrentBlock value) {
            return Math.floorDiv(value.eventTimeMicros, 1000L);
        }

        @Override
        public TypeInformation<Ingested<CurrentBlock>> getProducedType() {
            return TypeInformation.of(new TypeHint<Ingested<CurrentBlock>>() {});
        }

        private static float[] floats(java.util.List<Float> values) {
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }
}
