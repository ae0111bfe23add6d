package org.fmfstream.model.fmformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FmFormerConfigTest {

    @Test
    void paperPresetHasTheReleasedSizesAndTokenGeometry() {
        FmFormerConfig s = FmFormerConfig.fmformerS();
        assertThat(List.of(s.dim(), s.depth(), s.heads(), s.headDim(), s.mlpDim(), s.classes()))
                .containsExactly(96, 6, 3, 32, 384, 2);
        assertThat(s.decoderChannels()).containsExactly(128, 64, 32);
        assertThat(s.modality()).isEqualTo(Modality.CROSS_MODAL);
        assertThat(s.denseHead()).isFalse();
        assertThat(s.patchDim()).isEqualTo(384);
        assertThat(s.standardTokens()).isEqualTo(320);
        assertThat(s.dilatedTokens()).isEqualTo(80);
        assertThat(s.videoSequenceLength()).isEqualTo(401);
        assertThat(s.currentSequenceLength()).isEqualTo(241);
        assertThat(s.timeSlots()).isEqualTo(5);
        assertThat(s.gridSide()).isEqualTo(8);
        assertThat(s.dilatedGridSide()).isEqualTo(4);
    }

    @Test
    void smallPresetKeepsTheGeometryWithASmallerNetwork() {
        FmFormerConfig xs = FmFormerConfig.fmformerXs();
        assertThat(List.of(xs.dim(), xs.depth(), xs.heads(), xs.headDim(), xs.mlpDim()))
                .containsExactly(64, 4, 2, 32, 256);
        assertThat(xs.standardTokens()).isEqualTo(320);
        assertThat(xs.currentSteps()).isEqualTo(240);
    }

    @Test
    void presetsAreFoundByName() {
        assertThat(FmFormerConfig.byName("fmformer-s")).isEqualTo(FmFormerConfig.fmformerS());
        assertThat(FmFormerConfig.byName(" FMFORMER-XS ")).isEqualTo(FmFormerConfig.fmformerXs());
        assertThatThrownBy(() -> FmFormerConfig.byName("fmformer-l"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fmformer-l")
                .hasMessageContaining("fmformer-s");
    }

    @Test
    void propertiesRoundTripEveryField() {
        FmFormerConfig config = FmFormerConfig.fmformerXs().withModality(Modality.VIDEO_ONLY).withDenseHead(true);
        Properties properties = config.toProperties();
        assertThat(FmFormerConfig.fromProperties(properties)).isEqualTo(config);

        properties.remove("heads");
        assertThatThrownBy(() -> FmFormerConfig.fromProperties(properties))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads");
    }

    @Test
    void importedConventionsRoundTripAndOlderFilesGetTheDefaults() {
        FmFormerConfig imported = FmFormerConfig.fmformerS().withDenseHead(true).withClassHeads(false)
                .withRawEpsilons(1e-5f / 65025f, 1e-11f).withSamplingRate(18);
        assertThat(FmFormerConfig.fromProperties(imported.toProperties())).isEqualTo(imported);

        // A model saved before these keys existed: class heads, PyTorch's epsilon, consecutive frames.
        Properties old = FmFormerConfig.fmformerXs().toProperties();
        for (String key : new String[] {"classHeads", "videoRawEpsilon", "currentRawEpsilon", "samplingRate"}) {
            old.remove(key);
        }
        FmFormerConfig read = FmFormerConfig.fromProperties(old);
        assertThat(read).isEqualTo(FmFormerConfig.fmformerXs());
        assertThat(read.classHeads()).isTrue();
        assertThat(read.videoRawEpsilon()).isEqualTo(1e-5f);
        assertThat(read.samplingRate()).isEqualTo(1);

        assertThatThrownBy(() -> FmFormerConfig.fmformerXs().withClassHeads(false))
                .hasMessageContaining("class heads, a dense head or both");
        assertThatThrownBy(() -> FmFormerConfig.fmformerXs().withSamplingRate(0))
                .hasMessageContaining("sampling rate");
    }

    @Test
    void variantsSwitchStreamsAndHead() {
        FmFormerConfig dense = FmFormerConfig.fmformerS().withDenseHead(true);
        assertThat(dense.denseHead()).isTrue();
        assertThat(dense.withModality(Modality.VIDEO_ONLY).denseHead()).isTrue();
        // A current-only network has no video tokens to decode a mask from.
        assertThat(dense.withModality(Modality.CURRENT_ONLY).denseHead()).isFalse();
        assertThatThrownBy(() -> FmFormerConfig.fmformerS().withModality(Modality.CURRENT_ONLY).withDenseHead(true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dense head");
    }

    @Test
    void inconsistentGeometryIsRejected() {
        FmFormerConfig s = FmFormerConfig.fmformerS();
        // Two decoder stages would stop at 32 pixels, not the 64-pixel mask.
        assertThatThrownBy(() -> new FmFormerConfig(s.name(), 96, 6, 3, 32, 384, 2, List.of(128, 64),
                        10, 64, 8, 2, 3, 240, 3, Modality.CROSS_MODAL, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frameSize");
        assertThatThrownBy(() -> new FmFormerConfig(s.name(), 96, 6, 3, 32, 384, 2, List.of(128, 64, 32),
                        9, 64, 8, 2, 3, 240, 3, Modality.CROSS_MODAL, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("framePatch");
    }

    @Test
    void modalitiesNameTheirStreams() {
        assertThat(Modality.CROSS_MODAL.isCrossModal()).isTrue();
        assertThat(Modality.VIDEO_ONLY.hasCurrent()).isFalse();
        assertThat(Modality.VIDEO_ONLY.isCrossModal()).isFalse();
        assertThat(Modality.CURRENT_ONLY.hasVideo()).isFalse();
    }
}
