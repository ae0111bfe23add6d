package org.fmfstream.operators.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;

class StartingOffsetsTest {
    @Test
    void parsesEveryForm() {
        assertThat(StartingOffsets.parse("earliest")).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(StartingOffsets.parse(" Latest ")).isEqualTo(StartingOffsets.LATEST);
        assertThat(StartingOffsets.parse("committed")).isEqualTo(StartingOffsets.COMMITTED);
        assertThat(StartingOffsets.parse("timestamp:1767225600000"))
                .isEqualTo(StartingOffsets.timestamp(1_767_225_600_000L));
        assertThat(StartingOffsets.parse("timestamp:5").toString()).isEqualTo("timestamp:5");
    }

    @Test
    void committedFallsBackToEarliest() {
        assertThat(StartingOffsets.COMMITTED.initializer().getAutoOffsetResetStrategy())
                .isEqualTo(OffsetResetStrategy.EARLIEST);
    }

    @Test
    void refusesNonsenseWithTheAccepedForms() {
        assertThatThrownBy(() -> StartingOffsets.parse("beginning")).hasMessageContaining("earliest, latest");
        assertThatThrownBy(() -> StartingOffsets.parse("timestamp:soon")).hasMessageContaining("milliseconds");
        assertThatThrownBy(() -> StartingOffsets.parse("timestamp:-1")).hasMessageContaining(">= 0");
    }
}
