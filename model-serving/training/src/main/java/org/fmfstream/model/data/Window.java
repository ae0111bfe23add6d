package org.fmfstream.model.data;

import org.fmfstream.model.tokenize.Clip;
import org.fmfstream.model.tokenize.CurrentWindow;
import org.fmfstream.model.tokenize.MaskTarget;

/** One sample ready for the tokenizer: its clip, its current window, its mask target and who it is. */
public record Window(WindowSample sample, Clip clip, CurrentWindow current, MaskTarget mask) {

    /** The same window mirrored left-right: clip and mask together, so the target stays aligned. */
    public Window flippedHorizontally() {
        return new Window(sample, clip.flippedHorizontally(), current, mask.flippedHorizontally());
    }
}
