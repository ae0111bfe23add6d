/**
 * Training and evaluation windows from a benchmark-layout directory.
 *
 * <p>{@link org.fmfstream.model.data.WindowDataset} opens one split (train.json or test.json) and forms the
 * reference's samples: frame i of a listed recording, clip i-9s..i (clamped at 0), the current readings of
 * the 120 timestamp seconds ending with frame i's second (up to 240 at 2 Hz; the tokenizer stretches fewer),
 * label = any abnormal pixel of frame i's mask, mask target = that mask; per-sample metadata
 * ({@link org.fmfstream.model.data.WindowSample}: recording, frame, label, simulator mist level or NaN).
 * Memory: about 16 KiB per frame a window touches (12 KiB pixels + 4 KiB mask), read once at open.
 * {@link org.fmfstream.model.data.WindowBatcher} tokenizes B windows into reused contiguous buffers and
 * creates the NDArrays in the caller's per-batch manager; {@link org.fmfstream.model.data.EpochPlan} gives
 * each epoch's seeded order, optional class-balanced draws and the horizontal flips (clip and mask
 * together).
 */
package org.fmfstream.model.data;
