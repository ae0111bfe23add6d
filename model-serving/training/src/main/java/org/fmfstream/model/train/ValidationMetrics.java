package org.fmfstream.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One validation pass: class metrics of the fused logits (abnormal = positive) and the pixel IoU of
 * the abnormal class over all validation pixels (NaN without a dense head, or when neither the
 * prediction nor the truth has an abnormal pixel). The full metric suite lives in the evaluation
 * package; these are the few a training log needs.
 */
public record ValidationMetrics(int samples, double loss, double accuracy, double precision, double recall,
                                double f1, double anomalyIoU) {

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("samples", samples);
        putNumber(o, "loss", loss);
        putNumber(o, "accuracy", accuracy);
        putNumber(o, "precision", precision);
        putNumber(o, "recall", recall);
        putNumber(o, "f1", f1);
        putNumber(o, "anomalyIoU", anomalyIoU);
        return o;
    }

    static ValidationMetrics fromJson(JsonNode o) {
        return new ValidationMetrics(o.required("samples").intValue(), number(o, "loss"), number(o, "accuracy"),
                number(o, "precision"), number(o, "recall"), number(o, "f1"), number(o, "anomalyIoU"));
    }

    /** JSON has no NaN: an undefined metric (e.g. IoU without an abnormal pixel) is written as null. */
    static void putNumber(ObjectNode o, String key, double value) {
        if (Double.isFinite(value)) {
            o.put(key, value);
        } else {
            o.putNull(key);
        }
    }

    static double number(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v == null || v.isNull() ? Double.NaN : v.doubleValue();
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "val n=%d loss %.4f acc %.4f P %.4f R %.4f F1 %.4f IoU(abnormal) %.4f",
                samples, loss, accuracy, precision, recall, f1, anomalyIoU);
    }
}
