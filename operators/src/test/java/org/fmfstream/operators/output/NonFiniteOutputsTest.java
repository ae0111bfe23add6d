package org.fmfstream.operators.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.operators.input.FurnaceSources;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.codec.Decoded;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;

/**
 * A window whose model output is not finite becomes one dead letter and the windows around it go on;
 * without this step its event would fail validation (the job's failure seen with a 1e30 A reading).
 */
class NonFiniteOutputsTest {

    private static ScoredWindow window(long end, float p, String problem) {
        ScoredWindow w = new ScoredWindow();
        w.furnaceId = "F01";
        w.windowStartMicros = end - 360_000;
        w.windowEndMicros = end;
        w.frameSeqs = new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        w.anomalyProbability = p;
        w.outputProblem = problem;
        w.modelName = "fmformer-xs";
        w.modelVersion = "t";
        w.modelSha256 = "ab".repeat(32);
        return w;
    }

    @Test
    void onlyTheBadWindowBecomesADeadLetter() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<ScoredWindow, ScoredWindow>(
                new ProcessOperator<>(new NonFiniteOutputs("fmf.anomaly.events")))) {
            h.open();
            h.processElement(new StreamRecord<>(window(1_000_000, 0.1f, null)));
            h.processElement(new StreamRecord<>(window(2_000_000, Float.NaN, "anomaly probability NaN")));
            h.processElement(new StreamRecord<>(window(3_000_000, 0.9f, null)));

            assertThat(h.extractOutputValues()).extracting(w -> w.windowEndMicros).containsExactly(1_000_000L, 3_000_000L);
            List<DeadLetter> letters = h.getSideOutput(FurnaceSources.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue).toList();
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0);
            assertThat(letter.getErrorKind().toString()).isEqualTo(NonFiniteOutputs.KIND);
            assertThat(letter.getSourceTopic().toString()).isEqualTo("fmf.anomaly.events");
            assertThat(letter.getReason().toString()).contains("F01").contains("2000000").contains("anomaly probability NaN")
                    .contains("frames 1..10").contains("fmformer-xs");
            // The letter itself passes the dead-letter contract.
            RecordCodec<DeadLetter> codec = RecordCodec.deadLetters();
            assertThat(codec.decode(codec.encode(letter))).isInstanceOf(Decoded.Ok.class);
        }
        // The good windows still encode: the NaN never reaches the event encoder.
        assertThat(AnomalyEventEncoder.encode(window(1_000_000, 0.1f, null), DecisionRule.REFERENCE, 0L)).isNotNull();
    }
}
