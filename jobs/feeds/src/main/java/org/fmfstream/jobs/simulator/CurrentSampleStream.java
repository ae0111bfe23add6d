package org.fmfstream.jobs.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.fmfstream.schemas.CurrentSample;

/**
 * A furnace's current readings grouped into {@link CurrentSample} blocks of readingsPerSample
 * (the last block may be shorter), stamped with the PLC time of their first reading.
 */
public final class CurrentSampleStream implements Iterator<CurrentSample> {
    private final String furnaceId;
    private final double rateHz;
    private final int perBlock;
    private final CurrentStream readings;
    private final SimulatorConfig config;
    private long consumed;
    private long lastReadingMicros;

    CurrentSampleStream(String furnaceId, SimulatorConfig config, CurrentStream readings) {
        this.furnaceId = furnaceId;
        this.config = config;
        this.rateHz = config.currentRateHz();
        this.perBlock = config.readingsPerSample();
        this.readings = readings;
    }

    @Override
    public boolean hasNext() {
        return readings.hasNext();
    }

    @Override
    public CurrentSample next() {
        if (!readings.hasNext()) {
            throw new NoSuchElementException("no more current samples");
        }
        List<Float> a = new ArrayList<>(perBlock);
        List<Float> b = new ArrayList<>(perBlock);
        List<Float> c = new ArrayList<>(perBlock);
        long first = -1;
        while (a.size() < perBlock && readings.hasNext()) {
            SimulatedReading r = readings.next();
            if (first < 0) {
                first = r.trueTimeMicros();
            }
            lastReadingMicros = r.trueTimeMicros();
            consumed++;
            a.add(r.phaseA());
            b.add(r.phaseB());
            c.add(r.phaseC());
        }
        return CurrentSample.newBuilder()
                .setFurnaceId(furnaceId)
                .setEventTimeMicros(first)
                .setSampleRateHz(rateHz)
                .setPhaseA(a)
                .setPhaseB(b)
                .setPhaseC(c)
                .build();
    }

    /** True time of the last reading of the block {@link #next()} will return: when it can be sent. */
    public long peekAvailableMicros() {
        long last = Math.min(consumed + perBlock, config.readingCount()) - 1;
        return config.readingTimeMicros(last);
    }

    /** True time of the last reading of the block {@link #next()} returned: when it was sent. */
    public long lastReadingMicros() {
        return lastReadingMicros;
    }
}
