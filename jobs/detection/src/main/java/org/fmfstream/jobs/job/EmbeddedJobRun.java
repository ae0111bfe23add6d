package org.fmfstream.jobs.job;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;

/**
 * Waits for a job started in the embedded cluster, the way a command line does: Ctrl-C (the JVM's
 * shutdown) runs {@code onStop} and cancels the job, and that cancellation is a clean exit (0), not
 * a failure; a job that fails by itself is reported with its root cause (1).
 */
public final class EmbeddedJobRun {

    private EmbeddedJobRun() {}

    /**
     * @param command name printed before a failure ({@code "run: the job failed: ..."})
     * @param onStop  what else to stop first on Ctrl-C (e.g. a console), or null
     */
    public static int await(JobClient job, String command, Runnable onStop, PrintWriter err) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread cancelOnExit = new Thread(() -> {
            stopping.set(true);
            if (onStop != null) {
                onStop.run();
            }
            job.cancel().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fmf-" + command + "-shutdown");
        Runtime.getRuntime().addShutdownHook(cancelOnExit);
        try {
            job.getJobExecutionResult().get();
            return 0;
        } catch (ExecutionException e) {
            if (stopping.get()) {
                return 0; // Ctrl-C cancelled it: not a failure
            }
            err.println(command + ": the job failed: " + rootMessage(e));
            err.flush();
            return 1;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnExit);
            } catch (IllegalStateException exiting) {
                // Ctrl-C: the hook is running and cancels the job.
            }
        }
    }

    /** The innermost cause, as "Type: message". */
    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
