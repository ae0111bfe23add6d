package org.fmfstream.model.tokenize;

import java.util.Arrays;
import java.util.Objects;

/**
 * The video half of one window: {@link TokenizerSpec#frames()} RGB8 frames, oldest first, ending
 * at the frame the window is scored for, with each frame's sequence number and capture time.
 *
 * <p>The reference takes frames {@code i-9s, ..., i-s, i} with indexes below 0 clamped to 0, so
 * the same frame may appear several times; the caller chooses the frames, this class only checks
 * their shape. A clip can also be {@linkplain #missing missing} (no video for the window); the
 * tokenizer then writes zeros and flags it.
 *
 * <p>Frame arrays are shared, not copied, to keep the streaming path free of 120 KB copies per
 * window: callers must not modify them after building the clip.
 */
public final class Clip {

    private final TokenizerSpec spec;
    private final byte[][] frames;
    private final long[] frameSeqs;
    private final long[] eventTimesMicros;

    private Clip(TokenizerSpec spec, byte[][] frames, long[] frameSeqs, long[] eventTimesMicros) {
        this.spec = spec;
        this.frames = frames;
        this.frameSeqs = frameSeqs;
        this.eventTimesMicros = eventTimesMicros;
    }

    /**
     * A clip of real frames.
     *
     * @param spec             the window shape the frames must have
     * @param frames           exactly {@code spec.frames()} arrays of {@code spec.frameBytes()} bytes,
     *                         row-major (y, then x), channels interleaved R, G, B; oldest first
     * @param frameSeqs        each frame's sequence number (metadata, not tokenized)
     * @param eventTimesMicros each frame's capture time (metadata, not tokenized)
     * @throws IllegalArgumentException when a count or a frame size does not match {@code spec}
     */
    public static Clip of(TokenizerSpec spec, byte[][] frames, long[] frameSeqs, long[] eventTimesMicros) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(frameSeqs, "frameSeqs");
        Objects.requireNonNull(eventTimesMicros, "eventTimesMicros");
        if (frames.length != spec.frames()) {
            throw new IllegalArgumentException(
                    "a clip needs exactly " + spec.frames() + " frames, got " + frames.length);
        }
        for (int t = 0; t < frames.length; t++) {
            if (frames[t] == null) {
                throw new IllegalArgumentException("frame " + t + " of the clip is null");
            }
            if (frames[t].length != spec.frameBytes()) {
                throw new IllegalArgumentException("frame " + t + " has " + frames[t].length
                        + " bytes, expected " + spec.frameBytes() + " (" + spec.frameSize() + "x"
                        + spec.frameSize() + " RGB8)");
            }
        }
        if (frameSeqs.length != frames.length || eventTimesMicros.length != frames.length) {
            throw new IllegalArgumentException("metadata must give one value per frame: " + frames.length
                    + " frames, " + frameSeqs.length + " sequence numbers, "
                    + eventTimesMicros.length + " event times");
        }
        return new Clip(spec, frames.clone(), frameSeqs.clone(), eventTimesMicros.clone());
    }

    /** A window without video: the tokenizer fills zeros and sets the video-missing flag. */
    public static Clip missing(TokenizerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return new Clip(spec, new byte[0][], new long[0], new long[0]);
    }

    public TokenizerSpec spec() {
        return spec;
    }

    public boolean isMissing() {
        return frames.length == 0;
    }

    /** Number of frames: {@code spec().frames()}, or 0 when missing. */
    public int frameCount() {
        return frames.length;
    }

    /** Frame {@code t} (0 = oldest). The array is shared: read it, do not modify it. */
    public byte[] frame(int t) {
        return frames[t];
    }

    public long frameSeq(int t) {
        return frameSeqs[t];
    }

    public long eventTimeMicros(int t) {
        return eventTimesMicros[t];
    }

    /**
     * This clip mirrored left to right (x becomes {@code frameSize - 1 - x}) with the same metadata.
     * Flip the window's {@link MaskTarget} with it so labels stay on their pixels.
     */
    public Clip flippedHorizontally() {
        if (isMissing()) {
            return this;
        }
        byte[][] flipped = new byte[frames.length][];
        for (int t = 0; t < frames.length; t++) {
            flipped[t] = HorizontalFlip.flipX(frames[t], spec.frameSize(), TokenizerSpec.CHANNELS);
        }
        return new Clip(spec, flipped, frameSeqs, eventTimesMicros);
    }

    @Override
    public String toString() {
        if (isMissing()) {
            return "Clip[missing]";
        }
        return "Clip[frames=" + frames.length + ", seqs=" + Arrays.toString(frameSeqs) + "]";
    }
}
