package org.fmfstream.model.eval;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The results of one evaluation: named result sets, each a model variant ("cross-modal",
 * "video-only", "current-only") on a subset of the test split ("all", "heavy mist", ...), with its
 * window-level metrics and, when the variant has a dense head, its pixel-level metrics.
 *
 * <p>{@link #writeTo} writes three files into a directory: {@value #MARKDOWN} (a metric table a
 * person reads, rows = variant/subset), {@value #JSON} (the same numbers for a program) and
 * {@value #PLOT} (the precision-recall curves of every result set). Undefined values (a zero
 * denominator) are "n/a" in Markdown and {@code null} in JSON.
 */
public final class EvaluationReport {

    /** JSON has no NaN: an undefined metric is written as null. */
    private static final class FiniteOrNull extends StdSerializer<Double> {
        FiniteOrNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator g, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                g.writeNumber(value);
            } else {
                g.writeNull();
            }
        }
    }

    private static final ObjectWriter JSON_WRITER = JsonMapper.builder()
            .addModule(new SimpleModule().addSerializer(Double.class, new FiniteOrNull()))
            .build().writerWithDefaultPrettyPrinter();

    public static final String MARKDOWN = "evaluation.md";
    public static final String JSON = "evaluation.json";
    public static final String PLOT = "precision-recall.png";

    /** The subset name of a result set over the whole test split. */
    public static final String ALL = "all";

    /** One row of the report. {@code segmentation} is null for a variant without a dense head. */
    public record ResultSet(String variant, String subset, ClassificationMetrics classification,
            SegmentationMetrics segmentation) {
        public ResultSet {
            Objects.requireNonNull(variant, "variant");
            Objects.requireNonNull(subset, "subset");
            Objects.requireNonNull(classification, "classification");
            if (variant.isBlank() || subset.isBlank()) {
                throw new IllegalArgumentException("variant and subset names must not be blank");
            }
        }

        /** "variant" for the whole split, "variant / subset" otherwise (the legend's name). */
        public String name() {
            return subset.equals(ALL) ? variant : variant + " / " + subset;
        }
    }

    /** The files {@link #writeTo} wrote. */
    public record Written(Path markdown, Path json, Path precisionRecallPlot) {}

    private final String title;
    private final List<ResultSet> results = new ArrayList<>();

    public EvaluationReport(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /** Adds a result set over the whole split. */
    public EvaluationReport add(String variant, ClassificationMetrics classification, SegmentationMetrics segmentation) {
        return add(variant, ALL, classification, segmentation);
    }

    /**
     * Adds a result set. The segmentation accumulator is copied, so adding more masks to it later
     * does not change the report.
     *
     * @param segmentation null when the variant predicts no masks
     * @throws IllegalArgumentException when the report already has this variant and subset
     */
    public EvaluationReport add(String variant, String subset, ClassificationMetrics classification,
            SegmentationMetrics segmentation) {
        ResultSet r = new ResultSet(variant, subset, classification, segmentation == null ? null : segmentation.copy());
        for (ResultSet existing : results) {
            if (existing.variant().equals(variant) && existing.subset().equals(subset)) {
                throw new IllegalArgumentException("the report already has " + r.name());
            }
        }
        results.add(r);
        return this;
    }

    public String title() {
        return title;
    }

    public List<ResultSet> results() {
        return List.copyOf(results);
    }

    /** The Markdown text of {@value #MARKDOWN}. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("| variant | subset | accuracy | precision | recall | F1 | FDR | MDR | AUROC | AP"
                + " | pixel acc | mIoU | anomaly IoU | samples |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ResultSet r : results) {
            ClassificationMetrics c = r.classification();
            SegmentationMetrics s = r.segmentation();
            md.append("| ").append(cell(r.variant())).append(" | ").append(cell(r.subset()));
            for (double v : new double[] {c.accuracy(), c.precision(), c.recall(), c.f1(), c.falseDetectionRate(),
                    c.missedDetectionRate(), c.auroc(), c.averagePrecision()}) {
                md.append(" | ").append(number(v));
            }
            for (double v : s == null ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                    : new double[] {s.pixelAccuracy(), s.meanIoU(), s.anomalyIoU()}) {
                md.append(" | ").append(number(v));
            }
            md.append(" | ").append(c.samples()).append(" |\n");
        }
        md.append("\nWindow counts (positive = abnormal; predicted abnormal when probability >= threshold):\n\n");
        md.append("| variant | subset | threshold | TP | FP | TN | FN | masks |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (ResultSet r : results) {
            ClassificationMetrics c = r.classification();
            md.append("| ").append(cell(r.variant())).append(" | ").append(cell(r.subset()))
                    .append(" | ").append(c.threshold())
                    .append(" | ").append(c.truePositives()).append(" | ").append(c.falsePositives())
                    .append(" | ").append(c.trueNegatives()).append(" | ").append(c.falseNegatives())
                    .append(" | ").append(r.segmentation() == null ? "n/a" : Long.toString(r.segmentation().masks()))
                    .append(" |\n");
        }
        md.append("\nFDR = FP / (FP + TN), MDR = FN / (FN + TP); AP = average precision; pixel metrics"
                + " threshold the abnormal probability at 0.5 and sum intersections and unions over every mask"
                + " before dividing. n/a = undefined (a zero denominator, or no masks).\n\n");
        md.append("![precision-recall curves](").append(PLOT).append(")\n");
        return md.toString();
    }

    /** The JSON text of {@value #JSON}. */
    public String json() {
        List<Object> rows = new ArrayList<>();
        for (ResultSet r : results) {
            ClassificationMetrics c = r.classification();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variant", r.variant());
            row.put("subset", r.subset());
            row.put("samples", c.samples());
            row.put("threshold", c.threshold());
            row.put("truePositives", c.truePositives());
            row.put("falsePositives", c.falsePositives());
            row.put("trueNegatives", c.trueNegatives());
            row.put("falseNegatives", c.falseNegatives());
            row.put("accuracy", c.accuracy());
            row.put("precision", c.precision());
            row.put("recall", c.recall());
            row.put("f1", c.f1());
            row.put("falseDetectionRate", c.falseDetectionRate());
            row.put("missedDetectionRate", c.missedDetectionRate());
            row.put("auroc", c.auroc());
            row.put("averagePrecision", c.averagePrecision());
            SegmentationMetrics s = r.segmentation();
            if (s == null) {
                row.put("segmentation", null);
            } else {
                Map<String, Object> seg = new LinkedHashMap<>();
                seg.put("masks", s.masks());
                seg.put("pixels", s.pixels());
                seg.put("truePositives", s.truePositives());
                seg.put("falsePositives", s.falsePositives());
                seg.put("trueNegatives", s.trueNegatives());
                seg.put("falseNegatives", s.falseNegatives());
                seg.put("pixelAccuracy", s.pixelAccuracy());
                seg.put("normalIoU", s.normalIoU());
                seg.put("anomalyIoU", s.anomalyIoU());
                seg.put("meanIoU", s.meanIoU());
                row.put("segmentation", seg);
            }
            rows.add(row);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        root.put("results", rows);
        try {
            return JSON_WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);   // maps of numbers and text always write
        }
    }

    /**
     * Writes {@value #MARKDOWN}, {@value #JSON} and {@value #PLOT} into {@code directory}, creating
     * it if needed and replacing earlier files of the same names.
     *
     * @throws IllegalStateException when the report has no result set
     */
    public Written writeTo(Path directory) {
        if (results.isEmpty()) {
            throw new IllegalStateException("the report has no result sets to write");
        }
        Written w = new Written(directory.resolve(MARKDOWN), directory.resolve(JSON), directory.resolve(PLOT));
        try {
            Files.createDirectories(directory);
            Files.writeString(w.markdown(), markdown(), StandardCharsets.UTF_8);
            Files.writeString(w.json(), json(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluation report into " + directory, e);
        }
        List<PrecisionRecallPlot.Series> series = new ArrayList<>();
        for (ResultSet r : results) {
            series.add(new PrecisionRecallPlot.Series(r.name(), r.classification().precisionRecallCurve()));
        }
        new PrecisionRecallPlot().write(title, series, w.precisionRecallPlot());
        return w;
    }

    /** Four decimals, or "n/a" for an undefined value. */
    static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** A table cell: a '|' in a name would end the cell early. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
