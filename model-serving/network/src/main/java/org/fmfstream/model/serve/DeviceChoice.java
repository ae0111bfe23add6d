package org.fmfstream.model.serve;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Where the predictor runs: {@code auto} takes the first GPU when the engine sees one and the CPU
 * otherwise; {@code cpu} and {@code gpu} force it. An explicit {@code gpu} on a host without one
 * is an error rather than a silent fall-back, so a misconfigured GPU deployment fails at start.
 *
 * <p>DJL's PyTorch engine sees a GPU only with CUDA libtorch: no CUDA native jar exists for
 * PyTorch 2.7.1 on Maven Central, so on GPU hosts point {@code PYTORCH_LIBRARY_PATH} at a CUDA
 * libtorch and set {@code PYTORCH_FLAVOR=cu128} (or pre-fill {@code DJL_CACHE_DIR}).
 */
public enum DeviceChoice {
    AUTO,
    CPU,
    GPU;

    /** Parses {@code auto|cpu|gpu}, any case. */
    public static DeviceChoice parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown device '" + text + "'; expected auto, cpu or gpu", e);
        }
    }

    /** The device this choice means for the PyTorch engine on this host. */
    public Device resolve() {
        return resolve(Engine.getEngine(EngineThreads.ENGINE));
    }

    /** The device this choice means on {@code engine}'s host. */
    public Device resolve(Engine engine) {
        int gpus = engine.getGpuCount();
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException("device 'gpu' was requested but the " + engine.getEngineName()
                            + " engine (" + engine.getVersion() + ") sees no GPU on this host; use 'auto' or 'cpu', "
                            + "or give DJL a CUDA libtorch (PYTORCH_LIBRARY_PATH with PYTORCH_FLAVOR=cu128)");
                }
                yield Device.gpu();
            }
        };
    }
}
