package org.fmfstream.model.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.fmfstream.model.data.WindowSample;
import org.fmfstream.model.serve.DecisionRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FurnaceReportTest {

    private static WindowSample normal(String furnace, int second) {
        return new WindowSample(furnace, second, false, 0, -1, second * 1_000_000L);
    }

    private static WindowSample inEpisode(String furnace, int episode, int second) {
        return new WindowSample(furnace, second, true, 0, episode, second * 1_000_000L);
    }

    @Test
    void falseAlarmsPerFurnaceAndEpisodesWithTheirDelays(@TempDir Path dir) throws Exception {
        FurnaceReport r = new FurnaceReport("m", new DecisionRule(0.5, 2), 2);
        // Furnace A: 10 normal windows, 1 flagged; episode 0 from second 100, windows at 102..110
        // every 2 s, flagged from 106 on: its 2nd flagged window is 108, 8 s after onset.
        for (int s = 0; s < 10; s++) {
            r.add(normal("A", s), s == 3, null);
        }
        for (int s = 102; s <= 110; s += 2) {
            r.add(inEpisode("A", 0, s), s >= 106, 100_000_000L);
        }
        // Furnace B: 4 normal windows, 2 flagged; episode 1 with one flagged window only: missed at k = 2.
        for (int s = 0; s < 4; s++) {
            r.add(normal("B", s), s < 2, null);
        }
        r.add(inEpisode("B", 1, 50), true, 45_000_000L);
        r.add(inEpisode("B", 1, 52), false, 45_000_000L);

        assertThat(r.furnaces()).extracting(FurnaceReport.Furnace::falseAlarmRate).containsExactly(0.1, 0.5);
        FurnaceReport.Spread far = r.falseAlarmsPerFurnace();
        assertThat(far.min()).isEqualTo(0.1);
        assertThat(far.median()).isEqualTo(0.3);
        assertThat(far.max()).isEqualTo(0.5);
        assertThat(r.episodes()).hasSize(2);
        FurnaceReport.Episode a = r.episodes().get(0);
        assertThat(a.detected()).isTrue();
        assertThat(a.delaySeconds()).isEqualTo(8.0);
        assertThat(a.firstFlagSeconds()).isEqualTo(6.0);
        assertThat(a.onsetSeconds()).isEqualTo(100.0);   // A's first window is at 0 s
        assertThat(a.flagged()).isEqualTo(3);
        assertThat(r.episodes().get(1).detected()).isFalse();
        assertThat(r.episodes().get(1).firstFlagSeconds()).isEqualTo(5.0);
        // All windows: 21 = 14 normal (3 flagged) + 7 abnormal (4 flagged).
        double[] o = r.overall();
        assertThat(o[0]).isCloseTo((11 + 4) / 21.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(o[4]).isCloseTo(3 / 14.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.markdown()).contains("Episodes detected (at least 2 flagged windows): 1 of 2")
                .contains("| A | 0 | 100.0 | 5 | 3 | 6.0 | 8.0 |")
                .contains("| B | 1 | 45.0 | 2 | 1 | 5.0 | missed |");
        // Onsets count from each furnace's first window: C's starts at 1,000 s.
        FurnaceReport c = new FurnaceReport("m", new DecisionRule(0.5, 2), 1);
        c.add(normal("C", 1000), false, null);
        c.add(inEpisode("C", 0, 1012), true, 1_010_000_000L);
        assertThat(c.episodes().get(0).onsetSeconds()).isEqualTo(10.0);
        assertThat(c.episodes().get(0).delaySeconds()).isEqualTo(2.0);
        r.writePlot(dir.resolve("f.png"));
        assertThat(dir.resolve("f.png")).exists();
    }
}
