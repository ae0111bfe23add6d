package org.fmfstream.model.tokenize;

/**
 * What a tokenized window lacked. Any flag set means the model scored a degraded window, which the
 * streaming job reports alongside the score.
 *
 * @param videoMissing     no clip: video tokens are all zeros
 * @param currentMissing   no current reading: current tokens are all zeros
 * @param currentStretched fewer readings than steps: some readings fill several steps
 * @param currentReadings  real readings the current tokens were built from
 */
public record WindowFlags(boolean videoMissing, boolean currentMissing, boolean currentStretched,
                          int currentReadings) {

    /** True when any modality was missing or incomplete. */
    public boolean degraded() {
        return videoMissing || currentMissing || currentStretched;
    }
}
