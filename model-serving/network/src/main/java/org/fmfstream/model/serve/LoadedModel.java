package org.fmfstream.model.serve;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A model that takes FmFormer's input and gives FmFormer's output, whatever format it was loaded
 * from (a saved DJL FmFormer or a TorchScript file).
 *
 * <p>Input NDList (standard [B, 320, 384], dilated [B, 80, 384], current [B, 240, 3], float32);
 * output NDList (video logits [B, 2], current logits [B, 2], mask logits [B, 2, 64, 64]). Every
 * result is attached to {@code batchManager}, so closing it frees the pass. Not thread-safe.
 */
public interface LoadedModel extends AutoCloseable {

    ModelIdentity identity();

    /** Which heads the model has; a TorchScript file is taken to have both. */
    default ModelHeads heads() {
        return ModelHeads.BOTH;
    }

    /** The device inputs must live on. */
    Device device();

    /** Runs one inference pass (no training behaviour, e.g. batch norm uses running statistics). */
    NDList forward(NDManager batchManager, NDList inputs);

    /**
     * The manager the model's own arrays live in; a batch manager is a sub-manager of it, and a
     * leak shows as arrays left behind here.
     */
    NDManager modelManager();

    @Override
    void close();
}
