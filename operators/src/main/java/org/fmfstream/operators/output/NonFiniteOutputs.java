package org.fmfstream.operators.output;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.fmfstream.operators.input.FurnaceSources;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.DeadLetter;

/**
 * Main output: windows whose model outputs are all finite; side output
 * {@link FurnaceSources#DEAD_LETTERS}: a dead letter of kind {@value #KIND} for each window whose
 * outputs are not ({@code ScoredWindow.outputProblem}). Such a window has no honest probability or
 * mask to publish, and encoding its NaN would fail the event's validation and with it the job; this
 * way one bad window costs one event, explained, and the furnace's next windows go on as usual.
 *
 * <p>The letter names the topic the event would have gone to, with partition and offset -1 (the
 * window is no single input record), the furnace as key, and the window, model and output in the reason.
 */
public final class NonFiniteOutputs extends ProcessFunction<ScoredWindow, ScoredWindow> {
    private static final long serialVersionUID = 1L;

    public static final String KIND = "MODEL_OUTPUT_NOT_FINITE";

    private final String eventsTopic;

    public NonFiniteOutputs(String eventsTopic) {
        this.eventsTopic = eventsTopic;
    }

    @Override
    public void processElement(ScoredWindow w, Context ctx, Collector<ScoredWindow> out) {
        if (w.outputProblem == null) {
            out.collect(w);
        } else {
            ctx.output(FurnaceSources.DEAD_LETTERS, letter(w, eventsTopic, System.currentTimeMillis()));
        }
    }

    /** The dead letter that replaces {@code w}'s event. */
    public static DeadLetter letter(ScoredWindow w, String eventsTopic, long nowMillis) {
        return DeadLetter.newBuilder()
                .setSourceTopic(eventsTopic)
                .setSourcePartition(-1)
                .setSourceOffset(-1L)
                .setErrorKind(KIND)
                .setReason("window " + w.furnaceId + " " + w.windowStartMicros + ".." + w.windowEndMicros
                        + " us (" + (w.frameSeqs.length == 0 ? "no frames"
                                : "frames " + w.frameSeqs[0] + ".." + w.frameSeqs[w.frameSeqs.length - 1]) + ") scored by "
                        + w.modelName + " " + w.modelVersion + ": " + w.outputProblem
                        + " is not finite; no event or mask is published for this window")
                .setOriginalKey(ByteBuffer.wrap(w.furnaceId.getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(null)
                .setFailedAtMillis(nowMillis)
                .build();
    }
}
