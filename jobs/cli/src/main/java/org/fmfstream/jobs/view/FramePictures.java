package org.fmfstream.jobs.view;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.AvroBytes;

/** Frames as browser images: {@code data:} URLs of PNG (raw RGB8 frames are encoded here) or the camera's JPEG. */
final class FramePictures {

    private FramePictures() {}

    /** The frame as a data URL the page can draw. */
    static String dataUrl(VideoFrame frame) {
        byte[] payload = AvroBytes.copy(frame.getPayload());
        PixelEncoding encoding = frame.getEncoding();
        if (encoding == PixelEncoding.JPEG) {
            return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(payload);
        }
        if (encoding == PixelEncoding.PNG) {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(payload);
        }
        int w = frame.getWidth();
        int h = frame.getHeight();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                image.setRGB(x, y, (payload[i] & 0xFF) << 16 | (payload[i + 1] & 0xFF) << 8 | (payload[i + 2] & 0xFF));
            }
        }
        return png(image);
    }

    /** A PNG mask payload (the masks topic's encoding) as a data URL. */
    static String pngDataUrl(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** Ground truth (row-major 0/1 bytes) as base64, for the page to outline; null when absent. */
    static String truth(VideoFrame frame) {
        if (frame.getGroundTruthMask() == null) {
            return null;
        }
        byte[] mask = AvroBytes.copy(frame.getGroundTruthMask());
        boolean any = false;
        for (byte b : mask) {
            any |= b != 0;
        }
        return any ? Base64.getEncoder().encodeToString(mask) : "";
    }

    private static String png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a frame as PNG", e);
        }
        return pngDataUrl(out.toByteArray());
    }
}
