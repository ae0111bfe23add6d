package org.fmfstream.jobs.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.IncidentKind;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.AvroBytes;

/**
 * What the page shows, per furnace, kept from the committed topics: the latest frame (thinned to
 * {@code framesPerSecond} for display), the three phase currents of the last {@value #CURRENT_SPAN_MICROS}
 * µs of event time, the probability timeline of the last {@value #EVENTS_KEPT} windows (and a compared
 * run's), the masks of recent anomalous windows, and incidents. Every change is also handed to
 * {@code updates} as one JSON message; {@link #snapshot} gives the whole board to a page that
 * connects. Thread-safe: the feed writes, the server reads.
 */
final class FurnaceBoard {

    static final long CURRENT_SPAN_MICROS = 120_000_000L;
    static final int EVENTS_KEPT = 900;
    static final int MASKS_KEPT = 300;

    private final ObjectMapper json = new ObjectMapper();
    private final long frameIntervalNanos;
    private final Map<String, Furnace> furnaces = new TreeMap<>();
    private final Map<String, String> problems = new TreeMap<>();
    private final ObjectNode meta;
    private Consumer<String> updates = message -> { };

    /** One furnace's tile. */
    private static final class Furnace {
        ObjectNode frame;
        long lastFrameShownNanos = Long.MIN_VALUE;
        final Deque<double[]> currents = new ArrayDeque<>();
        final Deque<ObjectNode> events = new ArrayDeque<>();
        final Deque<ObjectNode> compared = new ArrayDeque<>();
        final LinkedHashMap<Long, ObjectNode> masks = new LinkedHashMap<>();
        final Map<String, ObjectNode> incidents = new LinkedHashMap<>();
    }

    FurnaceBoard(ViewTopics topics, double framesPerSecond) {
        this.frameIntervalNanos = (long) (1e9 / framesPerSecond);
        meta = json.createObjectNode();
        meta.put("run", topics.runLabel());
        meta.put("compare", topics.compareLabel());
        meta.put("eventsTopic", topics.events());
        meta.put("compareTopic", topics.compareEvents());
    }

    /** Where every later change goes (e.g. the server's update stream). */
    synchronized void onUpdate(Consumer<String> sink) {
        this.updates = sink;
    }

    ObjectMapper json() {
        return json;
    }

    /**
     * Whether a frame of {@code furnaceId} arriving now would be shown, so that the feed can skip
     * decoding the camera's other frames (it knows the furnace from the record key).
     */
    synchronized boolean frameDue(String furnaceId, long nowNanos) {
        Furnace furnace = furnaces.get(furnaceId);
        return furnace == null || furnace.lastFrameShownNanos == Long.MIN_VALUE
                || nowNanos - furnace.lastFrameShownNanos >= frameIntervalNanos;
    }

    synchronized void frame(VideoFrame f, long nowNanos) {
        if (!frameDue(f.getFurnaceId().toString(), nowNanos)) {
            return; // thinned for display
        }
        Furnace furnace = furnace(f.getFurnaceId());
        furnace.lastFrameShownNanos = nowNanos;
        ObjectNode frame = json.createObjectNode();
        frame.put("seq", f.getFrameSeq());
        frame.put("time", f.getEventTimeMicros());
        frame.put("image", FramePictures.dataUrl(f));
        frame.put("truth", FramePictures.truth(f));
        furnace.frame = frame;
        publish("frame", f.getFurnaceId(), frame);
    }

    synchronized void currents(CurrentSample s) {
        Furnace furnace = furnace(s.getFurnaceId());
        List<Float> a = s.getPhaseA();
        List<Float> b = s.getPhaseB();
        List<Float> c = s.getPhaseC();
        double stepMicros = 1e6 / s.getSampleRateHz();
        ArrayNode added = json.createArrayNode();
        for (int i = 0; i < a.size(); i++) {
            double[] reading = {s.getEventTimeMicros() + i * stepMicros, a.get(i), b.get(i), c.get(i)};
            furnace.currents.addLast(reading);
            added.add(reading(reading));
        }
        double newest = furnace.currents.peekLast()[0];
        while (!furnace.currents.isEmpty() && furnace.currents.peekFirst()[0] < newest - CURRENT_SPAN_MICROS) {
            furnace.currents.removeFirst();
        }
        ObjectNode update = json.createObjectNode();
        update.set("readings", added);
        publish("currents", s.getFurnaceId(), update);
    }

    synchronized void event(AnomalyEvent e, boolean compared) {
        Furnace furnace = furnace(e.getFurnaceId());
        ObjectNode point = json.createObjectNode();
        point.put("end", e.getWindowEndMicros());
        point.put("start", e.getWindowStartMicros());
        point.put("p", e.getAnomalyProbability());
        point.put("decision", e.getDecision().name());
        point.put("threshold", e.getThreshold());
        point.put("degraded", !e.getDegradations().isEmpty());
        // For the page's latency figures: when the job wrote it and when the view read it (wall clock).
        point.put("emitted", e.getEmitTimeMillis());
        point.put("read", System.currentTimeMillis());
        ArrayNode seqs = point.putArray("clip");
        e.getClipFrameSeqs().forEach(seqs::add);
        Deque<ObjectNode> series = compared ? furnace.compared : furnace.events;
        series.addLast(point);
        while (series.size() > EVENTS_KEPT) {
            series.removeFirst();
        }
        publish(compared ? "compared" : "event", e.getFurnaceId(), point);
    }

    synchronized void mask(AnomalyMask m) {
        Furnace furnace = furnace(m.getFurnaceId());
        ObjectNode mask = json.createObjectNode();
        mask.put("end", m.getWindowEndMicros());
        mask.put("frameSeq", m.getFrameSeq());
        mask.put("image", FramePictures.pngDataUrl(AvroBytes.copy(m.getPayload())));
        mask.put("area", m.getAnomalyAreaFraction());
        furnace.masks.put(m.getWindowEndMicros(), mask);
        while (furnace.masks.size() > MASKS_KEPT) {
            furnace.masks.remove(furnace.masks.keySet().iterator().next());
        }
        publish("mask", m.getFurnaceId(), mask);
    }

    synchronized void incident(Incident i) {
        Furnace furnace = furnace(i.getFurnaceId());
        ObjectNode incident = json.createObjectNode();
        incident.put("id", i.getIncidentId());
        incident.put("open", i.getKind() != IncidentKind.INCIDENT_CLEARED);
        incident.put("opened", i.getOpenedAtMicros());
        incident.put("last", i.getLastAnomalyMicros());
        if (i.getClearedAtMicros() != null) {
            incident.put("cleared", i.getClearedAtMicros());
        }
        incident.put("peak", i.getPeakProbability());
        furnace.incidents.put(i.getIncidentId(), incident);
        while (furnace.incidents.size() > 50) {
            furnace.incidents.remove(furnace.incidents.keySet().iterator().next());
        }
        publish("incident", i.getFurnaceId(), incident);
    }

    /** The mask of a window, or null when none was published (or it is no longer kept). */
    synchronized ObjectNode maskOf(String furnaceId, long windowEndMicros) {
        Furnace furnace = furnaces.get(furnaceId);
        return furnace == null ? null : furnace.masks.get(windowEndMicros);
    }

    /** The event of a window, or null. */
    synchronized ObjectNode eventOf(String furnaceId, long windowEndMicros) {
        Furnace furnace = furnaces.get(furnaceId);
        if (furnace == null) {
            return null;
        }
        for (ObjectNode e : furnace.events) {
            if (e.get("end").asLong() == windowEndMicros) {
                return e;
            }
        }
        return null;
    }

    /** Sets or clears ({@code message} null) a problem the page must show, e.g. a missing topic. */
    synchronized void problem(String key, String message) {
        boolean changed = message == null ? problems.remove(key) != null : !message.equals(problems.put(key, message));
        if (changed) {
            updates.accept(message("status", null, status()));
        }
    }

    /** Everything, for a page that connects: meta, status and every furnace. */
    synchronized String snapshot() {
        ObjectNode root = json.createObjectNode();
        root.set("meta", meta);
        root.set("status", status());
        ObjectNode all = root.putObject("furnaces");
        furnaces.forEach((id, f) -> {
            ObjectNode tile = all.putObject(id);
            tile.set("frame", f.frame);
            ArrayNode currents = tile.putArray("currents");
            f.currents.forEach(r -> currents.add(reading(r)));
            ArrayNode events = tile.putArray("events");
            f.events.forEach(events::add);
            ArrayNode compared = tile.putArray("compared");
            f.compared.forEach(compared::add);
            ArrayNode masks = tile.putArray("masks");
            f.masks.values().forEach(masks::add);
            ArrayNode incidents = tile.putArray("incidents");
            f.incidents.values().forEach(incidents::add);
        });
        return message("snapshot", null, root);
    }

    private ObjectNode status() {
        ObjectNode status = json.createObjectNode();
        ArrayNode list = status.putArray("problems");
        problems.values().forEach(list::add);
        return status;
    }

    private ArrayNode reading(double[] r) {
        ArrayNode node = json.createArrayNode();
        node.add((long) r[0]).add((float) r[1]).add((float) r[2]).add((float) r[3]);
        return node;
    }

    private Furnace furnace(CharSequence id) {
        return furnaces.computeIfAbsent(id.toString(), k -> new Furnace());
    }

    private void publish(String type, CharSequence furnace, ObjectNode body) {
        updates.accept(message(type, furnace == null ? null : furnace.toString(), body));
    }

    private String message(String type, String furnace, ObjectNode body) {
        ObjectNode m = json.createObjectNode();
        m.put("type", type);
        if (furnace != null) {
            m.put("furnace", furnace);
        }
        m.set("body", body);
        return m.toString();
    }
}
