package org.fmfstream.model.dataset;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent h5py reference script (test resource benchmark/h5py_pattern.py) with Debian's
 * interpreter, /usr/bin/python3, which is where python3-h5py installs; a pyenv python3 on PATH
 * would not have it. Missing h5py fails the test with the fix, never skips it.
 */
final class H5py {
    static final String PYTHON = "/usr/bin/python3";

    private H5py() {}

    /** Runs the script's {@code mode} and returns its output; fails the test on a non-zero exit. */
    static String run(Path workDir, String mode, Path target, int frames, int width, int height) throws Exception {
        requireH5py();
        Path script = workDir.resolve("h5py_pattern.py");
        if (!Files.exists(script)) {
            try (InputStream in = H5py.class.getResourceAsStream("/benchmark/h5py_pattern.py")) {
                Files.copy(in, script);
            }
        }
        Result r = exec(List.of(PYTHON, script.toString(), mode, target.toString(),
                String.valueOf(frames), String.valueOf(width), String.valueOf(height)));
        if (r.exit != 0) {
            fail("h5py_pattern.py " + mode + " failed (exit " + r.exit + "): " + r.output);
        }
        return r.output;
    }

    private static void requireH5py() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: this test needs Debian's python3 with h5py "
                    + "(apt-get update && apt-get install -y python3-h5py)");
        }
        Result r = exec(List.of(PYTHON, "-c", "import h5py, numpy"));
        if (r.exit != 0) {
            fail("h5py is not importable by " + PYTHON + " (" + r.output.trim() + "); install it with "
                    + "apt-get update && apt-get install -y python3-h5py");
        }
    }

    private record Result(int exit, String output) {}

    private static Result exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Result(p.exitValue(), out);
    }
}
