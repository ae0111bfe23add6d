package org.fmfstream.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {

    private static final double EPS = 1e-12;

    /**
     * Two 4-pixel masks.
     * mask 1: p {0.9, 0.5, 0.2, 0.49} vs truth {1, 0, 1, 0} -> TP, FP (0.5 counts as abnormal), FN, TN
     * mask 2: all 0.1 vs all 0 -> 4 TN
     * totals TP 1, FP 1, FN 1, TN 5 over 8 pixels.
     */
    @Test
    void countsAndMetricsOfTinyMasks() {
        SegmentationMetrics m = new SegmentationMetrics(4);
        m.add(new float[] {0.9f, 0.5f, 0.2f, 0.49f}, new byte[] {1, 0, 1, 0});
        m.add(new float[] {0.1f, 0.1f, 0.1f, 0.1f}, new byte[4]);

        assertThat(m.masks()).isEqualTo(2);
        assertThat(m.pixels()).isEqualTo(8);
        assertThat(m.truePositives()).isEqualTo(1);
        assertThat(m.falsePositives()).isEqualTo(1);
        assertThat(m.falseNegatives()).isEqualTo(1);
        assertThat(m.trueNegatives()).isEqualTo(5);
        assertThat(m.pixelAccuracy()).isCloseTo(6.0 / 8, within(EPS));
        assertThat(m.anomalyIoU()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(m.normalIoU()).isCloseTo(5.0 / 7, within(EPS));
        assertThat(m.meanIoU()).isCloseTo((1.0 / 3 + 5.0 / 7) / 2, within(EPS));
    }

    @Test
    void iouIsDatasetLevelNotAMeanOverMasks() {
        SegmentationMetrics m = new SegmentationMetrics(4);
        // One abnormal pixel found exactly (per-mask IoU 1) ...
        m.add(new float[] {1f, 0f, 0f, 0f}, new byte[] {1, 0, 0, 0});
        // ... and three abnormal pixels all missed (per-mask IoU 0). A per-mask mean would say 1/2.
        m.add(new float[] {0f, 0f, 0f, 0f}, new byte[] {1, 1, 1, 0});
        // TP 1, FN 3, FP 0 -> 1 / 4
        assertThat(m.anomalyIoU()).isCloseTo(0.25, within(EPS));
    }

    /**
     * 64x64: truth is the 10x10 square at rows 10..19, columns 10..19; the prediction is the same
     * square moved 5 columns right (columns 15..24). Intersection 5x10 = 50, union 150:
     * TP 50, FP 50, FN 50, TN 4096 - 150 = 3946.
     */
    @Test
    void shiftedSquareOnABenchmarkSizedMask() {
        float[] p = new float[64 * 64];
        byte[] truth = new byte[64 * 64];
        for (int y = 10; y < 20; y++) {
            for (int x = 10; x < 20; x++) {
                truth[y * 64 + x] = 1;
                p[y * 64 + x + 5] = 0.8f;
            }
        }
        SegmentationMetrics m = new SegmentationMetrics();
        m.add(p, truth);

        assertThat(m.anomalyIoU()).isCloseTo(50.0 / 150, within(EPS));
        assertThat(m.normalIoU()).isCloseTo(3946.0 / 4046, within(EPS));
        assertThat(m.pixelAccuracy()).isCloseTo(3996.0 / 4096, within(EPS));
        assertThat(m.meanIoU()).isCloseTo((50.0 / 150 + 3946.0 / 4046) / 2, within(EPS));
    }

    @Test
    void offsetsReadOneMaskOutOfABatch() {
        // A batch of three 2-pixel masks; the middle one is {abnormal predicted, abnormal missed}.
        float[] batch = {0f, 0f, 0.7f, 0.3f, 1f, 1f};
        byte[] truthBatch = {0, 0, 1, 1, 0, 0};
        SegmentationMetrics m = new SegmentationMetrics(2);
        m.add(batch, 2, truthBatch, 2);
        assertThat(m.truePositives()).isEqualTo(1);
        assertThat(m.falseNegatives()).isEqualTo(1);
        assertThat(m.falsePositives()).isZero();
        assertThat(m.trueNegatives()).isZero();
    }

    @Test
    void aClassNeverPresentNorPredictedIsLeftOutOfTheMean() {
        SegmentationMetrics m = new SegmentationMetrics(4);
        m.add(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, new byte[4]);
        assertThat(m.anomalyIoU()).isNaN();
        assertThat(m.normalIoU()).isEqualTo(1.0);
        assertThat(m.meanIoU()).isEqualTo(1.0);

        SegmentationMetrics empty = new SegmentationMetrics(4);
        assertThat(empty.pixelAccuracy()).isNaN();
        assertThat(empty.meanIoU()).isNaN();
    }

    @Test
    void mergeAndCopyAddCounts() {
        SegmentationMetrics a = new SegmentationMetrics(2);
        a.add(new float[] {0.9f, 0.1f}, new byte[] {1, 0});
        SegmentationMetrics b = new SegmentationMetrics(2);
        b.add(new float[] {0.9f, 0.9f}, new byte[] {0, 1});
        SegmentationMetrics snapshot = a.copy();
        a.merge(b);
        assertThat(a.masks()).isEqualTo(2);
        assertThat(a.truePositives()).isEqualTo(2);
        assertThat(a.falsePositives()).isEqualTo(1);
        assertThat(a.trueNegatives()).isEqualTo(1);
        // The copy did not follow.
        assertThat(snapshot.masks()).isEqualTo(1);
        assertThat(snapshot.falsePositives()).isZero();
        assertThatThrownBy(() -> a.merge(new SegmentationMetrics(3))).hasMessageContaining("3 pixels");
    }

    @Test
    void badMasksAreRefusedAndLeaveTheTotalsUnchanged() {
        SegmentationMetrics m = new SegmentationMetrics(4);
        assertThatThrownBy(() -> m.add(new float[3], new byte[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 probabilities");
        assertThatThrownBy(() -> m.add(new float[] {0f, 0f, 1f, Float.NaN}, new byte[] {1, 1, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pixel 3").hasMessageContaining("NaN");
        assertThatThrownBy(() -> m.add(new float[4], new byte[] {0, 2, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pixel 1").hasMessageContaining("truth is 2");
        assertThatThrownBy(() -> m.add(new float[8], 5, new byte[8], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new SegmentationMetrics(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(m.masks()).isZero();
        assertThat(m.truePositives() + m.falsePositives() + m.trueNegatives() + m.falseNegatives()).isZero();
    }

    @Test
    void addAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] p = new float[64 * 64];
        byte[] truth = new byte[64 * 64];
        for (int i = 0; i < p.length; i += 3) {
            p[i] = 0.7f;
            truth[i / 2] = 1;
        }
        SegmentationMetrics m = new SegmentationMetrics();
        for (int i = 0; i < 2_000; i++) {
            m.add(p, truth);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 2_000; i++) {
            m.add(p, truth);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // A boxed long or an iterator per call would be at least 16 bytes x 2,000.
        assertThat(allocated).isLessThan(2_000);
        assertThat(m.masks()).isEqualTo(4_000);
    }
}
