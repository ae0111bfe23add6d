package org.fmfstream.jobs.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkWriter;

/**
 * Writes a simulation in the public benchmark's layout, so that whatever reads the benchmark
 * (training, evaluation, the importer) reads simulated furnaces too. One recording per furnace,
 * named {@code s<seed>-<furnaceId>}, frames on the true clock (the benchmark has one clock), every
 * {@code stride}-th frame index listed in the chosen split file.
 *
 * <p>Beside the benchmark's own folders it writes {@code simulator/NAME.csv}: per frame the mist
 * level and the episode index, which the public loader ignores and the evaluation uses for its
 * heavy-mist subset.
 */
public final class SimulationExport {
    /** Sidecar folder with per-frame simulator truth that the benchmark layout has no place for. */
    public static final String SIDECAR_DIR = "simulator";

    private final Simulation simulation;
    private final Path dir;
    private final BenchmarkLayout.Split split;
    private final int stride;

    public SimulationExport(Simulation simulation, Path dir, BenchmarkLayout.Split split, int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("export stride must be >= 1, got " + stride);
        }
        this.simulation = simulation;
        this.dir = dir;
        this.split = split;
        this.stride = stride;
    }

    /** Recording name of a furnace in the export. */
    public static String recordingName(SimulatorConfig config, FurnaceSimulation furnace) {
        return "s" + config.seed() + "-" + furnace.furnaceId();
    }

    /** Writes every furnace; returns the frame indexes listed per recording. */
    public Map<String, int[]> write(Consumer<String> progress) throws IOException {
        SimulatorConfig config = simulation.config();
        Map<String, int[]> listed = new LinkedHashMap<>();
        Path sidecars = dir.resolve(SIDECAR_DIR);
        Files.createDirectories(sidecars);
        for (FurnaceSimulation furnace : simulation.furnaces()) {
            String name = recordingName(config, furnace);
            int frames = 0;
            BenchmarkWriter writer = BenchmarkWriter.create(dir, name, config.frameWidth(), config.frameHeight());
            try (BufferedWriter meta = Files.newBufferedWriter(sidecars.resolve(name + ".csv"), StandardCharsets.UTF_8)) {
                meta.write("frame,mist,episode\n");
                FrameStream frameStream = furnace.frames();
                while (frameStream.hasNext()) {
                    SimulatedFrame f = frameStream.next();
                    writer.addFrame(Math.floorDiv(f.trueTimeMicros(), 1000L), f.rgb(), f.mask());
                    meta.write(String.format(Locale.ROOT, "%d,%.3f,%d%n", frames, f.mistLevel(), f.episodeIndex()));
                    frames++;
                }
                CurrentStream currents = furnace.currents();
                while (currents.hasNext()) {
                    SimulatedReading r = currents.next();
                    writer.addCurrent(Math.floorDiv(r.trueTimeMicros(), 1000L), r.phaseA(), r.phaseB(), r.phaseC());
                }
                writer.close();
            } catch (IOException | RuntimeException e) {
                writer.abort();
                throw e;
            }
            int[] indexes = new int[(frames + stride - 1) / stride];
            for (int k = 0; k < indexes.length; k++) {
                indexes[k] = k * stride;
            }
            listed.put(name, indexes);
            progress.accept(String.format(Locale.ROOT, "%s: %d frames, %d listed in %s", name, frames,
                    indexes.length, split.fileName()));
        }
        BenchmarkWriter.writeSplit(dir, split, listed);
        return listed;
    }
}
