package org.fmfstream.model.train;

import com.google.gson.JsonObject;

/**
 * One validation pass: class metrics of the fused logits (abnormal = positive) and the pixel IoU of
 * the abnormal class over all validation pixels (NaN without a dense head, or when neither the
 * prediction nor the truth has an abnormal pixel). The full metric suite lives in the evaluation
 * package; these are the few a training log needs.
 */
public record ValidationMetrics(int samples, double loss, double accuracy, double precision, double recall,
                                double f1, double anomalyIoU) {

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("samples", samples);
        o.addProperty("loss", loss);
        o.addProperty("accuracy", accuracy);
        o.addProperty("precision", precision);
        o.addProperty("recall", recall);
        o.addProperty("f1", f1);
        // JSON has no NaN; an absent IoU is written as null.
        if (Double.isNaN(anomalyIoU)) {
            o.add("anomalyIoU", com.google.gson.JsonNull.INSTANCE);
        } else {
            o.addProperty("anomalyIoU", anomalyIoU);
        }
        return o;
    }

    static ValidationMetrics fromJson(JsonObject o) {
        return new ValidationMetrics(o.get("samples").getAsInt(), number(o, "loss"), number(o, "accuracy"),
                number(o, "precision"), number(o, "recall"), number(o, "f1"), number(o, "anomalyIoU"));
    }

    static double number(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsDouble() : Double.NaN;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "val n=%d loss %.4f acc %.4f P %.4f R %.4f F1 %.4f IoU(abnormal) %.4f",
                samples, loss, accuracy, precision, recall, f1, anomalyIoU);
    }
}
