package org.fmfstream.jobs.simulator;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** A furnace's current readings in time order; see {@link FurnaceSimulation#currents()}. */
public final class CurrentStream implements Iterator<SimulatedReading> {
    private final CurrentGenerator generator;

    CurrentStream(CurrentGenerator generator) {
        this.generator = generator;
    }

    @Override
    public boolean hasNext() {
        return generator.hasNext();
    }

    @Override
    public SimulatedReading next() {
        if (!generator.hasNext()) {
            throw new NoSuchElementException("no more current readings");
        }
        return generator.next();
    }
}
