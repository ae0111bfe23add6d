package org.fmfstream.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("epoch", epoch);
        o.put("steps", steps);
        ValidationMetrics.putNumber(o, "trainLoss", trainLoss);
        ValidationMetrics.putNumber(o, "trainAccuracy", trainAccuracy);
        ValidationMetrics.putNumber(o, "samplesPerSecond", samplesPerSecond);
        o.set("validation", validation.toJson());
        return o;
    }

    static EpochRecord fromJson(JsonNode o) {
        return new EpochRecord(o.required("epoch").intValue(), o.required("steps").longValue(),
                ValidationMetrics.number(o, "trainLoss"), ValidationMetrics.number(o, "trainAccuracy"),
                ValidationMetrics.number(o, "samplesPerSecond"),
                ValidationMetrics.fromJson(o.required("validation")));
    }
}
