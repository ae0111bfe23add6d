package org.fmfstream.jobs.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.fmfstream.jobs.job.FurnaceAnomalyJob;
import org.fmfstream.jobs.job.JobConfig;
import org.fmfstream.jobs.simulator.Episode;
import org.fmfstream.jobs.simulator.FurnaceSimulation;
import org.fmfstream.jobs.simulator.Simulation;
import org.fmfstream.jobs.simulator.SimulationRun;
import org.fmfstream.jobs.simulator.SimulatorConfig;
import org.fmfstream.jobs.feed.KafkaFurnaceSink;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web view in a real browser (Debian's chromium, headless, driven by Selenium): a real broker,
 * the detection job on a MiniCluster, the simulator in real time and {@code ./fmf view}'s server. The
 * page must show a tile with an anomaly, its mask overlaid on the frame and a probability timeline
 * with points; a click on an anomalous window must open its 10-frame clip with the mask on the
 * scored frame. A view over topics that do not exist must say so on the page.
 *
 * <p>The screenshot of the first test goes to {@code target/view.png}; with
 * {@code -Dfmf.view.screenshot=PATH} it is also copied there (how docs/images/view.png is made).
 */
class FurnaceViewIT {

    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension(1);

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration PAGE_WAIT = Duration.ofSeconds(180);

    private ChromeDriver browser;

    @BeforeEach
    void startBrowser() {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            fail("the view test needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
        }
        browser = headlessChromium("1400,900");
    }

    /** Debian's chromium, headless, driven through Debian's chromedriver (no download). */
    static ChromeDriver headlessChromium(String windowSize) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + windowSize);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aTileShowsAnAnomalyWithItsMaskAndAClickOpensTheClip(@TempDir Path dir) throws Exception {
        SimulatorConfig sim = withEarlyEpisode();
        String group = "view-" + System.nanoTime();
        int metricsPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            metricsPort = free.getLocalPort();
        }
        JobClient job = startJob(kafka.bootstrapServers(), group, "earliest", dir, Integer.toString(metricsPort));
        try (LiveSimulator simulator = new LiveSimulator(sim, kafka.settings());
             ViewServer view = ViewServer.start(kafka.settings(), ViewTopics.live(), 0, Duration.ofMinutes(10), 4)) {
            browser.get(view.url().toString());
            WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT, Duration.ofMillis(500));
            wait.until(b -> b.findElements(By.cssSelector("section.tile")).size() == sim.furnaces());
            WebElement tile = wait.until(b -> b.findElements(By.cssSelector("section.tile[data-anomaly-shown='true']"))
                    .stream().findFirst().orElse(null));
            String furnace = tile.getAttribute("data-furnace");
            WebElement timeline = tile.findElement(By.cssSelector("svg.timeline"));
            assertThat(Integer.parseInt(timeline.getAttribute("data-points"))).isPositive();
            assertThat(tile.getAttribute("data-state")).isEqualTo("ANOMALY");
            assertThat(tile.findElements(By.cssSelector("svg.currents polyline"))).hasSize(3);
            assertThat(browser.findElement(By.id("connection")).getAttribute("data-state")).isEqualTo("live");
            screenshot(dir);
            assertMetricsScraped(metricsPort);

            // A click on an anomalous window opens its clip, read back from the frames topic.
            WebElement point = tile.findElements(By.cssSelector("svg.timeline circle.point[data-decision='ANOMALY']"))
                    .get(0);
            ((JavascriptExecutor) browser).executeScript(
                    "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", point);
            wait.until(b -> "10".equals(b.findElement(By.id("clip-frames")).getAttribute("data-loaded")));
            assertThat(browser.findElement(By.id("clip")).isDisplayed()).isTrue();
            assertThat(browser.findElements(By.cssSelector("#clip-frames canvas"))).hasSize(10);
            assertThat(browser.findElements(By.cssSelector("#clip-frames canvas[data-mask='true']"))).hasSize(1);
            assertThat(browser.findElement(By.id("clip-title")).getText()).startsWith(furnace);
            assertThat(browser.findElement(By.id("clip-note")).getText()).contains("ANOMALY").contains("mask on the last frame");
            assertThat(browser.findElement(By.id("status")).isDisplayed()).as("no problem reported").isFalse();
            browser.findElement(By.id("clip-close")).click();
            printLatency();

            // The job restarts under the page (from its group's committed offsets): the page keeps going.
            long before = newestWindowEnd();
            job.cancel().get(30, TimeUnit.SECONDS);
            job = startJob(kafka.bootstrapServers(), group, "committed", dir, "");
            wait.until(b -> newestWindowEnd() > before + 3_000_000L);
            assertThat(browser.findElement(By.id("connection")).getAttribute("data-state")).isEqualTo("live");
            printLatency();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** The simulator delivering to the broker in real time on a thread of its own; closing stops it. */
    static final class LiveSimulator implements AutoCloseable {
        private final SimulationRun run;
        private final Thread thread;

        LiveSimulator(SimulatorConfig sim, org.fmfstream.jobs.kafka.KafkaSettings kafka) {
            run = SimulationRun.of(Simulation.of(sim)).realtime();
            thread = new Thread(() -> {
                try (KafkaFurnaceSink sink = new KafkaFurnaceSink(kafka)) {
                    run.deliverTo(sink);
                }
            }, "view-test-simulator");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            run.stop();
            thread.join(10_000);
        }
    }

    /**
     * The same job's metrics where Flink users look: Flink's Prometheus reporter
     * ({@code metrics.prometheus.port}) serves the operators' own counters and histograms.
     */
    private static void assertMetricsScraped(int port) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        double scored = body.lines().filter(l -> l.contains("fmformer_windowsScored") && !l.startsWith("#"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(scored).as("windows scored, from /metrics").isPositive();
        assertThat(body).contains("fmformer_batchSize").contains("fmformer_inferenceTimeMs").contains("windowsEmitted")
                .contains("windowsDegraded").contains("lateRecords");
        System.out.println("metrics: " + (long) scored + " windows scored, " + body.lines().count() + " lines at /metrics");
    }

    /** The detection job, unbounded, 2 s checkpoints, on a MiniCluster of its own ({@code prometheusPort} "" = none). */
    static JobClient startJob(String bootstrapServers, String group, String startFrom, Path dir, String prometheusPort)
            throws Exception {
        JobConfig config = JobConfig.of(Map.of(
                "bootstrap.servers", bootstrapServers,
                "metrics.prometheus.port", prometheusPort,
                "group.id", group,
                "start.from", startFrom,
                "checkpoint.interval", "2s",
                "checkpoint.dir", dir.resolve("checkpoints").toString(),
                "transactional.id.prefix", group + "-" + System.nanoTime()));
        StreamExecutionEnvironment env = FurnaceAnomalyJob.embeddedEnvironment(config, null);
        FurnaceAnomalyJob.define(env, config);
        return env.executeAsync(FurnaceAnomalyJob.JOB_NAME);
    }

    /** End (µs) of the newest window on any timeline of the page. */
    private long newestWindowEnd() {
        Object newest = ((JavascriptExecutor) browser).executeScript(
                "let m = 0; document.querySelectorAll('circle.point').forEach(c => m = Math.max(m, +c.dataset.end));"
                        + " return m;");
        return ((Number) newest).longValue();
    }

    /** The page's own latency figures (a measurement, not a bound: printed for docs/benchmarks.md). */
    private void printLatency() {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "const q = (a, p) => { if (!a.length) return NaN; const s = [...a].sort((x, y) => x - y);"
                        + " return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };"
                        + " const st = window.fmfView.stats;"
                        + " return `events ${st.fromRead.length}: read by the view -> on the page p50 ${q(st.fromRead, .5)}"
                        + " ms p99 ${q(st.fromRead, .99)} ms max ${q(st.fromRead, 1)} ms; written by the job -> on the page"
                        + " p50 ${q(st.fromEmit, .5)} ms p99 ${q(st.fromEmit, .99)} ms; messages ${st.messages}`;");
        System.out.println("view latency: " + text);
    }

    @Test
    void topicsThatDoNotExistAreNamedOnThePage() throws Exception {
        ViewTopics topics = ViewTopics.live().forRun("no-such-run");
        try (ViewServer view = ViewServer.start(kafka.settings(), topics, 0, Duration.ofMinutes(10), 4)) {
            browser.get(view.url().toString());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200));
            WebElement status = wait.until(b -> {
                WebElement s = b.findElement(By.id("status"));
                return s.isDisplayed() ? s : null;
            });
            assertThat(status.getText())
                    .contains("Topic fmf.replay.no-such-run.events does not exist")
                    .contains("check --run");
            // The inputs exist (tiles may show frames and currents), only the run's outputs are missing.
            assertThat(status.getText()).doesNotContain("fmf.video.frames");
        }

        // A topic that holds something else than its records: named, not a blank page.
        String garbage = kafka.createTopic("fmf.replay.garbage", 1, Map.of());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                kafka.settings().clientProperties(Map.of(
                        "key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class,
                        "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class)))) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(garbage, "F01".getBytes(),
                    "not an event".getBytes())).get();
        }
        ViewTopics wrong = new ViewTopics(topics.frames(), topics.currents(), garbage, topics.masks(), topics.alerts(),
                "garbage", null, null);
        try (ViewServer view = ViewServer.start(kafka.settings(), wrong, 0, null, 4)) {
            browser.get(view.url().toString());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200));
            wait.until(b -> b.findElement(By.id("status")).getText().contains("holds records that are not AnomalyEvent"));
            assertThat(browser.findElement(By.id("status")).getText()).contains(garbage);
        }
    }

    /**
     * Two furnaces starting now, from the first seed whose first burn-through starts 20-45 s in and
     * lasts at least 30 s: the page has something to show within a minute or two.
     */
    private static SimulatorConfig withEarlyEpisode() {
        for (long seed = 1; seed < 500; seed++) {
            SimulatorConfig config = SimulatorConfig.builder().furnaces(2).seed(seed).duration(Duration.ofMinutes(4))
                    .episodesPerHour(40).episodeLength(Duration.ofSeconds(40), Duration.ofSeconds(60))
                    .start(Instant.now()).build().validate();
            for (FurnaceSimulation f : Simulation.of(config).furnaces()) {
                List<Episode> episodes = f.episodes();
                if (!episodes.isEmpty()) {
                    double startsIn = (episodes.get(0).startMicros() - config.startEpochMicros()) / 1e6;
                    if (startsIn >= 20 && startsIn <= 45 && episodes.get(0).lengthSeconds() >= 30) {
                        return config;
                    }
                }
            }
        }
        throw new IllegalStateException("no seed below 500 has an early episode");
    }

    private void screenshot(Path dir) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "view.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        String copy = System.getProperty("fmf.view.screenshot");
        if (copy != null && !copy.isBlank()) {
            Files.copy(shot, Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
