package org.fmfstream.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fmfstream.model.dataset.BenchmarkFormatException;
import org.fmfstream.model.dataset.BenchmarkLayout;
import org.fmfstream.model.dataset.BenchmarkWriter;
import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowDatasetTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeFixture() throws Exception {
        WindowFixture.write(dir);
    }

    private static int[] clipFrames(Clip clip) {
        int[] frames = new int[clip.frameCount()];
        for (int t = 0; t < frames.length; t++) {
            frames[t] = clip.frame(t)[0];
            assertThat(clip.frameSeq(t)).isEqualTo(frames[t]);
        }
        return frames;
    }

    @Test
    void samplesFollowTheSplitWithLabelsAndMist() {
        WindowDataset ds = WindowDataset.open(dir, BenchmarkLayout.Split.TRAIN, 1);
        assertThat(ds.samples()).extracting(WindowSample::recording, WindowSample::frame, WindowSample::abnormal)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("R1", 0, false),
                        org.assertj.core.groups.Tuple.tuple("R1", 5, false),
                        org.assertj.core.groups.Tuple.tuple("R1", 12, false),
                        org.assertj.core.groups.Tuple.tuple("R1", 29, true),
                        org.assertj.core.groups.Tuple.tuple("R2", 6, false));
        assertThat(ds.sample(1).mist()).isEqualTo(0.05);
        assertThat(ds.sample(3).mist()).isEqualTo(0.29);
        assertThat(ds.sample(4).mist()).isNaN();
        assertThat(ds.sample(3).mistAtLeast(0.2)).isTrue();
        assertThat(ds.sample(4).mistAtLeast(0.0)).isFalse();
        assertThat(ds.abnormalCount()).isEqualTo(1);

        WindowDataset test = WindowDataset.open(dir, BenchmarkLayout.Split.TEST, 1);
        assertThat(test.samples()).extracting(WindowSample::abnormal).containsExactly(true, true);
        assertThat(test.window(0).mask().label(2, 3)).isEqualTo(1);
        assertThat(test.window(0).mask().abnormalPixels()).isEqualTo(1);
    }

    @Test
    void clipsEndAtTheScoredFrameClampAtZeroAndHonourTheSamplingRate() {
        WindowDataset s1 = WindowDataset.open(dir, BenchmarkLayout.Split.TRAIN, 1);
        assertThat(clipFrames(s1.window(0).clip())).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(clipFrames(s1.window(1).clip())).containsExactly(0, 0, 0, 0, 0, 1, 2, 3, 4, 5);
        assertThat(clipFrames(s1.window(2).clip())).containsExactly(3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

        WindowDataset s2 = WindowDataset.open(dir, BenchmarkLayout.Split.TRAIN, 2);
        assertThat(clipFrames(s2.window(1).clip())).containsExactly(0, 0, 0, 0, 0, 0, 0, 1, 3, 5);
        WindowDataset s3 = WindowDataset.open(dir, BenchmarkLayout.Split.TRAIN, 3);
        assertThat(clipFrames(s3.window(3).clip())).containsExactly(2, 5, 8, 11, 14, 17, 20, 23, 26, 29);
        Clip last = s3.window(3).clip();
        assertThat(last.eventTimeMicros(9)).isEqualTo((WindowFixture.T0 + 9) * 1_000_000L + 2 * 1_000_000L / 3);
    }

    @Test
    void currentWindowIsTheReadingsOfThe120SecondsEndingWithTheFramesSecond() {
        WindowDataset ds = WindowDataset.open(dir, BenchmarkLayout.Split.TRAIN, 1);
        // Frame 12 lies in second T0 + 4: readings of seconds T0-115 .. T0+4, two each = 240.
        CurrentWindow w = ds.window(2).current();
        assertThat(w.count()).isEqualTo(240);
        assertThat(w.isStretched()).isFalse();
        assertThat(w.reading(0, 0)).isEqualTo(WindowFixture.phaseA(-115, 0));
        assertThat(w.reading(0, 239)).isEqualTo(WindowFixture.phaseA(4, 1));
        assertThat(w.reading(1, 239)).isEqualTo(-WindowFixture.phaseA(4, 1));
        assertThat(w.reading(2, 100)).isEqualTo(5000f + WindowFixture.phaseA(-65, 0));
        // Frame 29 lies in second T0 + 9, its last frame: second T0 + 10 is not included.
        CurrentWindow late = ds.window(3).current();
        assertThat(late.reading(0, 0)).isEqualTo(WindowFixture.phaseA(-110, 0));
        assertThat(late.reading(0, 239)).isEqualTo(WindowFixture.phaseA(9, 1));
        // Frame 0 (second T0): the window ends with both readings of T0.
        assertThat(ds.window(0).current().reading(0, 239)).isEqualTo(WindowFixture.phaseA(0, 1));
        assertThat(ds.window(0).current().reading(0, 0)).isEqualTo(WindowFixture.phaseA(-119, 0));
    }

    @Test
    void fewerReadingsAreKeptForTheTokenizerToStretch() {
        WindowDataset ds = WindowDataset.open(dir, BenchmarkLayout.Split.TRAIN, 1);
        // R2 frame 6 is in second T0 + 2; R2's currents start at T0: seconds T0..T0+2 = 6 readings.
        CurrentWindow w = ds.window(4).current();
        assertThat(w.count()).isEqualTo(6);
        assertThat(w.isStretched()).isTrue();
        for (int k = 0; k < 6; k++) {
            assertThat(w.reading(0, k)).isEqualTo(WindowFixture.phaseA(k / 2, k % 2));
        }
    }

    @Test
    void badInputIsRefusedWithClearMessages(@TempDir Path other) throws Exception {
        assertThatThrownBy(() -> WindowDataset.open(dir, BenchmarkLayout.Split.TRAIN, 0))
                .hasMessageContaining("sampling rate must be at least 1");
        assertThatThrownBy(() -> WindowDataset.open(other, BenchmarkLayout.Split.TRAIN, 1))
                .isInstanceOf(BenchmarkFormatException.class).hasMessageContaining("no videos/ folder");

        Path noTest = other.resolve("no-test");
        WindowFixture.write(noTest);
        Files.delete(noTest.resolve("test.json"));
        assertThatThrownBy(() -> WindowDataset.open(noTest, BenchmarkLayout.Split.TEST, 1))
                .isInstanceOf(BenchmarkFormatException.class).hasMessageContaining("test.json is missing");

        BenchmarkWriter.writeSplit(noTest, BenchmarkLayout.Split.TEST, Map.of("R1", new int[] {30}));
        assertThatThrownBy(() -> WindowDataset.open(noTest, BenchmarkLayout.Split.TEST, 1))
                .hasMessageContaining("frame 30 of recording 'R1'").hasMessageContaining("0..29");
        BenchmarkWriter.writeSplit(noTest, BenchmarkLayout.Split.TEST, Map.of("R9", new int[] {1}));
        assertThatThrownBy(() -> WindowDataset.open(noTest, BenchmarkLayout.Split.TEST, 1))
                .hasMessageContaining("lists recording 'R9'");
        BenchmarkWriter.writeSplit(noTest, BenchmarkLayout.Split.TEST, Map.of("R1", new int[0]));
        assertThatThrownBy(() -> WindowDataset.open(noTest, BenchmarkLayout.Split.TEST, 1))
                .hasMessageContaining("lists no frames");
    }
}
