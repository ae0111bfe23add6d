package org.fmfstream.jobs.job;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;
import org.fmfstream.operators.input.CurrentBlock;
import org.fmfstream.operators.input.FurnaceFrame;
import org.fmfstream.schemas.DeadLetter;

/**
 * Records the aligner could no longer use (their furnace's stream had already moved more than the
 * out-of-orderness past them, or their window was already decided) become dead letters, so a plant sees what it lost (kind {@value #KIND}) instead of a silent gap. The
 * letter names the record's Kafka partition and offset (carried with the frame or block from the
 * source; -1 when unknown, e.g. state from before they were carried), so it can be read again; the
 * original bytes are not kept in the job's state (a frame would double its size there).
 */
final class LateRecords {

    static final String KIND = "LATE";

    private LateRecords() {}

    static final class Frames implements MapFunction<FurnaceFrame, DeadLetter> {
        private final String topic;

        Frames(String topic) {
            this.topic = topic;
        }

        @Override
        public DeadLetter map(FurnaceFrame f) {
            return letter(topic, f.sourcePartition, f.sourceOffset, f.furnaceId, "frame " + f.frameSeq + " of " + f.furnaceId + " captured at "
                    + f.eventTimeMicros + " us arrived after its windows were decided (frames of "
                    + f.furnaceId + " had already moved more than the out-of-orderness past it)");
        }
    }

    static final class Currents implements MapFunction<CurrentBlock, DeadLetter> {
        private final String topic;

        Currents(String topic) {
            this.topic = topic;
        }

        @Override
        public DeadLetter map(CurrentBlock c) {
            return letter(topic, c.sourcePartition, c.sourceOffset, c.furnaceId, c.readings() + " current reading(s) of " + c.furnaceId + " from "
                    + c.eventTimeMicros + " us arrived after their windows were decided (current of "
                    + c.furnaceId + " had already moved more than the out-of-orderness past them)");
        }
    }

    private static DeadLetter letter(String topic, Integer partition, Long offset, String furnaceId, String reason) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition == null ? -1 : partition)
                .setSourceOffset(offset == null ? -1L : offset)
                .setErrorKind(KIND)
                .setReason(reason)
                .setOriginalKey(ByteBuffer.wrap(furnaceId.getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(null)
                .setFailedAtMillis(System.currentTimeMillis())
                .build();
    }
}
