package org.fmfstream.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {

    /**
     * Ten windows at threshold 0.5 (as in ClassificationMetricsTest): TP 3, FP 2, TN 4, FN 1;
     * accuracy 0.7, precision 0.6, recall 0.75, F1 6/9, FDR 2/6, MDR 1/4, AUROC 21/24.
     * Ranked: A .9, A .8, N .7, A .6, N .5, A .4, then normals. AP adds 1/4 of recall at precisions
     * 1, 1, 3/4 (t=.6), 4/6 (t=.4): (1 + 1 + 0.75 + 2/3) / 4 = 0.854166...
     */
    private static ClassificationMetrics tenWindows() {
        boolean[] y = {true, true, true, true, false, false, false, false, false, false};
        double[] p = {0.9, 0.8, 0.6, 0.4, 0.7, 0.5, 0.3, 0.2, 0.1, 0.05};
        return ClassificationMetrics.of(y, p, 0.5);
    }

    /** TP 1, FP 1, FN 1, TN 5: pixel accuracy 6/8, anomaly IoU 1/3, normal IoU 5/7, mIoU 11/21. */
    private static SegmentationMetrics twoMasks() {
        SegmentationMetrics m = new SegmentationMetrics(4);
        m.add(new float[] {0.9f, 0.5f, 0.2f, 0.49f}, new byte[] {1, 0, 1, 0});
        m.add(new float[] {0.1f, 0.1f, 0.1f, 0.1f}, new byte[4]);
        return m;
    }

    /** Three normal windows, none raised: every rate about abnormal windows is undefined. */
    private static ClassificationMetrics threeNormals() {
        return ClassificationMetrics.of(new boolean[3], new double[] {0.1, 0.2, 0.3}, 0.5);
    }

    private static EvaluationReport report() {
        return new EvaluationReport("FMF test split")
                .add("cross-modal", tenWindows(), twoMasks())
                .add("current-only", "heavy mist", threeNormals(), null);
    }

    @Test
    void markdownRowsHoldTheHandComputedNumbers() {
        String md = report().markdown();
        assertThat(md).startsWith("# FMF test split\n");
        assertThat(md).contains("| variant | subset | accuracy | precision | recall | F1 | FDR | MDR | AUROC | AP"
                + " | pixel acc | mIoU | anomaly IoU | samples |");
        assertThat(md).contains("| cross-modal | all | 0.7000 | 0.6000 | 0.7500 | 0.6667 | 0.3333 | 0.2500 | 0.8750"
                + " | 0.8542 | 0.7500 | 0.5238 | 0.3333 | 10 |");
        assertThat(md).contains("| current-only | heavy mist | 1.0000 | n/a | n/a | n/a | 0.0000 | n/a | n/a | n/a"
                + " | n/a | n/a | n/a | 3 |");
        assertThat(md).contains("| cross-modal | all | 0.5 | 3 | 2 | 4 | 1 | 2 |");
        assertThat(md).contains("| current-only | heavy mist | 0.5 | 0 | 0 | 3 | 0 | n/a |");
        assertThat(md).contains("![precision-recall curves](precision-recall.png)");
    }

    @Test
    void jsonHoldsTheSameNumbersAndNullForUndefined() throws Exception {
        JsonNode root = new ObjectMapper().readTree(report().json());
        assertThat(root.get("title").asText()).isEqualTo("FMF test split");
        JsonNode cross = root.get("results").get(0);
        assertThat(cross.get("variant").asText()).isEqualTo("cross-modal");
        assertThat(cross.get("subset").asText()).isEqualTo("all");
        assertThat(cross.get("samples").asLong()).isEqualTo(10);
        assertThat(cross.get("falsePositives").asLong()).isEqualTo(2);
        assertThat(cross.get("accuracy").asDouble()).isEqualTo(0.7);
        assertThat(cross.get("f1").asDouble()).isCloseTo(6.0 / 9, within(1e-12));
        assertThat(cross.get("auroc").asDouble()).isCloseTo(21.0 / 24, within(1e-12));
        assertThat(cross.get("averagePrecision").asDouble()).isCloseTo((2.75 + 2.0 / 3) / 4, within(1e-12));
        JsonNode seg = cross.get("segmentation");
        assertThat(seg.get("masks").asLong()).isEqualTo(2);
        assertThat(seg.get("pixels").asLong()).isEqualTo(8);
        assertThat(seg.get("meanIoU").asDouble()).isCloseTo(11.0 / 21, within(1e-12));
        assertThat(seg.get("anomalyIoU").asDouble()).isCloseTo(1.0 / 3, within(1e-12));

        JsonNode mist = root.get("results").get(1);
        assertThat(mist.get("subset").asText()).isEqualTo("heavy mist");
        assertThat(mist.get("precision").isNull()).isTrue();
        assertThat(mist.get("auroc").isNull()).isTrue();
        assertThat(mist.get("falseDetectionRate").asDouble()).isEqualTo(0.0);
        assertThat(mist.get("segmentation").isNull()).isTrue();
    }

    @Test
    void namesAreEscapedInJsonAndMarkdown() throws Exception {
        EvaluationReport r = new EvaluationReport("a \"quoted\"\ttitle\n\\ end")
                .add("odd|name", threeNormals(), null);
        assertThat(new ObjectMapper().readTree(r.json()).get("title").asText()).isEqualTo("a \"quoted\"\ttitle\n\\ end");
        assertThat(r.markdown()).contains("| odd\\|name | all |");
    }

    @Test
    void writesMarkdownJsonAndPlot(@TempDir Path dir) throws Exception {
        EvaluationReport r = report();
        EvaluationReport.Written w = r.writeTo(dir.resolve("report"));
        assertThat(w.markdown()).hasFileName("evaluation.md");
        assertThat(Files.readString(w.markdown())).isEqualTo(r.markdown());
        assertThat(Files.readString(w.json())).isEqualTo(r.json());
        BufferedImage plot = ImageIO.read(w.precisionRecallPlot().toFile());
        assertThat(plot.getWidth()).isEqualTo(640);
        assertThat(plot.getHeight()).isEqualTo(480);
    }

    @Test
    void theReportKeepsASnapshotOfTheMasks() {
        SegmentationMetrics live = twoMasks();
        EvaluationReport r = new EvaluationReport("t").add("video-only", tenWindows(), live);
        live.add(new float[4], new byte[] {1, 1, 1, 1});
        assertThat(r.results().get(0).segmentation().masks()).isEqualTo(2);
    }

    @Test
    void duplicatesAndEmptyReportsAreRefused(@TempDir Path dir) {
        EvaluationReport r = report();
        assertThatThrownBy(() -> r.add("cross-modal", tenWindows(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has cross-modal");
        assertThatThrownBy(() -> r.add("video-only", " ", tenWindows(), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvaluationReport("empty").writeTo(dir)).hasMessageContaining("no result sets");
        assertThat(r.results()).extracting(EvaluationReport.ResultSet::name)
                .containsExactly("cross-modal", "current-only / heavy mist");
    }
}
