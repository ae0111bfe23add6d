package org.fmfstream.operators.input;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/** Lets only decoded values drive the wrapped generator: a dead letter's time means nothing. */
final class SkipRejectedWatermarks<T> implements WatermarkGenerator<Ingested<T>> {
    private final WatermarkGenerator<Ingested<T>> inner;

    SkipRejectedWatermarks(WatermarkGenerator<Ingested<T>> inner) {
        this.inner = inner;
    }

    @Override
    public void onEvent(Ingested<T> event, long eventTimestamp, WatermarkOutput output) {
        if (event.isOk()) {
            inner.onEvent(event, eventTimestamp, output);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        inner.onPeriodicEmit(output);
    }
}
