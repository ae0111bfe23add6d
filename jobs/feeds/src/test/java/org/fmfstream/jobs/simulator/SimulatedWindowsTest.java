package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fmfstream.model.data.Window;
import org.junit.jupiter.api.Test;

class SimulatedWindowsTest {
    private final SimulatedWindows windows = new SimulatedWindows(3, 5, 2);

    @Test
    void aChunkIsAPureFunctionOfItsIndex() {
        List<Window> a = windows.chunk(7);
        List<Window> b = new SimulatedWindows(3, 5, 2).chunk(7);
        assertThat(a).hasSize(15);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).sample()).isEqualTo(a.get(i).sample());
            for (int t = 0; t < a.get(i).clip().frameCount(); t++) {
                assertThat(b.get(i).clip().frame(t)).isEqualTo(a.get(i).clip().frame(t));
            }
        }
        assertThat(windows.chunk(8).get(0).sample()).isNotEqualTo(a.get(0).sample());
    }

    @Test
    void trainingValidationAndTestFurnacesNeverMeet() {
        Set<String> train = new HashSet<>();
        for (long c = 0; c < 4; c++) {
            windows.chunk(c).forEach(w -> train.add(w.sample().recording()));
        }
        Set<String> validation = new HashSet<>();
        windows.validation().forEach(w -> validation.add(w.sample().recording()));
        assertThat(train).hasSize(12);
        assertThat(validation).hasSize(2);
        assertThat(train).doesNotContainAnyElementsOf(validation);
        assertThat(train).allMatch(r -> r.startsWith("train-"));
        assertThat(validation).allMatch(r -> r.startsWith("validation-"));
        assertThat(SimulatedWindows.Family.TEST.seed(0)).isNotIn(SimulatedWindows.Family.VALIDATION.seed(999_999_999L),
                SimulatedWindows.Family.TRAIN.seed(999_999_999L));
        assertThatThrownBy(() -> SimulatedWindows.Family.TRAIN.seed(1_000_000_000L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowsAreBuiltAsTheJobBuildsThemAndLabelledByTheirMask() {
        int abnormal = 0;
        for (long k = 0; k < 12; k++) {
            for (Window w : windows.furnaceWindows(SimulatedWindows.Family.TEST, k)) {
                assertThat(w.clip().frameCount()).isEqualTo(10);
                assertThat(w.current().count()).isBetween(239, 240);
                assertThat(w.sample().abnormal()).isEqualTo(w.mask().isAbnormal());
                assertThat(w.sample().mist()).isBetween(0.0, 1.0);
                long[] times = new long[10];
                for (int t = 0; t < 10; t++) {
                    times[t] = w.clip().eventTimeMicros(t);
                }
                assertThat(times).isSorted();
                abnormal += w.sample().abnormal() ? 1 : 0;
            }
        }
        // Every furnace draws an episode share of 20 to 55%: some but not all windows are abnormal.
        assertThat(abnormal).isBetween(6, 54);
    }

    @Test
    void aSamplingRateSpacesTheClipsFramesAndKeepsTheScoredFrameAndItsCurrent() {
        SimulatedWindows strided = new SimulatedWindows(3, 5, 2, 0, 18);
        assertThat(strided.samplingRate()).isEqualTo(18);
        List<Window> consecutive = windows.furnaceWindows(SimulatedWindows.Family.TEST, 4);
        List<Window> spaced = strided.furnaceWindows(SimulatedWindows.Family.TEST, 4);
        assertThat(spaced).hasSameSizeAs(consecutive);
        for (int i = 0; i < spaced.size(); i++) {
            Window a = consecutive.get(i);
            Window b = spaced.get(i);
            // The same scored frame, label and current: only the older clip slots move.
            assertThat(b.sample()).isEqualTo(a.sample());
            assertThat(b.mask().isAbnormal()).isEqualTo(a.mask().isAbnormal());
            assertThat(b.current().count()).isEqualTo(a.current().count());
            long scored = b.clip().frameSeq(9);
            assertThat(scored).isEqualTo(a.clip().frameSeq(9));
            for (int t = 0; t < 10; t++) {
                assertThat(a.clip().frameSeq(t)).isEqualTo(scored - (9 - t));
                assertThat(b.clip().frameSeq(t)).isEqualTo(scored - 18L * (9 - t));
            }
        }
        assertThatThrownBy(() -> new SimulatedWindows(3, 5, 2, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sampling rate");
        assertThatThrownBy(() -> new SimulatedWindows(3, 5, 2, 0, 1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warm-up");
    }

    @Test
    void anOnsetShareMovesTrainingWindowsIntoEpisodesFirstSecondsAndLeavesValidationAlone() {
        SimulatedWindows atOnsets = new SimulatedWindows(3, 5, 2, 1.0, 1);
        int furnacesWithOnsets = 0;
        for (long k = 0; k < 12; k++) {
            FurnaceSimulation furnace = Simulation.of(SimulatedWindows.settings(SimulatedWindows.Family.TRAIN.seed(k)))
                    .furnaces().get(0);
            SimulatorConfig config = furnace.config();
            long first = (long) Math.ceil(SimulatorConfig.seconds(SimulatedWindows.WARM_UP) * config.fps());
            List<long[]> onsets = furnace.episodes().stream()
                    .map(e -> (long) Math.ceil((e.startMicros() - config.startEpochMicros()) * config.fps() / 1e6))
                    .filter(from -> from >= first && from < config.frameCount())
                    .map(from -> new long[] {from, from + 249}).toList();
            List<Window> moved = atOnsets.furnaceWindows(SimulatedWindows.Family.TRAIN, k);
            List<Window> even = windows.furnaceWindows(SimulatedWindows.Family.TRAIN, k);
            if (onsets.isEmpty()) {
                // Nothing to move to: the furnace's windows are the evenly drawn ones.
                assertThat(moved).extracting(Window::sample).isEqualTo(even.stream().map(Window::sample).toList());
                continue;
            }
            furnacesWithOnsets++;
            assertThat(moved).allSatisfy(w -> assertThat(onsets)
                    .anyMatch(r -> w.sample().frame() >= r[0] && w.sample().frame() <= r[1]));
        }
        assertThat(furnacesWithOnsets).isGreaterThan(2);
        // No share: exactly the windows of the constructor without one (runs started before it resume alike).
        assertThat(new SimulatedWindows(3, 5, 2, 0, 1).chunk(3)).extracting(Window::sample)
                .isEqualTo(windows.chunk(3).stream().map(Window::sample).toList());
        assertThat(atOnsets.validation()).extracting(Window::sample)
                .isEqualTo(windows.validation().stream().map(Window::sample).toList());
        assertThatThrownBy(() -> new SimulatedWindows(3, 5, 2, 1.5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyFurnaceDrawsItsOwnSettings() {
        SimulatorConfig a = SimulatedWindows.settings(SimulatedWindows.Family.TRAIN.seed(1));
        SimulatorConfig b = SimulatedWindows.settings(SimulatedWindows.Family.TRAIN.seed(2));
        assertThat(a.mistSeverity()).isNotEqualTo(b.mistSeverity());
        assertThat(a.lookVariety()).isNotEqualTo(b.lookVariety());
        assertThat(a.currentLeadSeconds()).isNotEqualTo(b.currentLeadSeconds());
        assertThat(a.maxClockSkewMillis()).isNotEqualTo(b.maxClockSkewMillis());
        assertThat(a.furnaces()).isEqualTo(1);
    }
}
