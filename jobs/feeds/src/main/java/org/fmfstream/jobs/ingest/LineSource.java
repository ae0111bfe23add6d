package org.fmfstream.jobs.ingest;

import java.io.IOException;

/** Where text lines come from: a file or stdin read once, or a file followed as it grows. */
public interface LineSource extends AutoCloseable {
    /**
     * The next complete line; {@link Line#IDLE} when a followed source had nothing new for one poll;
     * null at the end of input (or when following was stopped).
     */
    Line next() throws IOException, InterruptedException;

    /** Asks a followed source to end; {@link #next} then returns null. Safe from any thread. */
    default void stop() {}

    @Override
    void close() throws IOException;
}
