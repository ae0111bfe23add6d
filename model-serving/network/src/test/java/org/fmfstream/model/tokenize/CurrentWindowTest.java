package org.fmfstream.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CurrentWindowTest {

    private static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;

    @Test
    void rejectsNaNNamingTheReading() {
        float[] b = new float[5];
        b[3] = Float.NaN;
        assertThatThrownBy(() -> CurrentWindow.of(SPEC, new float[5], b, new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("current reading 3 of phase 1 is not finite: NaN");
    }

    @Test
    void rejectsInfinity() {
        float[] c = {1f, Float.NEGATIVE_INFINITY};
        assertThatThrownBy(() -> CurrentWindow.of(SPEC, new float[2], new float[2], c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("current reading 1 of phase 2 is not finite: -Infinity");
    }

    @Test
    void rejectsPhasesOfDifferentLengths() {
        assertThatThrownBy(() -> CurrentWindow.of(SPEC, new float[4], new float[4], new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("all phases need the same number of readings: phase 0 has 4, phase 2 has 3");
    }

    @Test
    void rejectsWrongPhaseCount() {
        assertThatThrownBy(() -> CurrentWindow.of(SPEC, new float[4], new float[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a current window needs 3 phases, got 2");
    }

    @Test
    void keepsTheNewest240Readings() {
        CurrentWindow window = Windows.ramp(250, 0f);
        assertThat(window.count()).isEqualTo(240);
        // Readings 10..249 are kept: phase p of reading k is 10k + p.
        assertThat(window.reading(0, 0)).isEqualTo(100f);
        assertThat(window.reading(2, 239)).isEqualTo(2492f);
        assertThat(window.isStretched()).isFalse();
        assertThat(window.isMissing()).isFalse();
    }

    @Test
    void aNaNBeforeTheKeptReadingsIsDroppedNotRejected() {
        float[] a = new float[241];
        a[0] = Float.NaN;
        CurrentWindow window = CurrentWindow.of(SPEC, a, new float[241], new float[241]);
        assertThat(window.count()).isEqualTo(240);
    }

    @Test
    void flagsFollowTheCount() {
        assertThat(CurrentWindow.missing(SPEC).isMissing()).isTrue();
        assertThat(CurrentWindow.missing(SPEC).isStretched()).isFalse();
        assertThat(Windows.ramp(0, 0f).isMissing()).isTrue();
        assertThat(Windows.ramp(1, 0f).isStretched()).isTrue();
        assertThat(Windows.ramp(239, 0f).isStretched()).isTrue();
        assertThat(Windows.ramp(240, 0f).isStretched()).isFalse();
    }

    @Test
    void copiesTheCallersArrays() {
        float[] a = {7000f};
        CurrentWindow window = CurrentWindow.of(SPEC, a, new float[] {8000f}, new float[] {9000f});
        a[0] = -1f;
        assertThat(window.reading(0, 0)).isEqualTo(7000f);
    }
}
