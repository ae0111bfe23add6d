package org.fmfstream.schemas;

/**
 * Default Kafka topic names of the fmf-stream contracts. Every topic is keyed by furnace id (UTF-8),
 * so one furnace's records stay ordered in one partition. Jobs and tools take these as defaults and
 * let the operator override them; see docs/topics.md for partitions and retention.
 */
public final class Topics {
    /** {@link VideoFrame} records from the shell cameras. */
    public static final String VIDEO_FRAMES = "fmf.video.frames";
    /** {@link CurrentSample} records from the furnace PLCs. */
    public static final String CURRENT_SAMPLES = "fmf.current.samples";
    /** {@link AnomalyEvent} records, one per scored window. */
    public static final String ANOMALY_EVENTS = "fmf.anomaly.events";
    /** {@link AnomalyMask} records for anomalous windows. */
    public static final String ANOMALY_MASKS = "fmf.anomaly.masks";
    /** {@link Incident} records: alert state changes per furnace, derived from the events. */
    public static final String ALERTS = "fmf.alerts";
    /** {@link DeadLetter} records for input that could not be used. */
    public static final String DEAD_LETTERS = "fmf.deadletters";

    private Topics() {}
}
