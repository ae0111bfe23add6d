package org.fmfstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.fmfstream.schemas.IncidentKind;
import org.junit.jupiter.api.Test;

class IncidentConsoleTest {

    @Test
    void consoleLineShowsTimeFurnaceKindPeakAreaAndDegradation() {
        var i = WebhookClientTest.incident();
        assertThat(IncidentConsole.line(i)).isEqualTo("2025-01-01 00:00:05.000  F01  UPDATED  p=0.900 area=-      "
                + "windows 4/5  DEGRADED VIDEO_MISSING (1 windows)  F01-1735689604000000");
        i.setKind(IncidentKind.INCIDENT_OPENED);
        i.setPeakAreaFraction(0.0125f);
        i.setDegraded(false);
        assertThat(IncidentConsole.line(i)).isEqualTo("2025-01-01 00:00:05.000  F01  OPENED   p=0.900 area=0.013  "
                + "windows 4/5  F01-1735689604000000");
    }
}
