package org.fmfstream.jobs.view;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.fmfstream.jobs.simulator.SimulatorConfig;
import org.fmfstream.jobs.testing.LocalKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Benchmark, not a test (not run by {@code mvn verify}; prints figures for jobs/cli/README.md): 16
 * simulated furnaces at the camera's 25 fps in real time, the detection job, the view and a headless
 * chromium on this machine for {@link #DURATION}. Every 15 s it prints what the page received (event,
 * frame and total messages), the latency from the view reading an event to the page drawing it, and
 * whether the page was dropped or reconnected (a browser falling behind is dropped by the server).
 *
 * <p>{@code mvn -o -B test -pl jobs -Dtest=FurnaceViewBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
class FurnaceViewBenchmark {

    @RegisterExtension
    static final LocalKafkaExtension kafka = new LocalKafkaExtension(4);

    private static final int FURNACES = 16;
    private static final Duration DURATION = Duration.ofSeconds(120);

    @Test
    void sixteenFurnacesAtTheCameraRate(@TempDir Path dir) throws Exception {
        SimulatorConfig sim = SimulatorConfig.builder().furnaces(FURNACES).seed(7).duration(DURATION.plusSeconds(30))
                .episodesPerHour(30).start(Instant.now()).build().validate();
        JobClient job = FurnaceViewIT.startJob(kafka.bootstrapServers(), "view-bench", "earliest", dir, "");
        ChromeDriver browser = FurnaceViewIT.headlessChromium("1600,1200");
        try (FurnaceViewIT.LiveSimulator simulator = new FurnaceViewIT.LiveSimulator(sim, kafka.settings());
             ViewServer view = ViewServer.start(kafka.settings(), ViewTopics.live(), 0, Duration.ofMinutes(10), 4)) {
            browser.get(view.url().toString());
            long start = System.nanoTime();
            System.out.println("| s | tiles | events | frames | messages | read -> page p50 / p99 / max (ms) | reconnects | pages |");
            System.out.println("|---:|---:|---:|---:|---:|---|---:|---:|");
            while (System.nanoTime() - start < DURATION.toNanos()) {
                Thread.sleep(15_000);
                Object row = ((JavascriptExecutor) browser).executeScript(
                        "const q = (a, p) => { if (!a.length) return NaN; const s = [...a].sort((x, y) => x - y);"
                                + " return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };"
                                + " const st = window.fmfView.stats; const r = st.fromRead.splice(0);"
                                + " const tiles = document.querySelectorAll('section.tile').length;"
                                + " return `${tiles} | ${r.length} | ${st.frames} | ${st.messages} | ${q(r, .5)} / ${q(r, .99)} / ${q(r, 1)}"
                                + " | ${st.reconnects} |`;");
                System.out.printf("| %d | %s %d |%n", (System.nanoTime() - start) / 1_000_000_000L, row, view.pages());
            }
        } finally {
            browser.quit();
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }
}
