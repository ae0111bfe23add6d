package org.fmfstream.model.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test script with Debian's python3 and python3-torch (an independent reference the tests
 * compare against): the script is a test resource, copied out and run with an output directory.
 * A missing interpreter or PyTorch, a failure or a hang fails the calling test with the script's own
 * output, never skips it.
 */
public final class DebianPyTorch {

    public static final String PYTHON = "/usr/bin/python3";

    private DebianPyTorch() {}

    /**
     * Runs {@code resource} (e.g. {@code /reference/reference_fmformer.py}) with {@code out} as its
     * argument, from a copy in {@code workDir}.
     *
     * @param what what the script makes, for failure messages ("the TorchScript test module")
     * @return {@code out}
     */
    public static Path run(String resource, Path workDir, Path out, String what)
            throws IOException, InterruptedException {
        Path script = workDir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = DebianPyTorch.class.getResourceAsStream(resource)) {
            if (in == null) {
                fail("test resource " + resource + " is missing");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: the tests need Debian's python3-torch (apt-get install -y python3-torch,"
                    + " or ./fmf test)");
        }
        Process process = new ProcessBuilder(PYTHON, script.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("writing " + what + " took more than 5 minutes:\n" + log);
        }
        if (process.exitValue() != 0) {
            fail("writing " + what + " failed (exit " + process.exitValue() + "); "
                    + (log.contains("No module named 'torch'")
                    ? "PyTorch is not installed for " + PYTHON + ": apt-get install -y python3-torch\n" : "\n") + log);
        }
        return out;
    }
}
