package org.fmfstream.jobs.ingest;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C (SIGINT/SIGTERM) end a publishing command cleanly: the shutdown hook interrupts the
 * working thread and waits a while for it to flush what it holds and close its sink (signalled by
 * {@link #close()}), instead of the JVM dropping records still buffered in the producer. It waits for
 * the signal, not for the thread to end, because that thread then calls System.exit, which blocks
 * while hooks run.
 */
public final class GracefulStop implements AutoCloseable {
    private static final long WAIT_SECONDS = 15;

    private final Thread hook;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopping;

    private GracefulStop(Thread worker) {
        this.hook = new Thread(() -> {
            stopping = true;
            worker.interrupt();
            try {
                done.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fmf-graceful-stop");
    }

    /** Installs the hook for the calling thread. */
    public static GracefulStop forCurrentThread() {
        GracefulStop stop = new GracefulStop(Thread.currentThread());
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** Whether a stop was requested by a signal. */
    public boolean stopping() {
        return stopping;
    }

    /** The work is over and its sink closed. */
    @Override
    public void close() {
        done.countDown();
        if (stopping) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook sees the latch and returns.
        }
    }
}
