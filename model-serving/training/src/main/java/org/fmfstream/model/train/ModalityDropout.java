package org.fmfstream.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fmfstream.model.data.Window;
import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.fmfstream.model.tokenize.MaskTarget;

/**
 * Takes one stream away from some training windows, the way the stream loses one live: a window
 * without video is a missing clip (zero tokens) and, since nothing shows the spot, an empty mask
 * target; a window without current is a missing current window (zero tokens). The class label
 * stays, so the remaining stream's head must decide alone. Deterministic per (seed, epoch, step).
 */
final class ModalityDropout {
    private ModalityDropout() {}

    static List<Window> apply(List<Window> windows, float share, long seed, int epoch, int step) {
        if (share <= 0) {
            return windows;
        }
        SplittableRandom r = new SplittableRandom((seed * 0x9E3779B97F4A7C15L) ^ ((long) epoch << 32) ^ step ^ 0xD20F);
        List<Window> out = new ArrayList<>(windows.size());
        for (Window w : windows) {
            double u = r.nextDouble();
            if (u < share / 2) {
                var spec = w.clip().spec();
                out.add(new Window(w.sample(), Clip.missing(spec), w.current(),
                        MaskTarget.of(spec, new byte[spec.maskPixels()])));
            } else if (u < share) {
                out.add(new Window(w.sample(), w.clip(), CurrentWindow.missing(w.current().spec()), w.mask()));
            } else {
                out.add(w);
            }
        }
        return out;
    }
}
