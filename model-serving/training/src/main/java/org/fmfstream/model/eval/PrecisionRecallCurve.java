package org.fmfstream.model.eval;

import java.util.List;

/**
 * Precision and recall at every distinct score used as the threshold (predicted abnormal when
 * probability &gt;= threshold), from the highest score down, plus the average precision.
 *
 * <p>The first point is the conventional anchor (recall 0, precision 1, threshold +infinity): it
 * lets a plot start at the top-left corner and adds nothing to the average precision. When the set
 * has no abnormal samples recall is undefined everywhere: the curve has no points and the average
 * precision is NaN.
 *
 * <p>Average precision is the step sum {@code AP = sum_k (R_k - R_(k-1)) * P_k} over the distinct
 * thresholds, {@code R_0 = 0}: precision at each threshold weighted by the recall it adds. It is not
 * interpolated, so it does not flatter a curve with a late precision spike.
 */
public record PrecisionRecallCurve(List<Point> points, double averagePrecision) {

    /** One operating point; {@code threshold} is {@code +infinity} for the anchor. */
    public record Point(double threshold, double recall, double precision) {}

    public PrecisionRecallCurve {
        points = List.copyOf(points);
    }

    /** True when the set had no abnormal sample, so there is nothing to draw. */
    public boolean isEmpty() {
        return points.isEmpty();
    }
}
