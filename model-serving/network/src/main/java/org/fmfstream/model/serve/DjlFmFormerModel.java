package org.fmfstream.model.serve;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import org.fmfstream.model.fmformer.FmFormerModel;

/**
 * A saved FmFormer run as DJL blocks.
 *
 * <p>{@code FmFormerModel.load} puts the parameters on the engine's default device. The blocks
 * read them through a {@link ParameterStore} kept for the model's lifetime: when the requested
 * device differs, the store copies each parameter there once, on first use, and reuses the copy;
 * on the same device it hands out the parameters themselves.
 */
final class DjlFmFormerModel implements LoadedModel {

    private final Model model;
    private final ModelIdentity identity;
    private final ModelHeads heads;
    private final Device device;
    private final NDManager mirrorManager;
    private final ParameterStore parameters;

    /** Takes ownership of {@code model}. */
    DjlFmFormerModel(Model model, ModelIdentity identity, Device device) {
        this.heads = ModelHeads.of(FmFormerModel.configOf(model)); // refuses anything that is not an FmFormer
        this.model = model;
        this.identity = identity;
        this.device = device;
        this.mirrorManager = model.getNDManager().newSubManager(device);
        this.parameters = new ParameterStore(mirrorManager, false);
    }

    static DjlFmFormerModel load(ModelSource.SavedFmFormerDirectory source, Device device)
            throws IOException, MalformedModelException {
        // Hash first and hand the hash to the loader, which checks it again right before reading:
        // the identity then names exactly the parameters that were loaded.
        String sha256 = FileDigest.verified(source.directory().resolve(FmFormerModel.PARAMS_FILE),
                source.expectedSha256());
        Model model = FmFormerModel.load(source.directory(), sha256);
        try {
            String name = FmFormerModel.configOf(model).name();
            return new DjlFmFormerModel(model, new ModelIdentity(name, source.version(), sha256), device);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public ModelIdentity identity() {
        return identity;
    }

    @Override
    public ModelHeads heads() {
        return heads;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public NDList forward(NDManager batchManager, NDList inputs) {
        return model.getBlock().forward(parameters, inputs, false);
    }

    @Override
    public NDManager modelManager() {
        return model.getNDManager();
    }

    @Override
    public void close() {
        mirrorManager.close();
        model.close();
    }
}
