package org.fmfstream.operators.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.fmfstream.operators.records.RecordCodecTypeInfo;
import org.fmfstream.operators.input.FurnaceDeserializer;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.IncidentKind;
import org.fmfstream.schemas.ModelInfo;

/**
 * Turns one furnace's per-window {@link AnomalyEvent}s into {@link Incident}s a person acts on.
 * Keyed by furnace id, in event time:
 *
 * <ul>
 *   <li><b>opens</b> when k of the last n windows are anomalous (the window that makes it so is
 *       {@code openedAtMicros}), so an alternating anomaly/normal flicker below k of n never pages;
 *   <li><b>updates</b> while open when an anomalous window raises the peak probability, at most once
 *       per window;
 *   <li><b>clears</b> when no anomalous window came for the quiet period of event time, by an
 *       event-time timer: replaying a day of events gives the same incidents as living through it,
 *       and a bounded replay clears its last incident at the end of input (Flink's final watermark).
 * </ul>
 *
 * <p>Windows are buffered until the watermark passes them and then processed in windowEnd order,
 * so the output depends only on the set of events, not on how the upstream job's parallel
 * inference interleaved them. A window at or before the last one processed (a duplicate, or later
 * than the watermark allowed) is dropped and counted ({@code droppedWindows}). State per furnace:
 * the ring of the last n decisions, the open incident's figures, and the few windows waiting for
 * the watermark.
 *
 * <p>Degraded windows (scored on incomplete input) that were decided count like others but are
 * labelled: the incident says {@code degraded}, which degradations and how many of its anomalous
 * windows.
 *
 * <p><b>Undecided windows</b> ({@link Decision#UNDECIDED}: the detection job had no validated rule for
 * the window's input, today a missing video stream) are skipped as if the window had not been
 * emitted, the same as with the detection job's {@code emit.degraded=false}: they neither open nor
 * extend an incident, do not take a place among the last n windows (k of n counts decided windows
 * only), do not count in {@code totalWindows}, and do not hold back the clear: an incident whose
 * furnace only yields undecided windows clears after the quiet period like any other. They still
 * advance the furnace's event time (a later duplicate is dropped) and are counted in
 * {@code undecidedWindows}.
 */
public final class IncidentTracker extends KeyedProcessFunction<String, AnomalyEvent, Incident> {
    private static final long serialVersionUID = 1L;

    private final AlertConfig config;
    private final FurnaceDeserializer.WallClock clock;

    private transient ValueState<AlertState> state;
    private transient MapState<Long, AnomalyEvent> pending;
    private transient Counter droppedWindows;
    private transient Counter opened;
    private transient Counter undecidedWindows;

    public IncidentTracker(AlertConfig config) {
        this(config, FurnaceDeserializer.SYSTEM_CLOCK);
    }

    /** {@code clock} stamps {@code emitTimeMillis} only; nothing else depends on the wall clock. */
    public IncidentTracker(AlertConfig config, FurnaceDeserializer.WallClock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("alert", TypeInformation.of(AlertState.class)));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, RecordCodecTypeInfo.anomalyEvents()));
        droppedWindows = getRuntimeContext().getMetricGroup().counter("droppedWindows");
        opened = getRuntimeContext().getMetricGroup().counter("incidentsOpened");
        undecidedWindows = getRuntimeContext().getMetricGroup().counter("undecidedWindows");
    }

    @Override
    public void processElement(AnomalyEvent e, Context ctx, Collector<Incident> out) throws Exception {
        AlertState s = state.value();
        long end = e.getWindowEndMicros();
        if (s != null && end <= s.lastWindowEndMicros) {
            droppedWindows.inc();
            return;
        }
        pending.put(end, e);
        // A timer at or below the current watermark fires with the next watermark.
        ctx.timerService().registerEventTimeTimer(Math.floorDiv(end, 1000L));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        AlertState s = state.value();
        if (s == null) {
            s = AlertState.empty(config.n());
        }
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, AnomalyEvent> entry : pending.entries()) {
            if (Math.floorDiv(entry.getKey(), 1000L) <= timestamp) {
                due.add(entry.getKey());
            }
        }
        due.sort(null);
        for (Long end : due) {
            window(s, pending.get(end), ctx, out);
            pending.remove(end);
        }
        // After the windows up to this time: a window exactly at the clear time still extends.
        if (s.open && timestamp * 1000L >= s.lastAnomalyMicros + config.quietMicros()) {
            clear(s, ctx, out);
        }
        state.update(s);
    }

    private void window(AlertState s, AnomalyEvent e, OnTimerContext ctx, Collector<Incident> out) {
        long end = e.getWindowEndMicros();
        if (end <= s.lastWindowEndMicros) {
            droppedWindows.inc();
            return;
        }
        if (s.open && end > s.lastAnomalyMicros + config.quietMicros()) {
            clear(s, ctx, out); // the quiet period passed before this window
        }
        s.lastWindowEndMicros = end;
        if (e.getDecision() == Decision.UNDECIDED) {
            undecidedWindows.inc(); // no verdict: not in the ring, not in the incident (class comment)
            return;
        }
        boolean anomalous = e.getDecision() == Decision.ANOMALY;
        int bits = bits(e.getDegradations());
        double p = e.getAnomalyProbability();
        s.push(end, anomalous, p, bits);
        if (s.open) {
            s.totalWindows++;
            if (!anomalous) {
                return;
            }
            s.anomalousWindows++;
            if (bits != 0) {
                s.degradedWindows++;
                s.degradationBits |= bits;
            }
            s.lastAnomalyMicros = end;
            model(s, e.getModel());
            scheduleClear(s, ctx);
            if (p > s.peakProbability) {
                s.peakProbability = p;
                s.peakWindowEndMicros = end;
                out.collect(incident(ctx.getCurrentKey(), s, IncidentKind.INCIDENT_UPDATED, end, null));
            }
            return;
        }
        if (!anomalous || s.anomalousInRing() < config.k()) {
            return;
        }
        int first = 0;
        while (!s.ringAnomalous[s.index(first)]) {
            first++;
        }
        s.open = true;
        s.openedAtMicros = end;
        s.firstAnomalyMicros = s.ringEndMicros[s.index(first)];
        s.lastAnomalyMicros = end;
        s.totalWindows = s.ringSize - first;
        s.anomalousWindows = 0;
        s.degradedWindows = 0;
        s.degradationBits = 0;
        s.peakProbability = -1;
        for (int i = first; i < s.ringSize; i++) {
            int at = s.index(i);
            if (!s.ringAnomalous[at]) {
                continue;
            }
            s.anomalousWindows++;
            if (s.ringDegradations[at] != 0) {
                s.degradedWindows++;
                s.degradationBits |= s.ringDegradations[at];
            }
            if (s.ringProbability[at] > s.peakProbability) {
                s.peakProbability = s.ringProbability[at];
                s.peakWindowEndMicros = s.ringEndMicros[at];
            }
        }
        model(s, e.getModel());
        scheduleClear(s, ctx);
        opened.inc();
        out.collect(incident(ctx.getCurrentKey(), s, IncidentKind.INCIDENT_OPENED, end, null));
    }

    private void clear(AlertState s, OnTimerContext ctx, Collector<Incident> out) {
        long clearedAt = s.lastAnomalyMicros + config.quietMicros();
        out.collect(incident(ctx.getCurrentKey(), s, IncidentKind.INCIDENT_CLEARED, clearedAt, clearedAt));
        if (s.clearTimerMillis != Long.MIN_VALUE && s.clearTimerMillis != ctx.timestamp()) {
            ctx.timerService().deleteEventTimeTimer(s.clearTimerMillis);
        }
        s.clearTimerMillis = Long.MIN_VALUE;
        s.open = false;
        // The cleared incident's windows are spent: a new incident needs k fresh anomalous windows.
        s.clearRing();
    }

    private void scheduleClear(AlertState s, OnTimerContext ctx) {
        long at = Math.floorDiv(s.lastAnomalyMicros + config.quietMicros() + 999L, 1000L);
        if (at == s.clearTimerMillis) {
            return;
        }
        if (s.clearTimerMillis != Long.MIN_VALUE) {
            ctx.timerService().deleteEventTimeTimer(s.clearTimerMillis);
        }
        ctx.timerService().registerEventTimeTimer(at);
        s.clearTimerMillis = at;
    }

    private static void model(AlertState s, ModelInfo m) {
        s.modelName = m.getName();
        s.modelVersion = m.getVersion();
        s.modelSha256 = m.getSha256();
    }

    private Incident incident(String furnace, AlertState s, IncidentKind kind, long eventTimeMicros, Long clearedAt) {
        List<Degradation> seen = new ArrayList<>();
        for (Degradation d : Degradation.values()) {
            if ((s.degradationBits & (1 << d.ordinal())) != 0) {
                seen.add(d);
            }
        }
        return Incident.newBuilder()
                .setFurnaceId(furnace)
                .setIncidentId(furnace + "-" + s.openedAtMicros)
                .setKind(kind)
                .setEventTimeMicros(eventTimeMicros)
                .setOpenedAtMicros(s.openedAtMicros)
                .setFirstAnomalyMicros(s.firstAnomalyMicros)
                .setLastAnomalyMicros(s.lastAnomalyMicros)
                .setClearedAtMicros(clearedAt)
                .setAnomalousWindows(s.anomalousWindows)
                .setTotalWindows(s.totalWindows)
                .setPeakProbability(s.peakProbability)
                .setPeakWindowEndMicros(s.peakWindowEndMicros)
                .setPeakAreaFraction(null)
                .setPeakRegion(null)
                .setDegraded(s.degradedWindows > 0)
                .setDegradations(seen)
                .setDegradedWindows(s.degradedWindows)
                .setModel(ModelInfo.newBuilder().setName(s.modelName).setVersion(s.modelVersion)
                        .setSha256(s.modelSha256).build())
                .setEmitTimeMillis(clock.nowMillis())
                .build();
    }

    private static int bits(List<Degradation> degradations) {
        int bits = 0;
        for (Degradation d : degradations) {
            bits |= 1 << d.ordinal();
        }
        return bits;
    }
}
