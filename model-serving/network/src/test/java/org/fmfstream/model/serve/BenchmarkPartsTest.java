package org.fmfstream.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenizedWindow;
import org.fmfstream.model.tokenize.TokenizerSpec;
import org.junit.jupiter.api.Test;

class BenchmarkPartsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Medians.of(new long[] {9, 1, 5})).isEqualTo(5);
        assertThat(Medians.of(new long[] {8, 2, 4, 100})).isEqualTo(6);
        assertThatThrownBy(() -> Medians.of(new long[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void peakRssIsAtLeastTheCurrentRss() throws Exception {
        long current = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst().orElseThrow();
        assertThat(ProcessMemory.peakRssKiB()).isPresent();
        assertThat(ProcessMemory.peakRssKiB().getAsLong()).isGreaterThanOrEqualTo(current);
    }

    @Test
    void aSyntheticBatchHoldsTheTokenizerOutputOfEachWindowAtItsOffset() {
        TokenizedBatch batch = TokenizedBatch.synthetic(3, 2, 42);
        TokenizerSpec spec = TokenizerSpec.FMFORMER;
        assertThat(batch.tokenizeNanosPerWindow()).isPositive();
        assertThat(batch.buffers().standard()).hasSize(3 * spec.standardLength());
        // Window 2 re-created from the same seed sequence must tokenize to the same slice.
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        TokenizedWindow last = null;
        for (int b = 0; b < 3; b++) {
            last = new MultiScaleTokenizer(spec).tokenize(SyntheticWindows.clip(spec, random),
                    SyntheticWindows.current(spec, random));
        }
        assertThat(java.util.Arrays.copyOfRange(batch.buffers().standard(), 2 * spec.standardLength(), 3 * spec.standardLength()))
                .containsExactly(last.standard());
        assertThat(java.util.Arrays.copyOfRange(batch.buffers().current(), 2 * spec.currentLength(), 3 * spec.currentLength()))
                .containsExactly(last.current());
        assertThat(last.flags().degraded()).isFalse();
    }
}
