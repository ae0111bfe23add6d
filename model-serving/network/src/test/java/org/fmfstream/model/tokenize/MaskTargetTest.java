package org.fmfstream.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MaskTargetTest {

    private static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;

    private static byte[] maskWith(int row, int col) {
        byte[] mask = new byte[64 * 64];
        mask[row * 64 + col] = 1;
        return mask;
    }

    @Test
    void rejectsWrongSize() {
        assertThatThrownBy(() -> MaskTarget.of(SPEC, new byte[63 * 64]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask has 4032 bytes, expected 4096 (64x64)");
    }

    @Test
    void rejectsValuesOtherThanZeroAndOne() {
        byte[] mask = new byte[4096];
        mask[2 * 64 + 7] = (byte) 255;
        assertThatThrownBy(() -> MaskTarget.of(SPEC, mask))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask value at row 2, column 7 is 255, expected 0 or 1");
    }

    @Test
    void labelsAreRowMajorRowThenColumn() {
        MaskTarget target = MaskTarget.of(SPEC, maskWith(3, 5));
        int[] labels = target.labels();
        assertThat(labels).hasSize(4096);
        assertThat(labels[3 * 64 + 5]).isEqualTo(1);
        assertThat(labels[5 * 64 + 3]).isZero();
        assertThat(Arrays.stream(labels).sum()).isEqualTo(1);
        assertThat(target.label(3, 5)).isEqualTo(1);
        assertThat(target.abnormalPixels()).isEqualTo(1);
        assertThat(target.isAbnormal()).isTrue();
    }

    @Test
    void normalMaskIsNotAbnormal() {
        MaskTarget target = MaskTarget.of(SPEC, new byte[4096]);
        assertThat(target.isAbnormal()).isFalse();
        assertThat(target.abnormalPixels()).isZero();
    }

    @Test
    void floatLabelsWriteOnlyTheirSlice() {
        float[] batch = new float[3 * 4096];
        Arrays.fill(batch, -1f);
        MaskTarget.of(SPEC, maskWith(63, 63)).writeLabels(batch, 4096);
        assertThat(batch[4095]).isEqualTo(-1f);
        assertThat(batch[4096]).isEqualTo(0f);
        assertThat(batch[2 * 4096 - 1]).isEqualTo(1f);
        assertThat(batch[2 * 4096]).isEqualTo(-1f);
        assertThatThrownBy(() -> MaskTarget.of(SPEC, new byte[4096]).writeLabels(batch, 2 * 4096 + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label buffer of 12288 cannot hold 4096 labels at offset 8193");
    }

    @Test
    void flipMovesTheLabelToTheMirroredColumn() {
        MaskTarget flipped = MaskTarget.of(SPEC, maskWith(3, 5)).flippedHorizontally();
        assertThat(flipped.label(3, 58)).isEqualTo(1);
        assertThat(flipped.label(3, 5)).isZero();
        assertThat(flipped.abnormalPixels()).isEqualTo(1);
    }

    @Test
    void clipAndMaskFlipTogether() {
        // A hot spot at (row 3, col 5) in every frame, labelled in the mask.
        Clip clip = Windows.clip((t, y, x, c) -> y == 3 && x == 5 ? 250 : 10);
        MaskTarget mask = MaskTarget.of(SPEC, maskWith(3, 5));
        Clip flippedClip = clip.flippedHorizontally();
        MaskTarget flippedMask = mask.flippedHorizontally();
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                boolean hot = (flippedClip.frame(9)[(y * 64 + x) * 3] & 0xFF) == 250;
                assertThat(flippedMask.label(y, x) == 1).as("y=%d x=%d", y, x).isEqualTo(hot);
            }
        }
        assertThat(flippedMask.label(3, 58)).isEqualTo(1);
    }
}
