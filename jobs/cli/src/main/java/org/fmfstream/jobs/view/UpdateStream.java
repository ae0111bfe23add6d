package org.fmfstream.jobs.view;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events to every open page. Each page has its own queue and writer thread, so a slow
 * browser falls behind alone (its queue is bounded: when full, the page is dropped and reconnects,
 * and its reconnect starts from a fresh snapshot) and never holds up the feed.
 */
final class UpdateStream {

    /** Messages a page may lag behind before it is dropped. */
    static final int QUEUE = 5_000;
    private static final String KEEP_ALIVE = ": keep-alive\n\n";

    private final CopyOnWriteArrayList<Page> pages = new CopyOnWriteArrayList<>();

    /** One connected page. */
    private final class Page {
        final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE);
        volatile boolean open = true;
    }

    /** Queues {@code json} for every page. */
    void broadcast(String json) {
        for (Page page : pages) {
            if (!page.queue.offer(json)) {
                page.open = false; // too slow: drop it, the browser reconnects
            }
        }
    }

    /** Connected pages. */
    int pages() {
        return pages.size();
    }

    /**
     * Serves one page on the calling thread until it disconnects: first {@code snapshot}, then every
     * message broadcast after it. The page is registered before the snapshot is taken, so nothing
     * falls between the two (a message may arrive twice, which the page tolerates).
     */
    void serve(OutputStream out, java.util.function.Supplier<String> snapshot) throws IOException {
        Page page = new Page();
        pages.add(page);
        try {
            send(out, snapshot.get());
            while (page.open) {
                String next = page.queue.poll(15, TimeUnit.SECONDS);
                if (next == null) {
                    out.write(KEEP_ALIVE.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                send(out, next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pages.remove(page);
        }
    }

    private static void send(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
