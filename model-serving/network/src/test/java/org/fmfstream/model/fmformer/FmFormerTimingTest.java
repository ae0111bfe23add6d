package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Measures and prints the CPU forward time per window of both presets, with and without the dense
 * head, at batch 1 and 16. Timings are not asserted: they depend on the machine and on what else
 * runs on it. Wall time is given as the fastest and the median timed pass; process CPU time (all
 * threads) as the mean over the timed passes (the OS counts it in 10 ms ticks, too coarse for one
 * pass), which is less sensitive to other load than wall time. What is asserted is that every
 * timed pass produced finite outputs.
 */
class FmFormerTimingTest {

    private static final int[] BATCHES = {1, 16};
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Test
    void forwardTimePerWindow() {
        System.out.printf("FmFormer CPU forward time per window, %d cores%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-12s %-6s %6s %16s %16s %16s%n",
                "preset", "dense", "batch", "wall min ms", "wall median ms", "cpu mean ms");
        for (FmFormerConfig preset : new FmFormerConfig[] {FmFormerConfig.fmformerXs(), FmFormerConfig.fmformerS()}) {
            for (boolean dense : new boolean[] {false, true}) {
                FmFormerConfig config = preset.withDenseHead(dense);
                try (Model model = FmFormerModel.create(config, 1)) {
                    for (int batch : BATCHES) {
                        Timing t = measure(model, config, batch);
                        System.out.printf("%-12s %-6s %6d %16.1f %16.1f %16.1f%n",
                                config.name(), dense, batch, t.wallMin(), t.wallMedian(), t.cpuMean());
                        assertThat(t.wallMin()).isPositive();
                    }
                }
            }
        }
    }

    /** Milliseconds per window. */
    private record Timing(double wallMin, double wallMedian, double cpuMean) {}

    private static Timing measure(Model model, FmFormerConfig config, int batch) {
        // The first passes of a fresh model pay for PyTorch's allocator and kernel selection.
        int warmup = batch == 1 ? 5 : 1;
        int timed = batch == 1 ? 15 : 3;
        float[][] values;
        try (NDManager scratch = NDManager.newBaseManager("PyTorch")) {
            NDList inputs = RandomWindows.of(scratch, config, batch, 3);
            values = new float[][] {
                inputs.get(0).toFloatArray(), inputs.get(1).toFloatArray(), inputs.get(2).toFloatArray()
            };
        }
        Shape[] shapes = FmFormer.inputShapes(config, batch);
        double[] wall = new double[timed];
        long cpuNanos = 0;
        for (int i = -warmup; i < timed; i++) {
            long wallStart = System.nanoTime();
            long cpuStart = OS.getProcessCpuTime();
            try (NDManager call = model.getNDManager().newSubManager()) {
                NDList inputs = new NDList(
                        call.create(values[0], shapes[0]), call.create(values[1], shapes[1]),
                        call.create(values[2], shapes[2]));
                NDList out = model.getBlock().forward(new ParameterStore(call, false), inputs, false);
                for (NDArray array : out) {
                    // Reading the values back is part of a serving call and forces the work to finish.
                    float[] v = array.toFloatArray();
                    assertThat(Float.isFinite(v[0]) && Float.isFinite(v[v.length - 1])).isTrue();
                }
            }
            if (i >= 0) {
                wall[i] = (System.nanoTime() - wallStart) / 1e6 / batch;
                cpuNanos += OS.getProcessCpuTime() - cpuStart;
            }
        }
        Arrays.sort(wall);
        return new Timing(wall[0], wall[timed / 2], cpuNanos / 1e6 / timed / batch);
    }
}
