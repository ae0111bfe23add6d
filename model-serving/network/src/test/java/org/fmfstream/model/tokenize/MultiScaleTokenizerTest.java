package org.fmfstream.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MultiScaleTokenizerTest {

    private static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;
    private static final MultiScaleTokenizer TOKENIZER = new MultiScaleTokenizer(SPEC);

    /** Mixed formula for hand-computed spot checks. */
    private static final Windows.Pixels MIXED = (t, y, x, c) -> (40 * t + 3 * y + 2 * x + c) % 256;

    private static void assertSameFloats(float[] actual, float[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        int at = Arrays.mismatch(actual, expected);
        assertThat(at).as("%s: first differing index %d (actual %s, expected %s)", what, at,
                at < 0 ? "-" : actual[at], at < 0 ? "-" : expected[at]).isEqualTo(-1);
    }

    private static float token(float[] tokens, int token, int value) {
        return tokens[token * 384 + value];
    }

    @Test
    void standardTokensFollowTheEinopsLayoutForEveryCoordinate() {
        // One clip per coordinate: if every value carries the right t, y, x and c, the whole
        // (token, value) -> (t, y, x, c) mapping is right.
        Windows.Pixels[] coordinates = {
            (t, y, x, c) -> t, (t, y, x, c) -> y, (t, y, x, c) -> x, (t, y, x, c) -> 100 * c};
        String[] names = {"frame", "row", "column", "channel"};
        for (int i = 0; i < coordinates.length; i++) {
            TokenizedWindow window = TOKENIZER.tokenize(Windows.clip(coordinates[i]), Windows.ramp(240, 0f));
            assertSameFloats(window.standard(), Windows.einopsStandard(coordinates[i]), "standard " + names[i]);
            assertSameFloats(window.dilated(), Windows.einopsDilated(coordinates[i]), "dilated " + names[i]);
        }
    }

    @Test
    void standardTokensAtHandComputedPositions() {
        float[] standard = TOKENIZER.tokenize(Windows.clip(MIXED), Windows.ramp(240, 0f)).standard();
        // value index v = ((p1 * 8 + p2) * 2 + pf) * 3 + c; token n = (f * 8 + h) * 8 + w;
        // pixel (t = 2f + pf, y = 8h + p1, x = 8w + p2, c); byte = (40t + 3y + 2x + c) mod 256.
        assertThat(token(standard, 0, 0)).isEqualTo(0f);
        assertThat(token(standard, 0, 1)).isEqualTo(1 / 255f);                 // c = 1
        assertThat(token(standard, 0, 5)).isEqualTo(42 / 255f);                // t = 1, c = 2
        assertThat(token(standard, 0, 6)).isEqualTo(2 / 255f);                 // x = 1
        assertThat(token(standard, 0, 48)).isEqualTo(3 / 255f);                // y = 1
        assertThat(token(standard, 7, 6)).isEqualTo(114 / 255f);               // x = 57
        assertThat(token(standard, 9, 48)).isEqualTo(43 / 255f);               // y = 9, x = 8
        assertThat(token(standard, 64, 0)).isEqualTo(80 / 255f);               // t = 2
        assertThat(token(standard, 319, 383)).isEqualTo(165 / 255f);           // t9 y63 x63 c2: 677 - 512
        assertThat(standard).hasSize(320 * 384);
    }

    @Test
    void dilatedTokensAtHandComputedPositions() {
        float[] dilated = TOKENIZER.tokenize(Windows.clip(MIXED), Windows.ramp(240, 0f)).dilated();
        // As above with a 4x4 grid, then pixel (2y', 2x') of the full frame.
        assertThat(token(dilated, 0, 0)).isEqualTo(0f);
        assertThat(token(dilated, 0, 6)).isEqualTo(4 / 255f);                  // x' = 1 -> x = 2
        assertThat(token(dilated, 0, 48)).isEqualTo(6 / 255f);                 // y' = 1 -> y = 2
        assertThat(token(dilated, 3, 6)).isEqualTo(100 / 255f);                // x' = 25 -> x = 50
        assertThat(token(dilated, 5, 48)).isEqualTo(86 / 255f);                // y = 18, x = 16
        assertThat(token(dilated, 16, 3)).isEqualTo(120 / 255f);               // t = 3
        assertThat(token(dilated, 79, 383)).isEqualTo(160 / 255f);             // t9 y62 x62 c2: 672 - 512
        assertThat(dilated).hasSize(80 * 384);
    }

    @Test
    void dilatedTokensSeeOnlyEvenRowsAndColumns() {
        for (Windows.Pixels coordinate : new Windows.Pixels[] {(t, y, x, c) -> y, (t, y, x, c) -> x}) {
            float[] dilated = TOKENIZER.tokenize(Windows.clip(coordinate), Windows.ramp(240, 0f)).dilated();
            boolean[] seen = new boolean[64];
            for (float value : dilated) {
                seen[Math.round(value * 255f)] = true;
            }
            for (int i = 0; i < 64; i++) {
                assertThat(seen[i]).as("coordinate %d", i).isEqualTo(i % 2 == 0);
            }
        }
    }

    @Test
    void fullCurrentWindowIsOneTokenPerReadingInKiloamperes() {
        TokenizedWindow window = TOKENIZER.tokenize(Windows.clip(MIXED), Windows.ramp(240, 6000f));
        float[] current = window.current();
        assertThat(current).hasSize(720);
        // Reading k, phase p = 6000 + 10k + p amperes.
        assertThat(current[0]).isEqualTo(6000f / 1000f);
        assertThat(current[1]).isEqualTo(6001f / 1000f);
        assertThat(current[2]).isEqualTo(6002f / 1000f);
        assertThat(current[3]).isEqualTo(6010f / 1000f);
        assertThat(current[717]).isEqualTo(8390f / 1000f);
        assertThat(current[719]).isEqualTo(8392f / 1000f);
        assertThat(window.flags()).isEqualTo(new WindowFlags(false, false, false, 240));
        assertThat(window.flags().degraded()).isFalse();
    }

    @Test
    void shortCurrentWindowIsStretchedAndFlagged() {
        TokenizedWindow window = TOKENIZER.tokenize(Windows.clip(MIXED), Windows.ramp(3, 6000f));
        float[] current = window.current();
        // linspace(0, 2, 240).astype(int): steps 0..119 -> reading 0, 120..238 -> 1, 239 -> 2.
        assertThat(current[119 * 3]).isEqualTo(6000f / 1000f);
        assertThat(current[120 * 3]).isEqualTo(6010f / 1000f);
        assertThat(current[238 * 3 + 1]).isEqualTo(6011f / 1000f);
        assertThat(current[239 * 3 + 2]).isEqualTo(6022f / 1000f);
        assertThat(window.currentStretched()).isTrue();
        assertThat(window.currentMissing()).isFalse();
        assertThat(window.currentReadings()).isEqualTo(3);
        assertThat(window.flags().degraded()).isTrue();
    }

    @Test
    void stretchedTokensUseTheLinspaceReadingForEveryCount() {
        for (int n : new int[] {1, 2, 3, 120, 239, 240}) {
            float[] current = TOKENIZER.tokenize(Windows.clip(MIXED), Windows.ramp(n, 0f)).current();
            for (int k = 0; k < 240; k++) {
                int reading = (int) Math.floor(k * (n - 1) / 239.0);
                for (int p = 0; p < 3; p++) {
                    assertThat(current[k * 3 + p]).as("n=%d k=%d p=%d", n, k, p)
                            .isEqualTo((10f * reading + p) / 1000f);
                }
            }
        }
    }

    @Test
    void missingCurrentGivesZerosAndTheFlag() {
        float[] current = new float[720];
        Arrays.fill(current, 9f);
        WindowFlags flags = TOKENIZER.tokenizeInto(Windows.clip(MIXED), CurrentWindow.missing(SPEC),
                new TokenBuffers(SPEC, new float[SPEC.standardLength()], new float[SPEC.dilatedLength()], current), 0);
        assertThat(current).containsOnly(0f);
        assertThat(flags).isEqualTo(new WindowFlags(false, true, false, 0));
    }

    @Test
    void missingClipGivesZerosAndTheFlag() {
        float[] standard = new float[SPEC.standardLength()];
        float[] dilated = new float[SPEC.dilatedLength()];
        Arrays.fill(standard, 9f);
        Arrays.fill(dilated, 9f);
        float[] current = new float[720];
        WindowFlags flags = TOKENIZER.tokenizeInto(Clip.missing(SPEC), Windows.ramp(240, 6000f),
                new TokenBuffers(SPEC, standard, dilated, current), 0);
        assertThat(standard).containsOnly(0f);
        assertThat(dilated).containsOnly(0f);
        assertThat(current[719]).isEqualTo(8392f / 1000f);
        assertThat(flags).isEqualTo(new WindowFlags(true, false, false, 240));
    }

    @Test
    void batchOffsetsWriteOnlyTheirSlice() {
        int batch = 3;
        float[] standard = new float[batch * SPEC.standardLength()];
        float[] dilated = new float[batch * SPEC.dilatedLength()];
        float[] current = new float[batch * SPEC.currentLength()];
        Arrays.fill(standard, Float.NaN);
        Arrays.fill(dilated, Float.NaN);
        Arrays.fill(current, Float.NaN);
        Clip clip = Windows.clip(MIXED);
        CurrentWindow currents = Windows.ramp(100, 7000f);

        TOKENIZER.tokenizeInto(clip, currents, new TokenBuffers(SPEC, standard, dilated, current), 1);

        TokenizedWindow alone = TOKENIZER.tokenize(clip, currents);
        assertSlices(standard, SPEC.standardLength(), alone.standard());
        assertSlices(dilated, SPEC.dilatedLength(), alone.dilated());
        assertSlices(current, SPEC.currentLength(), alone.current());
    }

    private static void assertSlices(float[] buffer, int length, float[] middle) {
        assertThat(Arrays.copyOfRange(buffer, 0, length)).containsOnly(Float.NaN);
        assertSameFloats(Arrays.copyOfRange(buffer, length, 2 * length), middle, "slot 1");
        assertThat(Arrays.copyOfRange(buffer, 2 * length, 3 * length)).containsOnly(Float.NaN);
    }

    @Test
    void flippedClipTokenizesAsTheMirroredPixels() {
        Windows.Pixels mirrored = (t, y, x, c) -> MIXED.value(t, y, 63 - x, c);
        TokenizedWindow window = TOKENIZER.tokenize(Windows.clip(MIXED).flippedHorizontally(),
                Windows.ramp(240, 0f));
        assertSameFloats(window.standard(), Windows.einopsStandard(mirrored), "flipped standard");
        assertSameFloats(window.dilated(), Windows.einopsDilated(mirrored), "flipped dilated");
    }

    @Test
    void rejectsInputsBuiltForAnotherSpec() {
        TokenizerSpec small = new TokenizerSpec(10, 32, 8, 2, 2, 240, 3, 255f, 1000f);
        Clip smallClip = Clip.of(small, new byte[10][32 * 32 * 3], new long[10], new long[10]);
        assertThatThrownBy(() -> TOKENIZER.tokenize(smallClip, Windows.ramp(240, 0f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clip was built for TokenizerSpec[frames=10, frameSize=32");
        TokenizerSpec amperes = new TokenizerSpec(10, 64, 8, 2, 2, 240, 3, 255f, 1f);
        CurrentWindow raw = CurrentWindow.of(amperes, new float[1], new float[1], new float[1]);
        assertThatThrownBy(() -> TOKENIZER.tokenize(Windows.clip(MIXED), raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("current window was built for")
                .hasMessageContaining("currentDivisor=1.0");
    }

    @Test
    void rejectsBuffersThatCannotHoldTheWindowAndWritesNothing() {
        float[] standard = new float[SPEC.standardLength()];
        float[] dilated = new float[SPEC.dilatedLength()];
        Arrays.fill(standard, Float.NaN);
        Arrays.fill(dilated, Float.NaN);
        Clip clip = Windows.clip(MIXED);
        CurrentWindow currents = Windows.ramp(240, 0f);

        assertThatThrownBy(() -> new TokenBuffers(SPEC, standard, dilated, new float[719]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("719 floats");
        TokenBuffers one = new TokenBuffers(SPEC, standard, dilated, new float[720]);
        assertThatThrownBy(() -> TOKENIZER.tokenizeInto(clip, currents, one, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window 1 is outside the buffers' 0..0");
        assertThatThrownBy(() -> TOKENIZER.tokenizeInto(clip, currents, one, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window -1 is outside the buffers' 0..0");
        assertThat(dilated).containsOnly(Float.NaN);
        assertThat(standard).containsOnly(Float.NaN);
    }
}
