package org.fmfstream.jobs.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Lines of a file or of stdin, read once to the end; a last line without a newline still counts. */
public final class StreamLineSource implements LineSource {
    private final BufferedReader in;
    private long number;

    public StreamLineSource(InputStream in) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    @Override
    public Line next() throws IOException {
        String text = in.readLine();
        if (text == null) {
            return null;
        }
        return new Line(++number, text);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
