package org.fmfstream.jobs.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fmfstream.operators.align.AlignerConfig;

/**
 * The windows ClipAligner must emit for a furnace's complete input, worked out independently from
 * the alignment rule as operators/README.md (ClipAligner) documents it, for input that has no
 * late records and no silence longer than a hop (so idleness never starts): for every hop T from
 * the hop of the first record to the hop of the last, (1) input in (T - hop, T], (2) the scored
 * frame, the latest in (T - interval - tolerance, T], (3) every clip slot S - k * interval, k = 9..1,
 * finds a frame strictly older than S within the tolerance, or without a scored frame no frame in
 * (T - clipLookback, T] (video missing, S = T), (4) readings in (S - currentSpan, S], (5) video and
 * current both missing: skipped; one missing: emitted (emit.degraded). Clock offsets are 0.
 *
 * @param windowEndMicros the emitted windows' windowEndMicros (S), ascending
 * @param hopMicros       the hop T of each, same order
 * @param videoMissing    whether each window has no clip (no mask is written for it)
 */
record ExpectedWindows(List<Long> windowEndMicros, List<Long> hopMicros, List<Boolean> videoMissing) {

    static Map<String, ExpectedWindows> of(Map<String, List<Long>> frameTimes, Map<String, List<Long>> readingTimes,
                                           AlignerConfig c) {
        Map<String, ExpectedWindows> out = new TreeMap<>();
        for (String furnace : frameTimes.keySet()) {
            out.put(furnace, of(frameTimes.get(furnace), readingTimes.getOrDefault(furnace, List.of()), c));
        }
        return out;
    }

    static ExpectedWindows of(List<Long> framesIn, List<Long> readingsIn, AlignerConfig c) {
        List<Long> frames = new ArrayList<>(framesIn);
        List<Long> readings = new ArrayList<>(readingsIn);
        Collections.sort(frames);
        Collections.sort(readings);
        long hop = c.hopMicros();
        long interval = c.frameIntervalMicros();
        long tolerance = c.frameToleranceMicros();
        long first = Math.min(frames.isEmpty() ? Long.MAX_VALUE : frames.get(0),
                readings.isEmpty() ? Long.MAX_VALUE : readings.get(0));
        long last = Math.max(frames.isEmpty() ? Long.MIN_VALUE : frames.get(frames.size() - 1),
                readings.isEmpty() ? Long.MIN_VALUE : readings.get(readings.size() - 1));
        List<Long> ends = new ArrayList<>();
        List<Long> hops = new ArrayList<>();
        List<Boolean> missing = new ArrayList<>();
        for (long t = hopAtOrAfter(first, hop); t <= hopAtOrAfter(last, hop); t += hop) {
            if (count(frames, t - hop, t) == 0 && count(readings, t - hop, t) == 0) {
                throw new IllegalStateException("silent hop " + t + ": idleness is not modelled here");
            }
            Long scored = latestIn(frames, t - interval - tolerance, t);
            long s;
            if (scored != null) {
                s = scored;
                boolean gap = false;
                for (int k = 1; k < c.clipFrames() && !gap; k++) {
                    long expected = s - k * c.slotSpacingMicros();
                    gap = count(frames, expected - tolerance - 1, Math.min(expected + tolerance, s - 1)) == 0;
                }
                if (gap) {
                    continue;
                }
            } else if (count(frames, t - c.clipLookbackMicros(), t) > 0) {
                continue;
            } else {
                s = t;
            }
            boolean currentMissing = count(readings, s - c.currentSpanMicros(), s) < c.minCurrentReadings();
            if (scored == null && currentMissing) {
                continue;
            }
            ends.add(s);
            hops.add(t);
            missing.add(scored == null);
        }
        return new ExpectedWindows(ends, hops, missing);
    }

    int size() {
        return windowEndMicros.size();
    }

    static long hopAtOrAfter(long micros, long hop) {
        return -Math.floorDiv(-micros, hop) * hop;
    }

    /** Values in (fromExcl, toIncl] of a sorted list. */
    private static int count(List<Long> sorted, long fromExcl, long toIncl) {
        if (toIncl <= fromExcl) {
            return 0;
        }
        return upper(sorted, toIncl) - upper(sorted, fromExcl);
    }

    private static Long latestIn(List<Long> sorted, long fromExcl, long toIncl) {
        int i = upper(sorted, toIncl) - 1;
        return i >= 0 && sorted.get(i) > fromExcl ? sorted.get(i) : null;
    }

    /** Number of values <= x. */
    private static int upper(List<Long> sorted, long x) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid) <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
