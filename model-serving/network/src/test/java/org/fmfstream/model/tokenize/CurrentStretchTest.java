package org.fmfstream.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/**
 * numpy.linspace(0, n - 1, 240).astype(int32). Expected values are worked out by hand as
 * floor(k * (n - 1) / 239) and, over every n, with exact decimal arithmetic.
 */
class CurrentStretchTest {

    private static int[] indexes(int n) {
        int[] out = new int[240];
        for (int k = 0; k < 240; k++) {
            out[k] = CurrentStretch.sourceIndex(k, n, 240);
        }
        return out;
    }

    @Test
    void oneReadingFillsEveryStep() {
        assertThat(indexes(1)).containsOnly(0);
    }

    @Test
    void twoReadingsUseTheSecondOnlyAtTheLastStep() {
        int[] idx = indexes(2);
        // k / 239 < 1 for every k < 239.
        for (int k = 0; k < 239; k++) {
            assertThat(idx[k]).as("k=%d", k).isZero();
        }
        assertThat(idx[239]).isEqualTo(1);
    }

    @Test
    void threeReadingsSwitchAtStep120() {
        int[] idx = indexes(3);
        // 2k / 239: 2 * 119 = 238 < 239, 2 * 120 = 240 >= 239, 2 * 238 = 476 < 478.
        assertThat(idx[0]).isZero();
        assertThat(idx[119]).isZero();
        assertThat(idx[120]).isEqualTo(1);
        assertThat(idx[238]).isEqualTo(1);
        assertThat(idx[239]).isEqualTo(2);
    }

    @Test
    void halfAWindow() {
        int[] idx = indexes(120);
        // 119k / 239: k=2 -> 238/239 = 0.99, k=3 -> 357/239 = 1.49, k=120 -> 14280/239 = 59.75,
        // k=238 -> 28322/239 = 118.50.
        assertThat(idx[0]).isZero();
        assertThat(idx[1]).isZero();
        assertThat(idx[2]).isZero();
        assertThat(idx[3]).isEqualTo(1);
        assertThat(idx[120]).isEqualTo(59);
        assertThat(idx[238]).isEqualTo(118);
        assertThat(idx[239]).isEqualTo(119);
    }

    @Test
    void oneReadingShortRepeatsOnlyTheFirst() {
        int[] idx = indexes(239);
        // 238k / 239 = k - k/239, so floor is k - 1 for 1 <= k <= 238.
        assertThat(idx[0]).isZero();
        assertThat(idx[1]).isZero();
        assertThat(idx[2]).isEqualTo(1);
        assertThat(idx[100]).isEqualTo(99);
        assertThat(idx[238]).isEqualTo(237);
        assertThat(idx[239]).isEqualTo(238);
    }

    @Test
    void fullWindowIsTheIdentity() {
        int[] idx = indexes(240);
        for (int k = 0; k < 240; k++) {
            assertThat(idx[k]).isEqualTo(k);
        }
    }

    @Test
    void doubleArithmeticNeverCrossesAnIntegerForAnyCount() {
        // If the rounding of k * step ever fell just below an exact integer, truncation would
        // pick the previous reading; compare against exact decimal floor for every n and k.
        BigDecimal div = BigDecimal.valueOf(239);
        for (int n = 1; n <= 240; n++) {
            for (int k = 0; k < 240; k++) {
                int exact = BigDecimal.valueOf((long) k * (n - 1)).divide(div, 0, RoundingMode.FLOOR).intValueExact();
                assertThat(CurrentStretch.sourceIndex(k, n, 240)).as("n=%d k=%d", n, k).isEqualTo(exact);
            }
        }
    }

    @Test
    void rejectsArgumentsOutsideTheWindow() {
        assertThatThrownBy(() -> CurrentStretch.sourceIndex(0, 0, 240))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("available readings must be in [1, 240], got 0");
        assertThatThrownBy(() -> CurrentStretch.sourceIndex(240, 10, 240))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step must be in [0, 239], got 240");
    }
}
