package org.fmfstream.jobs.ingest;

/** One line of text input and its 1-based number within the current file, for messages. */
public record Line(long number, String text) {
    /** Returned by a followed source when no new line arrived during one poll. */
    public static final Line IDLE = new Line(-1, "");

    public boolean idle() {
        return this == IDLE;
    }
}
