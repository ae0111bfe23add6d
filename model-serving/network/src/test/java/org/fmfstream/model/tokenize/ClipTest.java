package org.fmfstream.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClipTest {

    private static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;

    private static byte[][] frames(int count, int bytes) {
        return new byte[count][bytes];
    }

    @Test
    void rejectsWrongNumberOfFrames() {
        assertThatThrownBy(() -> Clip.of(SPEC, frames(9, 12288), new long[9], new long[9]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a clip needs exactly 10 frames, got 9");
    }

    @Test
    void rejectsWrongFrameSize() {
        byte[][] frames = frames(10, 12288);
        frames[4] = new byte[32 * 32 * 3];
        assertThatThrownBy(() -> Clip.of(SPEC, frames, new long[10], new long[10]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frame 4 has 3072 bytes, expected 12288 (64x64 RGB8)");
    }

    @Test
    void rejectsNullFrame() {
        byte[][] frames = frames(10, 12288);
        frames[9] = null;
        assertThatThrownBy(() -> Clip.of(SPEC, frames, new long[10], new long[10]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frame 9 of the clip is null");
    }

    @Test
    void rejectsMetadataOfAnotherLength() {
        assertThatThrownBy(() -> Clip.of(SPEC, frames(10, 12288), new long[10], new long[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 frames, 10 sequence numbers, 8 event times");
    }

    @Test
    void keepsFramesAndMetadataInOrder() {
        Clip clip = Windows.clip((t, y, x, c) -> t);
        assertThat(clip.isMissing()).isFalse();
        assertThat(clip.frameCount()).isEqualTo(10);
        assertThat(clip.frame(7)[0]).isEqualTo((byte) 7);
        assertThat(clip.frameSeq(0)).isEqualTo(1000);
        assertThat(clip.frameSeq(9)).isEqualTo(1009);
        assertThat(clip.eventTimeMicros(9) - clip.eventTimeMicros(0)).isEqualTo(360_000L);
    }

    @Test
    void missingClipHasNoFrames() {
        Clip clip = Clip.missing(SPEC);
        assertThat(clip.isMissing()).isTrue();
        assertThat(clip.frameCount()).isZero();
        assertThat(clip.flippedHorizontally()).isSameAs(clip);
    }

    @Test
    void flipMirrorsColumnsAndKeepsChannelOrder() {
        Windows.Pixels pixels = (t, y, x, c) -> (t * 3 + y + 2 * x + 100 * c) & 0xFF;
        Clip clip = Windows.clip(pixels);
        Clip flipped = clip.flippedHorizontally();
        for (int t : new int[] {0, 9}) {
            for (int y : new int[] {0, 17, 63}) {
                for (int x : new int[] {0, 5, 63}) {
                    for (int c = 0; c < 3; c++) {
                        int at = (y * 64 + x) * 3 + c;
                        assertThat(flipped.frame(t)[at] & 0xFF)
                                .as("t=%d y=%d x=%d c=%d", t, y, x, c)
                                .isEqualTo(pixels.value(t, y, 63 - x, c));
                    }
                }
            }
        }
        // Pixel (y=0, x=0) of frame 0 now holds what was at x=63: channels 126, 226, 326 mod 256 = 70.
        assertThat(flipped.frame(0)[0] & 0xFF).isEqualTo(126);
        assertThat(flipped.frame(0)[1] & 0xFF).isEqualTo(226);
        assertThat(flipped.frame(0)[2] & 0xFF).isEqualTo(70);
        assertThat(flipped.frameSeq(3)).isEqualTo(clip.frameSeq(3));
        // The original is untouched and flipping twice gives it back.
        assertThat(clip.frame(0)[0] & 0xFF).isZero();
        Clip twice = flipped.flippedHorizontally();
        for (int t = 0; t < 10; t++) {
            assertThat(twice.frame(t)).isEqualTo(clip.frame(t));
        }
    }
}
