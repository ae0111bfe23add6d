package org.fmfstream.operators.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.List;
import javax.imageio.ImageIO;
import org.fmfstream.model.serve.DecisionRule;
import org.fmfstream.operators.window.ScoredWindow;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.BoundingBox;
import org.fmfstream.schemas.Decision;
import org.fmfstream.schemas.Degradation;
import org.fmfstream.schemas.MaskEncoding;
import org.fmfstream.schemas.codec.RecordCodec;
import org.junit.jupiter.api.Test;

/** AnomalyEventEncoder and AnomalyMaskEncoder against hand-computed values. */
class EncodersTest {

    private static ScoredWindow scored(float p) {
        ScoredWindow w = new ScoredWindow();
        w.furnaceId = "furnace-7";
        w.windowStartMicros = 1_000_000;
        w.windowEndMicros = 1_360_000;
        w.frameSeqs = new long[] {10, 11, 12};
        w.anomalyProbability = p;
        w.videoLogits = new float[] {0.5f, 1.5f};
        w.currentLogits = new float[] {-0.25f, 0.75f};
        w.degradations = new Degradation[] {Degradation.CURRENT_STRETCHED};
        w.lastIngestMillis = 1_700_000_000_123L;
        w.decidedMillis = 1_700_000_000_234L;
        w.modelName = "fmformer-xs";
        w.modelVersion = "1.0";
        w.modelSha256 = "0f".repeat(32);
        return w;
    }

    private static void set(float[] mask, int x, int y, float p) {
        mask[y * 64 + x] = p;
    }

    @Test
    void eventCarriesTheWindowAndDecidesAtTheInclusiveThreshold() {
        ScoredWindow w = scored(0.7f);
        AnomalyEvent e = AnomalyEventEncoder.encode(w, new DecisionRule(0.7f, 0), 1_700_000_000_456L);
        assertThat(e.getFurnaceId()).isEqualTo("furnace-7");
        assertThat(e.getWindowStartMicros()).isEqualTo(1_000_000);
        assertThat(e.getWindowEndMicros()).isEqualTo(1_360_000);
        assertThat(e.getClipFrameSeqs()).containsExactly(10L, 11L, 12L);
        assertThat(e.getAnomalyProbability()).isEqualTo(0.7f);
        assertThat(e.getDecision()).isEqualTo(Decision.ANOMALY);
        assertThat(e.getThreshold()).isEqualTo(0.7f);
        assertThat(e.getVideoLogits()).containsExactly(0.5f, 1.5f);
        assertThat(e.getCurrentLogits()).containsExactly(-0.25f, 0.75f);
        assertThat(e.getDegradations()).containsExactly(Degradation.CURRENT_STRETCHED);
        assertThat(e.getModel().getName()).isEqualTo("fmformer-xs");
        assertThat(e.getModel().getVersion()).isEqualTo("1.0");
        assertThat(e.getModel().getSha256()).isEqualTo("0f".repeat(32));
        assertThat(e.getIngestTimeMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(e.getEmitTimeMillis()).isEqualTo(1_700_000_000_456L);
        assertThat(e.getDecidedTimeMillis()).isEqualTo(1_700_000_000_234L);
        ScoredWindow notFromTheAligner = scored(0.7f);
        notFromTheAligner.decidedMillis = 0;
        assertThat(AnomalyEventEncoder.encode(notFromTheAligner, new DecisionRule(0.7f, 0), 1L).getDecidedTimeMillis())
                .isNull();
        assertThat(e.getMinMaskPixels()).isZero();
        assertThat(e.getMaskPixels()).isZero();
        assertThat(AnomalyEventEncoder.encode(scored(0.69f), new DecisionRule(0.7, 0), 0).getDecision())
                .isEqualTo(Decision.NORMAL);
        // The contract's codec accepts it and reads it back equal.
        RecordCodec<AnomalyEvent> codec = RecordCodec.anomalyEvents();
        assertThat(codec.decode(codec.encode(e)).orElseThrow()).isEqualTo(e);
    }

    @Test
    void pngPayloadReadsBackAsRoundedGrayLevelsInRowMajorOrder() throws Exception {
        ScoredWindow w = scored(0.9f);
        set(w.maskProbabilities, 3, 1, 1f);
        set(w.maskProbabilities, 1, 3, 0.5f);     // 127.5 rounds to 128
        set(w.maskProbabilities, 63, 63, 0.2f);   // 51
        set(w.maskProbabilities, 0, 63, 1.5f);    // clamped to 255
        AnomalyMask m = AnomalyMaskEncoder.encode(w, 0.5);
        assertThat(m.getEncoding()).isEqualTo(MaskEncoding.PNG_PROBABILITY);
        assertThat(m.getWidth()).isEqualTo(64);
        assertThat(m.getHeight()).isEqualTo(64);
        assertThat(m.getFrameSeq()).isEqualTo(12);
        assertThat(m.getWindowEndMicros()).isEqualTo(1_360_000);
        assertThat(m.getFurnaceId()).isEqualTo("furnace-7");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes(m.getPayload())));
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(64);
        assertThat(image.getRaster().getNumBands()).isEqualTo(1);
        assertThat(image.getRaster().getSample(3, 1, 0)).isEqualTo(255);
        assertThat(image.getRaster().getSample(1, 3, 0)).isEqualTo(128);
        assertThat(image.getRaster().getSample(63, 63, 0)).isEqualTo(51);
        assertThat(image.getRaster().getSample(0, 63, 0)).isEqualTo(255);
        assertThat(image.getRaster().getSample(1, 1, 0)).isZero();
        assertThat(m.getAnomalyAreaFraction()).isEqualTo(3 / 4096f);
        RecordCodec<AnomalyMask> codec = RecordCodec.anomalyMasks();
        assertThat(codec.decode(codec.encode(m)).orElseThrow()).isEqualTo(m);
    }

    @Test
    void anLShapedRegionGetsItsBoxPixelCountAndPeak() {
        ScoredWindow w = scored(0.9f);
        // L: column x = 10, rows y = 20..24 (5 pixels), then the foot y = 24, x = 11..13 (3 pixels).
        for (int y = 20; y <= 24; y++) {
            set(w.maskProbabilities, 10, y, 0.6f);
        }
        for (int x = 11; x <= 13; x++) {
            set(w.maskProbabilities, x, 24, 0.8f);
        }
        set(w.maskProbabilities, 12, 24, 0.95f);
        // A diagonal neighbour is not 4-connected: its own region of 1 pixel.
        set(w.maskProbabilities, 14, 25, 0.7f);
        // Below the threshold: not anomalous, not part of any region.
        set(w.maskProbabilities, 11, 23, 0.49f);
        AnomalyMask m = AnomalyMaskEncoder.encode(w, 0.5);
        List<BoundingBox> regions = m.getRegions();
        assertThat(regions).hasSize(2);
        BoundingBox l = regions.get(0);
        assertThat(List.of(l.getX(), l.getY(), l.getWidth(), l.getHeight(), l.getAreaPixels()))
                .containsExactly(10, 20, 4, 5, 8);
        assertThat(l.getPeakProbability()).isEqualTo(0.95f);
        BoundingBox dot = regions.get(1);
        assertThat(List.of(dot.getX(), dot.getY(), dot.getWidth(), dot.getHeight(), dot.getAreaPixels()))
                .containsExactly(14, 25, 1, 1, 1);
        assertThat(m.getAnomalyAreaFraction()).isEqualTo(9 / 4096f);
    }

    @Test
    void regionsAreOrderedLargestFirstAndTiesInScanOrder() {
        float[] p = new float[8 * 4];
        // Row-major 8 wide, 4 high:
        // y0: A . B B . . . .
        // y1: . . . . . C C C
        // y2: D . . . . C . .
        // y3: . . E E . . . .
        p[0] = 1;                           // A: 1 px at (0, 0)
        p[2] = 1;
        p[3] = 1;                           // B: 2 px at (2..3, 0)
        p[8 + 5] = 1;
        p[8 + 6] = 1;
        p[8 + 7] = 1;
        p[16 + 5] = 1;                      // C: 4 px, box (5, 1) 3x2
        p[16] = 1;                          // D: 1 px at (0, 2)
        p[24 + 2] = 1;
        p[24 + 3] = 1;                      // E: 2 px at (2..3, 3)
        List<BoundingBox> r = AnomalyMaskEncoder.regions(p, 8, 4, 0.5);
        assertThat(r).extracting(BoundingBox::getAreaPixels).containsExactly(4, 2, 2, 1, 1);
        assertThat(r).extracting(BoundingBox::getX).containsExactly(5, 2, 2, 0, 0);
        assertThat(r).extracting(BoundingBox::getY).containsExactly(1, 0, 3, 0, 2);
        assertThat(r.get(0).getWidth()).isEqualTo(3);
        assertThat(r.get(0).getHeight()).isEqualTo(2);
    }

    @Test
    void bitmapEncodingAndRefusals() {
        ScoredWindow w = scored(0.9f);
        set(w.maskProbabilities, 5, 2, 0.5f);
        AnomalyMask m = AnomalyMaskEncoder.encode(w, 0.5, MaskEncoding.BITMAP);
        byte[] bits = bytes(m.getPayload());
        assertThat(bits).hasSize(4096);
        assertThat(bits[2 * 64 + 5]).isEqualTo((byte) 1);
        int ones = 0;
        for (byte b : bits) {
            ones += b;
        }
        assertThat(ones).isEqualTo(1);
        assertThat(AnomalyMaskEncoder.shouldEmit(w, new DecisionRule(0.9f, 0))).isTrue();
        assertThat(AnomalyMaskEncoder.shouldEmit(w, new DecisionRule(0.95, 0))).isFalse();
        ScoredWindow noVideo = scored(0.9f);
        noVideo.frameSeqs = new long[0];
        assertThat(AnomalyMaskEncoder.shouldEmit(noVideo, new DecisionRule(0.5, 0))).isFalse();
        assertThatThrownBy(() -> AnomalyMaskEncoder.encode(noVideo, 0.5)).hasMessageContaining("no video");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
