package org.fmfstream.model.serve;

import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.SavedFmFormer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.fmfstream.model.tokenize.TokenizerSpec;

/** Test fixtures: a small saved FmFormer and reproducible token batches. */
final class SavedModels {

    static final FmFormerConfig XS_DENSE = FmFormerConfig.fmformerXs().withDenseHead(true);
    static final TokenizerSpec SPEC = TokenizerSpec.FMFORMER;

    private SavedModels() {}

    /** fmformer-xs with dense head, seeded, saved into {@code dir}. */
    static SavedFmFormer saveXs(Path dir, long seed) throws IOException {
        try (Model model = FmFormerModel.create(XS_DENSE, seed)) {
            return FmFormerModel.save(model, dir);
        }
    }

    /** Token buffers for {@code batch} windows: pixels in [0, 1], currents around 10 kA. */
    static TokenBuffers tokens(int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TokenBuffers buffers = TokenBuffers.forWindows(SPEC, batch);
        for (float[] video : new float[][] {buffers.standard(), buffers.dilated()}) {
            for (int j = 0; j < video.length; j++) {
                video[j] = (float) random.nextDouble();
            }
        }
        float[] current = buffers.current();
        for (int j = 0; j < current.length; j++) {
            current[j] = (float) (10 + random.nextGaussian());
        }
        return buffers;
    }

    /** Windows {@code from}..{@code from + count - 1} of {@code tokens}, copied into buffers of their own. */
    static TokenBuffers slice(TokenBuffers tokens, int from, int count) {
        return new TokenBuffers(SPEC,
                java.util.Arrays.copyOfRange(tokens.standard(), from * SPEC.standardLength(), (from + count) * SPEC.standardLength()),
                java.util.Arrays.copyOfRange(tokens.dilated(), from * SPEC.dilatedLength(), (from + count) * SPEC.dilatedLength()),
                java.util.Arrays.copyOfRange(tokens.current(), from * SPEC.currentLength(), (from + count) * SPEC.currentLength()));
    }

    /** Softmax of (l0, l1), class 1, in double precision. */
    static float softmax1(float l0, float l1) {
        return (float) (1.0 / (1.0 + Math.exp((double) l0 - l1)));
    }
}
