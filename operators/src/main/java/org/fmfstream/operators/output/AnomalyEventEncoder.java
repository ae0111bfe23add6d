package org.fmfstream.operators.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.ModelInfo;

/**
 * ScoredWindow to the contract's {@link AnomalyEvent} (topic {@code fmf.anomaly.events}): one event
 * per scored window, ANOMALY when {@code anomalyProbability >= threshold}.
 */
public final class AnomalyEventEncoder {

    private AnomalyEventEncoder() {}

    /** The event with {@code emitTimeMillis} = now (wall clock). */
    public static AnomalyEvent encode(ScoredWindow w, double threshold) {
        return encode(w, threshold, System.currentTimeMillis());
    }

    /**
     * The event for {@code w}: decision from {@code threshold} (inclusive), ingest time = the
     * window's {@code lastIngestMillis}, emit time = {@code emitTimeMillis}.
     */
    public static AnomalyEvent encode(ScoredWindow w, double threshold, long emitTimeMillis) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        double p = w.anomalyProbability;
        List<Long> seqs = new ArrayList<>(w.frameSeqs.length);
        for (long seq : w.frameSeqs) {
            seqs.add(seq);
        }
        return AnomalyEvent.newBuilder()
                .setFurnaceId(w.furnaceId)
                .setWindowStartMicros(w.windowStartMicros)
                .setWindowEndMicros(w.windowEndMicros)
                .setClipFrameSeqs(seqs)
                .setAnomalyProbability(p)
                .setDecision(p >= threshold ? Decision.ANOMALY : Decision.NORMAL)
                .setThreshold(threshold)
                .setVideoLogits(floats(w.videoLogits))
                .setCurrentLogits(floats(w.currentLogits))
                .setDegradations(new ArrayList<>(Arrays.asList(w.degradations)))
                .setModel(ModelInfo.newBuilder()
                        .setName(w.modelName)
                        .setVersion(w.modelVersion)
                        .setSha256(w.modelSha256)
                        .build())
                .setIngestTimeMillis(w.lastIngestMillis)
                .setEmitTimeMillis(emitTimeMillis)
                .build();
    }

    private static List<Float> floats(float[] values) {
        List<Float> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(v);
        }
        return out;
    }
}
