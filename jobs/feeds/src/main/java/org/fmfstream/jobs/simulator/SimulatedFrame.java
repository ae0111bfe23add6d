package org.fmfstream.jobs.simulator;

import java.nio.ByteBuffer;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;

/**
 * One rendered camera frame with its ground truth. The arrays are this frame's own (never reused by
 * the simulator), so a caller may keep them.
 *
 * @param furnaceId       e.g. F01
 * @param cameraId        the furnace's camera, e.g. F01-cam1
 * @param frameSeq        the camera's frame number, 0-based, one per 1/fps
 * @param trueTimeMicros  when it was taken, on the PLC clock
 * @param cameraTimeMicros the camera's timestamp: true time + the furnace's clock skew + jitter
 * @param width           pixels
 * @param height          pixels
 * @param rgb             height*width*3 bytes, row-major (y, then x), interleaved R,G,B
 * @param mask            height*width bytes, 1 inside the burn-through, else 0 (all 0 outside episodes)
 * @param episodeIndex    index into the furnace's episodes of the active episode, -1 if none
 * @param mistLevel       the mist level 0..1 at this moment (1 = the spot is all but invisible)
 */
public record SimulatedFrame(String furnaceId, String cameraId, long frameSeq, long trueTimeMicros,
                             long cameraTimeMicros, int width, int height, byte[] rgb, byte[] mask,
                             int episodeIndex, double mistLevel) {

    /** Class label: the mask is non-empty exactly when an episode is active. */
    public boolean anomalous() {
        return episodeIndex >= 0;
    }

    /** The contract record, timestamped on the camera clock and carrying the mask. */
    public VideoFrame toVideoFrame() {
        return VideoFrame.newBuilder()
                .setFurnaceId(furnaceId)
                .setCameraId(cameraId)
                .setFrameSeq(frameSeq)
                .setEventTimeMicros(cameraTimeMicros)
                .setWidth(width)
                .setHeight(height)
                .setEncoding(PixelEncoding.RGB8)
                .setPayload(ByteBuffer.wrap(rgb))
                .setGroundTruthMask(ByteBuffer.wrap(mask))
                .build();
    }
}
