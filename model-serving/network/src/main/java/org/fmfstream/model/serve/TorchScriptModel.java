package org.fmfstream.model.serve;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.Map;
import org.fmfstream.model.fmformer.FmFormer;

/**
 * A TorchScript module exported from PyTorch with FmFormer's contract: {@code forward(standard,
 * dilated, current)} returning the tuple (video logits [B, 2], current logits [B, 2], mask logits
 * [B, 2, 64, 64]). DJL's PyTorch engine loads it with its parameters frozen; every pass checks
 * the output contract so a module exported with another one fails with a clear message.
 */
final class TorchScriptModel implements LoadedModel {

    private static final String ENGINE = "PyTorch";

    private final Model model;
    private final ModelIdentity identity;
    private final Device device;

    private TorchScriptModel(Model model, ModelIdentity identity, Device device) {
        this.model = model;
        this.identity = identity;
        this.device = device;
    }

    static TorchScriptModel load(ModelSource.TorchScriptFile source, Device device)
            throws IOException, MalformedModelException {
        String sha256 = FileDigest.verified(source.file(), source.expectedSha256());
        ModelIdentity identity = new ModelIdentity(source.name(), source.version(), sha256);
        Model model = Model.newInstance(source.name(), device, ENGINE);
        try {
            // mapLocation: tensors saved on another device (e.g. a GPU export) come onto ours.
            model.load(source.file(), null, Map.of("mapLocation", "true"));
            return new TorchScriptModel(model, identity, device);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public ModelIdentity identity() {
        return identity;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public NDList forward(NDManager batchManager, NDList inputs) {
        NDList out = model.getBlock().forward(new ParameterStore(batchManager, false), inputs, false);
        requireContract(out, inputs.get(FmFormer.STANDARD).getShape().get(0));
        return out;
    }

    @Override
    public NDManager modelManager() {
        return model.getNDManager();
    }

    @Override
    public void close() {
        model.close();
    }

    private void requireContract(NDList out, long batch) {
        Shape[] expected = {new Shape(batch, 2), new Shape(batch, 2), new Shape(batch, 2, 64, 64)};
        if (out.size() != expected.length) {
            throw new IllegalStateException("TorchScript model " + identity.name() + " returned " + out.size()
                    + " outputs; the FmFormer contract is (video logits, current logits, mask logits)");
        }
        for (int i = 0; i < expected.length; i++) {
            NDArray array = out.get(i);
            if (!array.getShape().equals(expected[i])) {
                throw new IllegalStateException("TorchScript model " + identity.name() + " output " + i
                        + " has shape " + array.getShape() + "; the FmFormer contract needs " + expected[i]);
            }
        }
    }
}
