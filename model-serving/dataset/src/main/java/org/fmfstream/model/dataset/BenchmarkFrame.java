package org.fmfstream.model.dataset;

import java.nio.ByteBuffer;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;

/**
 * One frame of a recording in the contract's order: {@code rgb} row by row (y, then x) with R, G, B
 * interleaved, {@code mask} row by row with 0 (normal) or 1 (abnormal).
 */
public record BenchmarkFrame(int index, long eventTimeMicros, int width, int height, byte[] rgb, byte[] mask) {

    /** The RGB8 contract frame; the frame index becomes the sequence number. */
    public VideoFrame toVideoFrame(String furnaceId, String cameraId) {
        return VideoFrame.newBuilder()
                .setFurnaceId(furnaceId)
                .setCameraId(cameraId)
                .setFrameSeq(index)
                .setEventTimeMicros(eventTimeMicros)
                .setWidth(width)
                .setHeight(height)
                .setEncoding(PixelEncoding.RGB8)
                .setPayload(ByteBuffer.wrap(rgb))
                .setGroundTruthMask(ByteBuffer.wrap(mask))
                .build();
    }

    /** Whether any pixel of the mask is abnormal (the benchmark's class label of a clip ending here). */
    public boolean abnormal() {
        for (byte b : mask) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }
}
