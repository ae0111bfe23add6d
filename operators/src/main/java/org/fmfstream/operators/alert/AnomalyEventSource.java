package org.fmfstream.operators.alert;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.fmfstream.operators.records.RecordCodecTypeInfo;
import org.fmfstream.operators.input.FurnaceDeserializer;
import org.fmfstream.operators.input.FurnaceSources;
import org.fmfstream.operators.input.Ingested;
import org.fmfstream.operators.input.InputRules;
import org.fmfstream.operators.input.Rejected;
import org.fmfstream.operators.input.RestoreSafeKafkaSource;
import org.fmfstream.operators.input.SourceSettings;
import org.fmfstream.operators.input.SplitRejected;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.codec.RecordCodec;

/**
 * The events topic ({@code fmf.anomaly.events}) as a source, in the style of {@link FurnaceSources}:
 * values decoded and validated with {@link RecordCodec#anomalyEvents()}, the {@link InputRules}
 * applied (far-future window ends, unknown furnaces), every unusable record a dead letter on
 * {@link FurnaceSources#DEAD_LETTERS} after {@link #split}. Event time = {@code windowEndMicros}.
 */
public final class AnomalyEventSource {
    private AnomalyEventSource() {}

    public static FurnaceDeserializer<AnomalyEvent, AnomalyEvent> deserializer(InputRules rules) {
        return new Events(rules, FurnaceDeserializer.SYSTEM_CLOCK);
    }

    public static RestoreSafeKafkaSource<Ingested<AnomalyEvent>> source(SourceSettings settings) {
        return FurnaceSources.build(settings, deserializer(settings.rules()));
    }

    /** Events on the main output (as {@link RecordCodecTypeInfo}, not Kryo), dead letters on the side. */
    public static SingleOutputStreamOperator<AnomalyEvent> split(DataStream<Ingested<AnomalyEvent>> in, String name) {
        return in.process(new SplitRejected<AnomalyEvent>(), RecordCodecTypeInfo.anomalyEvents()).name(name).uid(name);
    }

    /**
     * The envelope as a Flink POJO whose value is serialised by its codec: the generic field would
     * otherwise fall to Kryo, which cannot copy Avro's array types reliably.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static TypeInformation<Ingested<AnomalyEvent>> envelopeType() {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        fields.put("value", RecordCodecTypeInfo.anomalyEvents());
        fields.put("rejected", TypeInformation.of(Rejected.class));
        return (TypeInformation) Types.POJO(Ingested.class, fields);
    }

    static final class Events extends FurnaceDeserializer<AnomalyEvent, AnomalyEvent> {
        private static final long serialVersionUID = 1L;

        Events(InputRules rules, WallClock clock) {
            super(rules, clock);
        }

        @Override
        protected RecordCodec<AnomalyEvent> newCodec() {
            return RecordCodec.anomalyEvents();
        }

        @Override
        protected String jobProblem(AnomalyEvent e) {
            return e.getFurnaceId().isBlank() ? "furnaceId is blank" : null;
        }

        @Override
        protected String furnaceId(AnomalyEvent e) {
            return e.getFurnaceId();
        }

        @Override
        protected long eventTimeMicros(AnomalyEvent e) {
            return e.getWindowEndMicros();
        }

        @Override
        protected AnomalyEvent convert(AnomalyEvent e, long ingestMillis) {
            return e;
        }

        @Override
        public long eventTimeMillis(AnomalyEvent value) {
            return Math.floorDiv(value.getWindowEndMicros(), 1000L);
        }

        @Override
        public TypeInformation<Ingested<AnomalyEvent>> getProducedType() {
            return envelopeType();
        }
    }
}
