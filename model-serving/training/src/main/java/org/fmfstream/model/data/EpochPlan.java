package org.fmfstream.model.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The batches of one training epoch: which samples, in which order, which of them mirrored.
 *
 * <p>The plan depends only on (seed, epoch) and the dataset's labels, never on how many epochs ran
 * before in this process, so a run resumed at epoch N sees exactly the batches an uninterrupted run
 * sees. Sampling is uniform without replacement (a seeded shuffle, then the first
 * {@code maxSamples}); with {@code balanced}, each draw first picks the class with probability 1/2
 * and then a sample of that class with replacement, so both classes are seen equally often however
 * rare burn-through is. Each sample is mirrored left-right with probability 1/2 when
 * {@code flip} is on.
 */
public final class EpochPlan {
    private final List<int[]> batches;
    private final List<boolean[]> flips;

    private EpochPlan(List<int[]> batches, List<boolean[]> flips) {
        this.batches = batches;
        this.flips = flips;
    }

    /**
     * @param labels     class label per sample (true = abnormal)
     * @param maxSamples samples this epoch, at most the dataset size unless balanced; 0 = all
     */
    public static EpochPlan of(boolean[] labels, long seed, int epoch, int batchSize, int maxSamples,
                               boolean balanced, boolean flip) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("no samples to plan an epoch over");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (maxSamples < 0) {
            throw new IllegalArgumentException("max samples must be 0 (all) or positive, got " + maxSamples);
        }
        SplittableRandom random = new SplittableRandom(mix(seed, epoch));
        int n = maxSamples == 0 ? labels.length : Math.min(maxSamples, balanced ? Integer.MAX_VALUE : labels.length);
        int[] order = balanced ? balancedDraws(labels, n, random) : shuffled(labels.length, n, random);
        List<int[]> batches = new ArrayList<>();
        List<boolean[]> flips = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int[] batch = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
            boolean[] f = new boolean[batch.length];
            for (int k = 0; k < f.length; k++) {
                f[k] = flip && random.nextBoolean();
            }
            batches.add(batch);
            flips.add(f);
        }
        return new EpochPlan(List.copyOf(batches), List.copyOf(flips));
    }

    /** Number of optimiser steps in an epoch of {@code samples} samples. */
    public static int stepsPerEpoch(int samples, int batchSize) {
        return (samples + batchSize - 1) / batchSize;
    }

    public int batchCount() {
        return batches.size();
    }

    public int[] batch(int i) {
        return batches.get(i).clone();
    }

    public boolean[] flips(int i) {
        return flips.get(i).clone();
    }

    private static int[] shuffled(int size, int take, SplittableRandom random) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        // Fisher-Yates over the first `take` positions is enough for a uniform subset in random order.
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, take);
    }

    private static int[] balancedDraws(boolean[] labels, int take, SplittableRandom random) {
        int abnormal = 0;
        for (boolean l : labels) {
            abnormal += l ? 1 : 0;
        }
        int[] pos = new int[abnormal];
        int[] neg = new int[labels.length - abnormal];
        for (int i = 0, p = 0, q = 0; i < labels.length; i++) {
            if (labels[i]) {
                pos[p++] = i;
            } else {
                neg[q++] = i;
            }
        }
        int[] out = new int[take];
        for (int k = 0; k < take; k++) {
            boolean wantAbnormal = neg.length == 0 || (pos.length > 0 && random.nextBoolean());
            int[] pool = wantAbnormal ? pos : neg;
            out[k] = pool[random.nextInt(pool.length)];
        }
        return out;
    }

    /** A well-spread seed per (run seed, epoch) so neighbouring epochs do not share streams. */
    private static long mix(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
