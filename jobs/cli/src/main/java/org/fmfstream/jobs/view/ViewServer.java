package org.fmfstream.jobs.view;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fmfstream.jobs.kafka.KafkaSettings;

/**
 * {@code ./fmf view}: a web page of every furnace, served on 127.0.0.1 by the JDK's HTTP server.
 * The page, its script and style ship in the jar ({@code fmf/view/}; no CDN, no external font);
 * {@code /api/updates} is a server-sent-event stream (a snapshot, then every change the
 * {@link TopicFeed} reads from the committed topics); {@code /api/clip} reads one window's clip back
 * from the frames topic ({@link ClipLookup}).
 */
public final class ViewServer implements AutoCloseable {

    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/view.js", "view.js",
            "/view.css", "view.css");

    private final HttpServer http;
    private final ExecutorService threads;
    private final FurnaceBoard board;
    private final UpdateStream updates = new UpdateStream();
    private final TopicFeed feed;
    private final Thread feedThread;
    private final ClipLookup clips;

    /**
     * Starts the server and the feed.
     *
     * @param port    port on 127.0.0.1 (0 = any free one)
     * @param history how far back in event time to start reading, or null for every record
     */
    public static ViewServer start(KafkaSettings kafka, ViewTopics topics, int port, Duration history,
                                   double framesPerSecond) throws IOException {
        return new ViewServer(kafka, topics, port, history, framesPerSecond);
    }

    private ViewServer(KafkaSettings kafka, ViewTopics topics, int port, Duration history, double framesPerSecond)
            throws IOException {
        board = new FurnaceBoard(topics, framesPerSecond);
        board.onUpdate(updates::broadcast);
        clips = new ClipLookup(kafka, topics.frames());
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        // One thread per open page (each holds its update stream) plus requests.
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fmf-view-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        http.createContext("/", this::asset);
        http.createContext("/api/updates", this::updates);
        http.createContext("/api/clip", this::clip);
        http.start();
        feed = new TopicFeed(kafka, topics, board, history);
        feedThread = new Thread(feed, "fmf-view-feed");
        feedThread.setDaemon(true);
        feedThread.start();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8088/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    /** Pages connected now. */
    public int pages() {
        return updates.pages();
    }

    private void asset(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = ASSETS.get(exchange.getRequestURI().getPath());
            InputStream in = name == null ? null : ViewServer.class.getResourceAsStream("/fmf/view/" + name);
            if (in == null) {
                reply(exchange, 404, "text/plain", "not found");
                return;
            }
            byte[] body;
            try (in) {
                body = in.readAllBytes();
            }
            String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
            reply(exchange, 200, type + "; charset=utf-8", body);
        }
    }

    private void updates(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            updates.serve(out, board::snapshot);
        } catch (IOException e) {
            // The page went away.
        }
    }

    /** {@code /api/clip?furnace=F01&end=MICROS}: the window's event, its clip frames and its mask. */
    private void clip(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> q = query(exchange.getRequestURI());
            String furnace = q.get("furnace");
            long end;
            try {
                end = Long.parseLong(q.getOrDefault("end", ""));
            } catch (NumberFormatException e) {
                reply(exchange, 400, "text/plain", "end must be a window end in microseconds");
                return;
            }
            ObjectNode event = furnace == null ? null : board.eventOf(furnace, end);
            if (event == null) {
                reply(exchange, 404, "text/plain", "no such window on the page: " + furnace + " @ " + end);
                return;
            }
            List<Long> seqs = new ArrayList<>();
            event.get("clip").forEach(n -> seqs.add(n.asLong()));
            String[] frames = clips.frames(furnace, event.get("start").asLong(), end, seqs);
            ObjectNode body = board.json().createObjectNode();
            body.set("event", event);
            ArrayNode list = body.putArray("frames");
            for (String f : frames) {
                list.add(f);
            }
            body.set("mask", board.maskOf(furnace, end));
            reply(exchange, 200, "application/json", body.toString());
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void reply(HttpExchange exchange, int status, String type, String text) throws IOException {
        reply(exchange, status, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        feed.close();
        try {
            feedThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
        threads.shutdownNow();
    }
}
