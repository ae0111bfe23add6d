package org.fmfstream.model.reference;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * The files {@code reference/reference_fmformer.py} writes: PyTorch itself (Debian's
 * {@code python3-torch}) builds the reference network from its public description, saves random
 * weights of both variants as state_dicts, and records its outputs on fixed raw inputs.
 */
final class ReferenceNetwork {

    static final String PYTHON = "/usr/bin/python3";
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
    static ReferenceNetwork writeInto(Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("reference_fmformer.py");
        try (InputStream in = ReferenceNetwork.class.getResourceAsStream("/reference/reference_fmformer.py")) {
            if (in == null) {
                fail("test resource /reference/reference_fmformer.py is missing");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: the reference-weights tests need Debian's python3-torch "
                    + "(apt-get install -y python3-torch)");
        }
        Path out = dir.resolve("reference");
        Process process = new ProcessBuilder(PYTHON, script.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("writing the reference checkpoints took more than 5 minutes:\n" + log);
        }
        if (process.exitValue() != 0) {
            fail("writing the reference checkpoints failed (exit " + process.exitValue() + "); "
                    + (log.contains("No module named 'torch'")
                    ? "PyTorch is not installed for " + PYTHON + ": apt-get install -y python3-torch\n" : "\n") + log);
        }
        return new ReferenceNetwork(out);
    }

    Path file(String name) {
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
