package org.fmfstream.operators.window;

import java.util.ArrayList;
import java.util.List;
import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.fmfstream.schemas.Degradation;

/**
 * One event-time-aligned window of a furnace, as {@code ClipAligner} emits it: the clip of frames
 * ending at the scored frame and the current readings of the 120 s before it, on one clock (the
 * camera's; PLC offsets are already applied). The model-serving tokenizer turns it into tokens.
 *
 * <p>A Flink POJO (public fields, no-arg constructor). Frame arrays may be shared between clip
 * slots and with the aligner's state snapshot; treat them as read-only.
 */
public class AlignedWindow {

    public String furnaceId;
    /** Event time of the first clip frame (camera clock, µs); equals the end when video is missing. */
    public long windowStartMicros;
    /** Event time of the scored (last) clip frame, or the hop time when video is missing (µs). */
    public long windowEndMicros;
    /** Sequence numbers of the clip frames, oldest first; empty when video is missing. */
    public long[] frameSeqs = new long[0];
    /** Capture times of the clip frames (µs), oldest first; empty when video is missing. */
    public long[] frameTimesMicros = new long[0];
    /** The clip frames (each 64x64 RGB8), oldest first; empty when video is missing. */
    public byte[][] frames = new byte[0][];
    /** Current readings in amperes, oldest first, at most 240 per phase; empty when current is missing. */
    public float[] phaseA = new float[0];
    public float[] phaseB = new float[0];
    public float[] phaseC = new float[0];
    /** Clip slots filled with the nearest frame because the exact one was dropped. */
    public int substitutedFrames;
    /** Wall-clock time (ms) at which the newest input record used by this window entered the job. */
    public long lastIngestMillis;
    /** Wall-clock time (ms) at which the aligner cut this window (its input complete, or waited for). */
    public long decidedMillis;
    /** Ground truth of the scored frame (64x64, 0/1) when the source carried one, else null. */
    public byte[] groundTruthMask;

    public AlignedWindow() {
    }

    public boolean videoMissing() {
        return frames.length == 0;
    }

    public boolean currentMissing() {
        return phaseA.length == 0;
    }

    public int currentReadings() {
        return phaseA.length;
    }

    /** The clip for the tokenizer (frames shared, not copied), or a missing clip. */
    public Clip clip(TokenizerSpec spec) {
        return videoMissing() ? Clip.missing(spec) : Clip.of(spec, frames, frameSeqs, frameTimesMicros);
    }

    /** The current for the tokenizer, or a missing window. */
    public CurrentWindow currentWindow(TokenizerSpec spec) {
        return currentMissing() ? CurrentWindow.missing(spec) : CurrentWindow.of(spec, phaseA, phaseB, phaseC);
    }

    /** The last clip frame (the one the decision and mask refer to), or null when video is missing. */
    public byte[] scoredFrame() {
        return videoMissing() ? null : frames[frames.length - 1];
    }

    /** Why this window is less than complete, in the contract's terms; empty when complete. */
    public List<Degradation> degradations(TokenizerSpec spec) {
        List<Degradation> out = new ArrayList<>(2);
        if (videoMissing()) {
            out.add(Degradation.VIDEO_MISSING);
        }
        if (currentMissing()) {
            out.add(Degradation.CURRENT_MISSING);
        } else if (currentReadings() < spec.currentSteps()) {
            out.add(Degradation.CURRENT_STRETCHED);
        }
        if (substitutedFrames > 0) {
            out.add(Degradation.FRAMES_SUBSTITUTED);
        }
        return out;
    }

    @Override
    public String toString() {
        return "AlignedWindow{" + furnaceId + " end=" + windowEndMicros + "us frames=" + frames.length
                + " current=" + phaseA.length + (substitutedFrames > 0 ? " substituted=" + substitutedFrames : "") + "}";
    }
}
