package org.fmfstream.model.dataset;

/** One three-phase current reading of a benchmark recording, in amperes, at its event time. */
public record CurrentReading(long eventTimeMicros, float phaseA, float phaseB, float phaseC) {}
