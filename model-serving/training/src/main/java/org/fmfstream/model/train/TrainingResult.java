package org.fmfstream.model.train;

import org.fmfstream.model.fmformer.SavedFmFormer;

/** A finished run: the final model (with its parameter file's SHA-256) and the run's state. */
public record TrainingResult(SavedFmFormer finalModel, TrainingState state) {}
