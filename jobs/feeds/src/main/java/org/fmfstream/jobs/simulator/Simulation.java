package org.fmfstream.jobs.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The simulated plant: all furnaces of one config. Entry point for everything that needs the data
 * without Kafka (exports, end-to-end tests): {@code Simulation.of(config).furnaces()}, then per
 * furnace {@link FurnaceSimulation#episodes()}, {@link FurnaceSimulation#frames()},
 * {@link FurnaceSimulation#currents()}. {@link SimulationRun} delivers the merged stream to a sink.
 */
public final class Simulation {
    private final SimulatorConfig config;
    private final List<FurnaceSimulation> furnaces;

    private Simulation(SimulatorConfig config) {
        this.config = config;
        List<FurnaceSimulation> list = new ArrayList<>(config.furnaces());
        for (int i = 0; i < config.furnaces(); i++) {
            list.add(new FurnaceSimulation(config, i));
        }
        this.furnaces = Collections.unmodifiableList(list);
    }

    /** Validates the config (IllegalArgumentException naming the bad setting) and sets up the furnaces. */
    public static Simulation of(SimulatorConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("simulator config must be given");
        }
        return new Simulation(config.validate());
    }

    public SimulatorConfig config() {
        return config;
    }

    public List<FurnaceSimulation> furnaces() {
        return furnaces;
    }

    public FurnaceSimulation furnace(int index) {
        return furnaces.get(index);
    }
}
