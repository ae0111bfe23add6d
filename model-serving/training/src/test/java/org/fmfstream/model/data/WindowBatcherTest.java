package org.fmfstream.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.tokenize.MultiScaleTokenizer;
import org.fmfstream.model.tokenize.TokenizedWindow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowBatcherTest {
    @TempDir
    static Path dir;
    static WindowDataset test;

    @BeforeAll
    static void open() throws Exception {
        WindowFixture.write(dir);
        test = WindowDataset.open(dir, BenchmarkLayout.Split.TEST, 1);
    }

    @Test
    void flipMirrorsClipAndMaskTogether() {
        Window plain = test.window(0);
        Window flipped = plain.flippedHorizontally();
        // Green holds x: after the flip column x shows what column 63 - x held.
        for (int t = 0; t < 10; t++) {
            byte[] f = flipped.clip().frame(t);
            assertThat(f[(5 * 64 + 0) * 3 + 1]).isEqualTo((byte) 63);
            assertThat(f[(5 * 64 + 63) * 3 + 1]).isEqualTo((byte) 0);
            assertThat(f[(7 * 64 + 10) * 3 + 2]).isEqualTo((byte) 7);
            assertThat(f[0]).isEqualTo(plain.clip().frame(t)[0]);
        }
        assertThat(flipped.mask().label(2, 60)).isEqualTo(1);
        assertThat(flipped.mask().label(2, 3)).isEqualTo(0);
        assertThat(flipped.mask().abnormalPixels()).isEqualTo(1);
    }

    @Test
    void batchesHoldTheTokenizedWindowsAndTargetsFlippedPerRow() {
        WindowBatcher batcher = new WindowBatcher(test, 4);
        MultiScaleTokenizer tokenizer = new MultiScaleTokenizer(test.spec());
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            WindowBatch batch = batcher.batch(manager, new int[] {1, 0}, new boolean[] {false, true});
            assertThat(batch.inputs().get(0).getShape()).isEqualTo(new Shape(2, 320, 384));
            assertThat(batch.inputs().get(1).getShape()).isEqualTo(new Shape(2, 80, 384));
            assertThat(batch.inputs().get(2).getShape()).isEqualTo(new Shape(2, 240, 3));
            assertThat(batch.labels().toIntArray()).containsExactly(1, 1);
            assertThat(batch.samples()).extracting(WindowSample::frame).containsExactly(9, 4);

            TokenizedWindow row0 = tokenizer.tokenize(test.window(1).clip(), test.window(1).current());
            TokenizedWindow row1 = tokenizer.tokenize(test.window(0).flippedHorizontally().clip(),
                    test.window(0).current());
            assertThat(batch.inputs().get(0).get(new NDIndex("0")).toFloatArray()).containsExactly(row0.standard());
            assertThat(batch.inputs().get(0).get(new NDIndex("1")).toFloatArray()).containsExactly(row1.standard());
            assertThat(batch.inputs().get(1).get(new NDIndex("1")).toFloatArray()).containsExactly(row1.dilated());
            assertThat(batch.inputs().get(2).get(new NDIndex("0")).toFloatArray()).containsExactly(row0.current());

            assertThat(batch.masks().getInt(0, 2, 3)).isEqualTo(1);
            assertThat(batch.masks().getInt(1, 2, 60)).isEqualTo(1);
            assertThat(batch.masks().getInt(1, 2, 3)).isEqualTo(0);
            assertThat(batch.masks().sum().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong()).isEqualTo(2);
            assertThatThrownBy(() -> batcher.batch(manager, new int[5]))
                    .hasMessageContaining("batch of 5 samples; this batcher takes 1..4");
        }
    }

    @Test
    void batchesAllocateNoDirectMemory() {
        // A training run made about 10 MiB of direct buffers per batch, freed only by a full
        // garbage collection; its process grew about 6 MB a step.
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        WindowBatcher batcher = new WindowBatcher(test, 4);
        long before = direct.getCount();
        for (int i = 0; i < 20; i++) {
            try (NDManager batchManager = NDManager.newBaseManager("PyTorch")) {
                batcher.batch(batchManager, new int[] {i % 2, 1 - i % 2});
            }
        }
        assertThat(direct.getCount()).isEqualTo(before);
    }

    @Test
    void epochPlansAreSeededPerEpochAndCoverTheSplit() {
        boolean[] labels = new boolean[50];
        for (int i = 0; i < 50; i += 10) {
            labels[i] = true;
        }
        EpochPlan a = EpochPlan.of(labels, 7, 3, 8, 0, false, true);
        EpochPlan again = EpochPlan.of(labels, 7, 3, 8, 0, false, true);
        EpochPlan next = EpochPlan.of(labels, 7, 4, 8, 0, false, true);
        assertThat(a.batchCount()).isEqualTo(7);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int flips = 0;
        for (int b = 0; b < a.batchCount(); b++) {
            assertThat(a.batch(b)).containsExactly(again.batch(b));
            assertThat(a.flips(b)).containsExactly(again.flips(b));
            for (int i : a.batch(b)) {
                seen.add(i);
            }
            for (boolean f : a.flips(b)) {
                flips += f ? 1 : 0;
            }
        }
        assertThat(seen).hasSize(50);
        assertThat(flips).isBetween(10, 40);
        assertThat(next.batch(0)).isNotEqualTo(a.batch(0));
        assertThat(EpochPlan.of(labels, 7, 3, 8, 0, false, false).flips(0)).containsOnly(false);

        EpochPlan capped = EpochPlan.of(labels, 7, 3, 8, 20, false, false);
        assertThat(capped.batchCount()).isEqualTo(3);
        assertThat(capped.batch(2)).hasSize(4);

        EpochPlan balanced = EpochPlan.of(labels, 7, 1, 100, 400, true, false);
        int abnormal = 0;
        for (int b = 0; b < balanced.batchCount(); b++) {
            for (int i : balanced.batch(b)) {
                abnormal += labels[i] ? 1 : 0;
            }
        }
        // 10% of the samples are abnormal; balanced draws make them about half.
        assertThat(abnormal).isBetween(160, 240);
    }
}
