package org.fmfstream.operators.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.ModelInfo;

/**
 * ScoredWindow to the contract's {@link AnomalyEvent} (topic {@code fmf.anomaly.events}): one event
 * per scored window, decided by {@link WindowDecision} under the job's {@link DecisionRule}
 * (ANOMALY when {@code anomalyProbability >= threshold} and the mask has at least
 * {@code minMaskPixels} pixels at P >= 0.5; UNDECIDED when the video was missing). The rule applied
 * and the mask evidence are recorded in the event.
 */
public final class AnomalyEventEncoder {

    private AnomalyEventEncoder() {}

    /** The event with {@code emitTimeMillis} = now (wall clock). */
    public static AnomalyEvent encode(ScoredWindow w, DecisionRule rule) {
        return encode(w, rule, System.currentTimeMillis());
    }

    /**
     * The event for {@code w}: decision from {@code rule} ({@link WindowDecision}), ingest time =
     * the window's {@code lastIngestMillis}, decided time = its {@code decidedMillis} (null when not
     * set: a window that did not come from the aligner), emit time = {@code emitTimeMillis}. {@code maskPixels}
     * is null when the video was missing (there is no frame the count could refer to).
     */
    public static AnomalyEvent encode(ScoredWindow w, DecisionRule rule, long emitTimeMillis) {
        double p = w.anomalyProbability;
        Decision decision = WindowDecision.decide(w, rule);
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
                .setDecision(decision)
                .setThreshold(rule.threshold())
                .setMinMaskPixels(rule.minMaskPixels())
                .setMaskPixels(w.videoMissing() ? null : w.maskPixels)
                .setVideoLogits(floats(w.videoLogits))
                .setCurrentLogits(floats(w.currentLogits))
                .setDegradations(new ArrayList<>(Arrays.asList(w.degradations)))
                .setModel(ModelInfo.newBuilder()
                        .setName(w.modelName)
                        .setVersion(w.modelVersion)
                        .setSha256(w.modelSha256)
                        .build())
                .setIngestTimeMillis(w.lastIngestMillis)
                .setDecidedTimeMillis(w.decidedMillis > 0 ? w.decidedMillis : null)
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
