package org.fmfstream.model.serve;

import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.SavedFmFormer;
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
    static float[][] tokens(int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] buffers = {
            new float[batch * SPEC.standardLength()],
            new float[batch * SPEC.dilatedLength()],
            new float[batch * SPEC.currentLength()],
        };
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < buffers[i].length; j++) {
                buffers[i][j] = (float) random.nextDouble();
            }
        }
        for (int j = 0; j < buffers[2].length; j++) {
            buffers[2][j] = (float) (10 + random.nextGaussian());
        }
        return buffers;
    }

    /** Softmax of (l0, l1), class 1, in double precision. */
    static float softmax1(float l0, float l1) {
        return (float) (1.0 / (1.0 + Math.exp((double) l0 - l1)));
    }
}
