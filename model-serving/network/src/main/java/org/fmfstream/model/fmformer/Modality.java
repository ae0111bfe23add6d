package org.fmfstream.model.fmformer;

/**
 * Which input streams an FmFormer variant looks at. The paper compares the cross-modal model with
 * single-modality variants of the same network; a missing stream simply has no embedding, no
 * encoder branch and no head.
 */
public enum Modality {
    /** Video and current, with bidirectional cross-attention in every layer. */
    CROSS_MODAL(true, true),
    /** Video clip only (standard and dilated tokens); no current stream, no cross-attention. */
    VIDEO_ONLY(true, false),
    /** Current window only; no video stream and therefore no dense (mask) head. */
    CURRENT_ONLY(false, true);

    private final boolean video;
    private final boolean current;

    Modality(boolean video, boolean current) {
        this.video = video;
        this.current = current;
    }

    /** Whether the video stream (standard and dilated tokens) exists. */
    public boolean hasVideo() {
        return video;
    }

    /** Whether the current stream exists. */
    public boolean hasCurrent() {
        return current;
    }

    /** Whether the layers carry cross-attention between the two streams. */
    public boolean isCrossModal() {
        return video && current;
    }
}
