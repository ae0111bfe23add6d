package org.fmfstream.model.reference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fmfstream.model.testing.DebianPyTorch;

/**
 * The files {@code reference/reference_fmformer.py} writes: PyTorch itself (Debian's
 * {@code python3-torch}) builds the reference network from its public description, saves random
 * weights of both variants as state_dicts, and records its outputs on fixed raw inputs. Shared with
 * the jobs module's tests (model-serving's test jar).
 */
public final class ReferenceNetwork {

    static final int BATCH = 3;
    static final int FRAMES = 10;
    static final int SIZE = 64;
    static final int CHANNELS = 3;
    static final int STEPS = 240;

    final Path dir;

    private ReferenceNetwork(Path dir) {
        this.dir = dir;
    }

    /** Runs the script into {@code dir}; fails the test with PyTorch's own output when it cannot. */
    public static ReferenceNetwork writeInto(Path dir) throws IOException, InterruptedException {
        return new ReferenceNetwork(DebianPyTorch.run("/reference/reference_fmformer.py", dir, dir.resolve("reference"),
                "the reference checkpoints"));
    }

    /** A file the script wrote: cls.pth, seg.pth, other.pth, broken.pth, the inputs and outputs. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Raw pixel of the official clip [B, C, T, x, y]. */
    int pixel(byte[] video, int b, int c, int t, int x, int y) {
        return video[(((b * CHANNELS + c) * FRAMES + t) * SIZE + x) * SIZE + y] & 0xFF;
    }

    byte[] video() throws IOException {
        return Files.readAllBytes(file("video.u8"));
    }

    float[] floats(String name) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file(name))).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }
}
