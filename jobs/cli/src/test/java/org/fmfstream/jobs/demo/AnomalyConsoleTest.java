package org.fmfstream.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.operators.output.AnomalyEventEncoder;
import org.fmfstream.operators.output.AnomalyMaskEncoder;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.Degradation;
import org.junit.jupiter.api.Test;

/** The console's line and its reading of the mask topic's PNGs, on records made by the job's own encoders. */
class AnomalyConsoleTest {

    @Test
    void describesAnAnomalyWithItsAreaLocationLatencyAndDegradation() {
        ScoredWindow w = window();
        AnomalyEvent event = AnomalyEventEncoder.encode(w, DecisionRule.REFERENCE, 1_700_000_000_900L);
        AnomalyMask mask = AnomalyMaskEncoder.encode(w, 0.5);

        String line = AnomalyConsole.describe(event, mask);

        // 2026-11-27 00:00:01.000 UTC is the window end; 4x3 box at x 10..13, y 20..22 = 12 of 4096 pixels.
        assertThat(line).isEqualTo("00:00:01.000  F07  ANOMALY p=0.875  area 0.29% at x 10-13 y 20-22"
                + "  latency 900 ms  degraded: CURRENT_STRETCHED");
    }

    @Test
    void readsMaskProbabilitiesBackFromThePng() throws Exception {
        ScoredWindow w = window();
        float[] p = AnomalyConsole.probabilities(AnomalyMaskEncoder.encode(w, 0.5));

        assertThat(p).hasSize(64 * 64);
        assertThat(p[21 * 64 + 11]).isEqualTo(Math.round(255 * 0.9f) / 255f);
        assertThat(p[0]).isEqualTo(Math.round(255 * 0.01f) / 255f);
    }

    @Test
    void anUndecidedStretchPrintsOneLineAndIsCountedApartFromAnomalies() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AnomalyConsole console = new AnomalyConsole(null, "e", "m", "f", null, out, Duration.ofSeconds(15));
        ScoredWindow noVideo = window();
        noVideo.frameSeqs = new long[0];
        noVideo.scoredFrame = null;
        noVideo.degradations = new Degradation[] {Degradation.VIDEO_MISSING};
        noVideo.anomalyProbability = 0.65f;
        for (int i = 0; i < 3; i++) {
            noVideo.windowEndMicros += 1_000_000;
            console.onEvent(AnomalyEventEncoder.encode(noVideo, DecisionRule.REFERENCE, 1_700_000_000_100L));
        }
        console.onEvent(AnomalyEventEncoder.encode(window(), DecisionRule.REFERENCE, 1_700_000_000_900L));
        console.printStatus();

        assertThat(console.anomalies()).isEqualTo(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "00:00:02.000  F07  UNDECIDED p=0.650  no verdict: VIDEO_MISSING (further undecided windows are"
                        + " counted in the status line)",
                "00:00:01.000  F07  ANOMALY p=0.875  latency 900 ms  degraded: CURRENT_STRETCHED",
                "status:  F07 4 windows, 1 anomalous, 3 undecided, 4 degraded, last p=0.875, latency 900 ms;");
    }

    private static ScoredWindow window() {
        ScoredWindow w = new ScoredWindow();
        w.furnaceId = "F07";
        w.windowEndMicros = 1_795_737_601_000_000L; // 2026-11-27T00:00:01Z
        w.windowStartMicros = w.windowEndMicros - 360_000;
        w.frameSeqs = new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        w.scoredFrame = new byte[64 * 64 * 3];
        w.degradations = new Degradation[] {Degradation.CURRENT_STRETCHED};
        w.lastIngestMillis = 1_700_000_000_000L;
        w.anomalyProbability = 0.875f;
        w.modelName = "fmformer-xs";
        w.modelVersion = "test";
        w.modelSha256 = "0".repeat(64);
        java.util.Arrays.fill(w.maskProbabilities, 0.01f);
        for (int y = 20; y < 23; y++) {
            for (int x = 10; x < 14; x++) {
                w.maskProbabilities[y * 64 + x] = 0.9f;
            }
        }
        return w;
    }
}
