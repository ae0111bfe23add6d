package org.fmfstream.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.fmfstream.operators.input.CurrentBlock;
import org.fmfstream.operators.input.FurnaceFrame;
import org.fmfstream.schemas.DeadLetter;
import org.junit.jupiter.api.Test;

/** A LATE dead letter names the record's Kafka coordinates when the record carried them. */
class LateRecordsTest {

    @Test
    void lateFramesAndCurrentsKeepWhereTheyCameFrom() throws Exception {
        FurnaceFrame frame = new FurnaceFrame("F01", 42, 1_000_000, new byte[64 * 64 * 3], null, 5).from(3, 1234);
        DeadLetter letter = new LateRecords.Frames("fmf.video.frames").map(frame);
        assertThat(letter.getErrorKind().toString()).isEqualTo(LateRecords.KIND);
        assertThat(letter.getSourceTopic().toString()).isEqualTo("fmf.video.frames");
        assertThat(letter.getSourcePartition()).isEqualTo(3);
        assertThat(letter.getSourceOffset()).isEqualTo(1234L);
        assertThat(letter.getReason().toString()).contains("frame 42 of F01");

        CurrentBlock block = new CurrentBlock("F02", 2_000_000, 2.0, new float[] {1f}, new float[] {1f},
                new float[] {1f}, 5).from(0, 77L);
        DeadLetter current = new LateRecords.Currents("fmf.current.samples").map(block);
        assertThat(current.getSourcePartition()).isZero();
        assertThat(current.getSourceOffset()).isEqualTo(77L);

        // State restored from before the coordinates were carried: unknown, as before.
        FurnaceFrame old = new FurnaceFrame("F01", 43, 1_040_000, new byte[64 * 64 * 3], null, 5);
        DeadLetter unknown = new LateRecords.Frames("fmf.video.frames").map(old);
        assertThat(unknown.getSourcePartition()).isEqualTo(-1);
        assertThat(unknown.getSourceOffset()).isEqualTo(-1L);
    }
}
