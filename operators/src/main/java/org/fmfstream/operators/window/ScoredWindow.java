package org.fmfstream.operators.window;

import java.util.Arrays;
import org.fmfstream.schemas.Degradation;

/**
 * One window after FmFormer scored it: what the encoders and the demo need, as
 * {@code FmFormerInference} emits it.
 *
 * <p>A Flink POJO (public fields, no-arg constructor). Arrays may be shared with the
 * {@link AlignedWindow} it came from; treat them as read-only.
 */
public class ScoredWindow {

    /** Side of the square mask the model emits. */
    public static final int MASK_SIZE = 64;

    public String furnaceId;
    /** Event time of the first clip frame (µs), as in {@link AlignedWindow#windowStartMicros}. */
    public long windowStartMicros;
    /** Event time of the scored (last) clip frame (µs), as in {@link AlignedWindow#windowEndMicros}. */
    public long windowEndMicros;
    /** Sequence numbers of the clip frames, oldest first; empty when video is missing. */
    public long[] frameSeqs = new long[0];
    /** The scored frame (64x64 RGB8, row-major, R G B interleaved), or null when video is missing. */
    public byte[] scoredFrame;
    /** Ground truth of the scored frame (64x64, 0/1) when the source carried one, else null. */
    public byte[] groundTruthMask;
    /** Why the window was less than complete, in the contract's terms; empty when complete. */
    public Degradation[] degradations = new Degradation[0];
    /** Wall-clock time (ms) at which the newest input record of the window entered the job. */
    public long lastIngestMillis;
    /** The aligned window's {@code decidedMillis}. */
    public long decidedMillis;

    /** P(abnormal): softmax of the fused (video + current) logits, abnormal class. */
    public float anomalyProbability;
    /** Video class-token logits [normal, abnormal]. */
    public float[] videoLogits = new float[2];
    /** Current class-token logits [normal, abnormal]. */
    public float[] currentLogits = new float[2];
    /** P(abnormal) per pixel of the scored frame, 64x64 row-major (y, then x). */
    public float[] maskProbabilities = new float[MASK_SIZE * MASK_SIZE];
    /**
     * Pixels of {@link #maskProbabilities} at or above {@code DecisionRule.MASK_PIXEL_THRESHOLD}
     * (0.5): the mask evidence of the decision rule, counted once by the inference operator.
     */
    public int maskPixels;

    /**
     * Null when every model output of this window is finite; otherwise which one is not (the window
     * then becomes a dead letter instead of an event, see {@code NonFiniteOutputs}).
     */
    public String outputProblem;
    public String modelName;
    public String modelVersion;
    /** Lower-case hex SHA-256 of the model file that was loaded. */
    public String modelSha256;

    /** How many windows the batch this one was scored in held. */
    public int batchSize;
    /** Time from {@code asyncInvoke} (tokenized into the batch) until its batch started inference (ns). */
    public long queueNanos;
    /** Duration of the whole batch's inference pass (ns). */
    public long inferenceNanos;

    public ScoredWindow() {
    }

    /** Frame sequence number of the scored frame, or -1 when video is missing. */
    public long scoredFrameSeq() {
        return frameSeqs.length == 0 ? -1 : frameSeqs[frameSeqs.length - 1];
    }

    public boolean videoMissing() {
        return frameSeqs.length == 0;
    }

    @Override
    public String toString() {
        return "ScoredWindow{" + furnaceId + " end=" + windowEndMicros + "us p=" + anomalyProbability
                + " maskPixels=" + maskPixels + " batch=" + batchSize + (degradations.length > 0 ? " " + Arrays.toString(degradations) : "") + "}";
    }
}
