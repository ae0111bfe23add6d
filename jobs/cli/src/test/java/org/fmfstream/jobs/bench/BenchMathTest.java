package org.fmfstream.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BenchMathTest {

    @Test
    void nearestRankPercentiles() {
        long[] v = {50, 10, 40, 20, 30, 60, 70, 80, 90, 100};
        assertThat(BenchMath.percentile(v, 50)).isEqualTo(50);
        assertThat(BenchMath.percentile(v, 99)).isEqualTo(100);
        assertThat(BenchMath.percentile(v, 100)).isEqualTo(100);
        assertThat(BenchMath.percentile(v, 10)).isEqualTo(10);
        assertThat(BenchMath.percentile(v, 11)).isEqualTo(20);
        assertThat(BenchMath.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(v[0]).as("input left unsorted").isEqualTo(50);
        assertThatThrownBy(() -> BenchMath.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchMath.percentile(v, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratesAndRatios() {
        // 11 outputs over 2 s: 10 intervals -> 5 per second
        assertThat(BenchMath.perSecond(11, 1_000, 3_000)).isEqualTo(5.0);
        assertThatThrownBy(() -> BenchMath.perSecond(1, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchMath.perSecond(5, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        // batches of 4 at 0, 1000, 2000 ms (a few ms apart inside a batch): 8 windows after the first batch in 2 s
        long[] emits = {2_003, 0, 1, 2, 3, 1_000, 1_001, 1_002, 1_003, 2_000, 2_001, 2_002};
        assertThat(BenchMath.sustainedPerSecond(emits, 10)).isCloseTo(8 * 1000.0 / 2_003, within(1e-9));
        assertThat(BenchMath.batches(emits, 10)).isEqualTo(3);
        assertThat(BenchMath.batches(new long[0], 10)).isZero();
        assertThatThrownBy(() -> BenchMath.sustainedPerSecond(new long[] {5, 6, 7}, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(BenchMath.ratio(45, 50)).isEqualTo(0.9);
        assertThat(BenchMath.ratio(1, 0)).isNaN();
        assertThat(BenchMath.latencyGoalMillis(50, 120)).isEqualTo(290.0);
    }
}
