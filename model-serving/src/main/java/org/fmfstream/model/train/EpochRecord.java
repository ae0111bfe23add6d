package org.fmfstream.model.train;

import com.google.gson.JsonObject;

/**
 * What one finished epoch measured.
 *
 * @param epoch            1-based
 * @param steps            optimiser steps done after this epoch (whole run)
 * @param trainLoss        mean loss of the epoch's batches (training mode, augmented)
 * @param trainAccuracy    fused-logit accuracy on those batches
 * @param samplesPerSecond training windows per second of wall time (loading, forward, backward, update)
 * @param validation       the pass over the test split after the epoch
 */
public record EpochRecord(int epoch, long steps, double trainLoss, double trainAccuracy, double samplesPerSecond,
                          ValidationMetrics validation) {

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("epoch", epoch);
        o.addProperty("steps", steps);
        o.addProperty("trainLoss", trainLoss);
        o.addProperty("trainAccuracy", trainAccuracy);
        o.addProperty("samplesPerSecond", samplesPerSecond);
        o.add("validation", validation.toJson());
        return o;
    }

    static EpochRecord fromJson(JsonObject o) {
        return new EpochRecord(o.get("epoch").getAsInt(), o.get("steps").getAsLong(),
                ValidationMetrics.number(o, "trainLoss"), ValidationMetrics.number(o, "trainAccuracy"),
                ValidationMetrics.number(o, "samplesPerSecond"),
                ValidationMetrics.fromJson(o.getAsJsonObject("validation")));
    }
}
