package org.fmfstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PlcTimeParserTest {
    /** 2023-05-10T21:33:27Z. */
    static final long S = 1_683_754_407L * 1_000_000L;
    private final PlcTimeParser utc = new PlcTimeParser(ZoneId.of("UTC"));
    private final PlcTimeParser shanghai = new PlcTimeParser(ZoneId.of("Asia/Shanghai"));

    @Test
    void readsEveryAcceptedForm() {
        assertThat(utc.parseMicros("2023-05-10T21:33:27Z")).isEqualTo(S);
        assertThat(utc.parseMicros("2023-05-10T21:33:27.250Z")).isEqualTo(S + 250_000);
        assertThat(utc.parseMicros("2023-05-11T05:33:27+08:00")).isEqualTo(S);
        assertThat(utc.parseMicros("2023-05-10T21:33:27.5")).isEqualTo(S + 500_000);
        assertThat(shanghai.parseMicros("2023-05-11T05:33:27")).isEqualTo(S);
        assertThat(utc.parseMicros("2023-05-10 21:33:27")).isEqualTo(S);
        assertThat(utc.parseMicros(" 2023-05-10 21:33:27.125 ")).isEqualTo(S + 125_000);
        assertThat(utc.parseMicros("2023-05-10 21:33:27.5")).isEqualTo(S + 500_000);
        assertThat(shanghai.parseMicros("2023-05-11 05:33:27")).isEqualTo(S);
        assertThat(utc.parseMicros("1683754407250")).isEqualTo(S + 250_000);
    }

    @Test
    void rejectsWhatIsNoTimeWithAReason() {
        assertThatThrownBy(() -> utc.parseMicros("yesterday")).hasMessageContaining("'yesterday' is not a time");
        assertThatThrownBy(() -> utc.parseMicros("2023-13-10 21:33:27")).hasMessageContaining("is not a time");
        assertThatThrownBy(() -> utc.parseMicros("1683754407"))
                .hasMessageContaining("too small for epoch milliseconds (epoch seconds are not accepted)");
        assertThatThrownBy(() -> utc.parseMicros("")).hasMessageContaining("empty");
    }
}
