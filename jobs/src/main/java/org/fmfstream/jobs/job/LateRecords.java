package org.fmfstream.jobs.job;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;
import org.fmfstream.operators.input.CurrentBlock;
import org.fmfstream.operators.input.FurnaceFrame;
import org.fmfstream.schemas.DeadLetter;

/**
 * Records the aligner could no longer use because the watermark had passed their event time become
 * dead letters, so a plant sees what it lost (kind {@value #KIND}) instead of a silent gap. The
 * Kafka coordinates are gone by then (-1); the key and the reason say which record it was.
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
            return letter(topic, f.furnaceId, "frame " + f.frameSeq + " of " + f.furnaceId + " captured at "
                    + f.eventTimeMicros + " us arrived after the watermark had passed it; its windows were already scored");
        }
    }

    static final class Currents implements MapFunction<CurrentBlock, DeadLetter> {
        private final String topic;

        Currents(String topic) {
            this.topic = topic;
        }

        @Override
        public DeadLetter map(CurrentBlock c) {
            return letter(topic, c.furnaceId, c.readings() + " current reading(s) of " + c.furnaceId + " from "
                    + c.eventTimeMicros + " us arrived after the watermark had passed them");
        }
    }

    private static DeadLetter letter(String topic, String furnaceId, String reason) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(-1)
                .setSourceOffset(-1L)
                .setErrorKind(KIND)
                .setReason(reason)
                .setOriginalKey(ByteBuffer.wrap(furnaceId.getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(null)
                .setFailedAtMillis(System.currentTimeMillis())
                .build();
    }
}
