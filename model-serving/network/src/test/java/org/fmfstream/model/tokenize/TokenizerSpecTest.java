package org.fmfstream.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenizerSpecTest {

    @Test
    void releasedSpecHasTheReferenceSizes() {
        TokenizerSpec spec = TokenizerSpec.FMFORMER;
        assertThat(spec.frameBytes()).isEqualTo(64 * 64 * 3);
        assertThat(spec.timePatches()).isEqualTo(5);
        assertThat(spec.standardGrid()).isEqualTo(8);
        assertThat(spec.dilatedGrid()).isEqualTo(4);
        assertThat(spec.tokenValues()).isEqualTo(8 * 8 * 2 * 3);
        assertThat(spec.standardTokens()).isEqualTo(320);
        assertThat(spec.dilatedTokens()).isEqualTo(80);
        assertThat(spec.standardLength()).isEqualTo(320 * 384);
        assertThat(spec.dilatedLength()).isEqualTo(80 * 384);
        assertThat(spec.currentLength()).isEqualTo(720);
        assertThat(spec.maskPixels()).isEqualTo(4096);
        assertThat(spec.pixelDivisor()).isEqualTo(255f);
        assertThat(spec.currentDivisor()).isEqualTo(1000f);
    }

    @Test
    void rejectsShapesThatCannotBePatched() {
        assertThatThrownBy(() -> new TokenizerSpec(9, 64, 8, 2, 2, 240, 3, 255f, 1000f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frames (9) must be a multiple of framePatch (2)");
        assertThatThrownBy(() -> new TokenizerSpec(10, 60, 8, 2, 2, 240, 3, 255f, 1000f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frameSize (60) must be a multiple of patchSize * dilation (16)");
        assertThatThrownBy(() -> new TokenizerSpec(10, 64, 8, 2, 2, 0, 3, 255f, 1000f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("currentSteps must be > 0, got 0");
    }

    @Test
    void rejectsUnusableDivisors() {
        assertThatThrownBy(() -> new TokenizerSpec(10, 64, 8, 2, 2, 240, 3, Float.NaN, 1000f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pixelDivisor must be finite and > 0, got NaN");
        assertThatThrownBy(() -> new TokenizerSpec(10, 64, 8, 2, 2, 240, 3, 255f, 0f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("currentDivisor must be finite and > 0, got 0.0");
    }
}
