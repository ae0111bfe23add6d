package org.fmfstream.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * B windows as model input and targets, all arrays in the manager the batch was built in (close that
 * manager to free them).
 *
 * @param inputs   NDList(standard [B,320,384], dilated [B,80,384], current [B,240,3]), float32
 * @param labels   class labels [B], int32, 1 = abnormal
 * @param masks    mask targets [B,64,64], int32 0/1, (row, col) like the dense head's map
 * @param samples  who each row is
 * @param flipped  which rows were mirrored left-right
 */
public record WindowBatch(NDList inputs, NDArray labels, NDArray masks, List<WindowSample> samples,
                          boolean[] flipped) {

    public int size() {
        return samples.size();
    }
}
