package org.fmfstream.operators.input;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.fmfstream.schemas.DeadLetter;

/** Main output: the decoded values; side output {@link FurnaceSources#DEAD_LETTERS}: the rest. */
public final class SplitRejected<T> extends ProcessFunction<Ingested<T>, T> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(Ingested<T> in, Context ctx, Collector<T> out) {
        if (in.isOk()) {
            out.collect(in.value);
        } else {
            DeadLetter letter = in.rejected.toDeadLetter();
            ctx.output(FurnaceSources.DEAD_LETTERS, letter);
        }
    }
}
