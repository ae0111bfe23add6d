package org.fmfstream.jobs.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final AtomicLong clock = new AtomicLong();

    @Test
    void rendersCountRateAndEta() {
        ProgressBar bar = new ProgressBar("import", "records", 1000, new PrintWriter(new StringWriter()), true, clock::get);
        clock.set(2_000_000_000L);
        bar.advance(250);
        assertThat(bar.render(clock.get()))
                .isEqualTo("import [######------------------] 250/1,000 records  25% 125.0/s ETA 0:06");
    }

    @Test
    void anUnknownTotalShowsCountAndRateOnly() {
        ProgressBar bar = new ProgressBar("ingest", "frames", 0, new PrintWriter(new StringWriter()), false, clock::get);
        clock.set(4_000_000_000L);
        bar.advance(100);
        assertThat(bar.render(clock.get())).isEqualTo("ingest 100 frames 25.0/s");
    }

    @Test
    void onATerminalRedrawsOneLineInPlaceAndKeepsMessagesApart() {
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar("x", "records", 10, new PrintWriter(out), true, clock::get);
        clock.addAndGet(200_000_000L);
        bar.advance(1);
        clock.addAndGet(200_000_000L);
        bar.advance(1);
        bar.println("warning: something");
        bar.finish();
        String text = out.toString();
        assertThat(text).startsWith("\rx [##");
        // The bar is blanked out before the message, which gets a line of its own.
        assertThat(text).contains(" \rwarning: something\n");
        // Redraws use \r, never a newline, except after the message and at the end.
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(2);
        assertThat(text).endsWith("2/10 records  20% 5.0/s ETA 0:02\n");
    }

    @Test
    void offATerminalPrintsPlainLinesEveryFewSeconds() {
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar("x", "records", 100, new PrintWriter(out), false, clock::get);
        for (int i = 0; i < 100; i++) {
            clock.addAndGet(200_000_000L); // 20 s in all
            bar.advance(1);
        }
        bar.finish();
        String text = out.toString();
        assertThat(text).doesNotContain("\r");
        // One line per 5 s plus the final one.
        assertThat(text.lines().count()).isEqualTo(5);
        assertThat(text.lines().reduce((a, b) -> b).orElseThrow()).contains("100/100 records 100%");
    }
}
