package org.fmfstream.operators.infer;

import ai.djl.MalformedModelException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.fmfstream.model.serve.DeviceChoice;
import org.fmfstream.model.serve.FmFormerPredictor;
import org.fmfstream.model.serve.LoadedModel;
import org.fmfstream.model.serve.ModelSource;
import org.fmfstream.model.serve.PredictorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JVM-wide, reference-counted registry of loaded models: every subtask of a TaskManager that asks
 * for the same model (source and device) gets the same {@link LoadedModel}, loaded once; the last
 * {@link Lease#close()} closes it. Each subtask then opens its own {@link FmFormerPredictor} over
 * it with {@link #openPredictor}, because a predictor (like DJL's) is not thread-safe while the
 * model's parameters are only read.
 *
 * <p>"JVM-wide" means per class loader: with the job jar in Flink's user-code class loader the
 * sharing is per job and TaskManager, with the jar in {@code lib/} per TaskManager.
 *
 * <p>Opening predictors is serialised per model: a predictor's warm-up is the first pass over the
 * model on a thread, and the first pass fills the model's parameter store (a device copy on first
 * use), which must not race. A freshly loaded model is primed by one batch-1 pass for the same
 * reason, so even predictors with no warm-up only ever read the store.
 */
public final class SharedModels {

    private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);

    /** What identifies one shared model: the source (path, pinned hash, version) and the device choice. */
    public record Key(ModelSource source, DeviceChoice device) {
        public Key {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(device, "device");
        }
    }

    private static final class Entry {
        final LoadedModel model;
        int references;

        Entry(LoadedModel model) {
            this.model = model;
        }
    }

    private static final Map<Key, Entry> MODELS = new HashMap<>();

    private SharedModels() {}

    /**
     * The model for {@code key}, loaded now if no lease on it is open; the lease must be closed
     * exactly once (a second close is ignored).
     */
    public static Lease acquire(Key key) throws IOException, MalformedModelException {
        synchronized (MODELS) {
            Entry entry = MODELS.get(key);
            if (entry == null) {
                long start = System.nanoTime();
                LoadedModel model = key.source().load(key.device().resolve());
                try {
                    prime(model, key.device());
                } catch (RuntimeException e) {
                    model.close();
                    throw e;
                }
                entry = new Entry(model);
                MODELS.put(key, entry);
                LOG.info("loaded shared model {} {} (sha256 {}) on {} in {} ms", model.identity().name(),
                        model.identity().version(), model.identity().sha256(), model.device(),
                        String.format("%.1f", (System.nanoTime() - start) / 1e6));
            }
            entry.references++;
            return new Lease(key, entry.model);
        }
    }

    /**
     * Opens a predictor over the leased model (warm-up included), serialised with other openings
     * of the same model. The predictor does not own the model: close it before the lease.
     */
    public static FmFormerPredictor openPredictor(Lease lease, PredictorConfig config) {
        synchronized (lease.model()) {
            return FmFormerPredictor.sharing(lease.model(), config);
        }
    }

    /** Open leases on {@code key}'s model (0 when it is not loaded). */
    public static int references(Key key) {
        synchronized (MODELS) {
            Entry entry = MODELS.get(key);
            return entry == null ? 0 : entry.references;
        }
    }

    /** How many models are loaded. */
    public static int loaded() {
        synchronized (MODELS) {
            return MODELS.size();
        }
    }

    private static void release(Key key, LoadedModel model) {
        synchronized (MODELS) {
            Entry entry = MODELS.get(key);
            if (entry == null || entry.model != model) {
                return;
            }
            if (--entry.references == 0) {
                MODELS.remove(key);
                model.close();
                LOG.info("closed shared model {} {} after its last lease", model.identity().name(),
                        model.identity().version());
            }
        }
    }

    private static void prime(LoadedModel model, DeviceChoice device) {
        synchronized (model) {
            FmFormerPredictor.sharing(model, new PredictorConfig(device, 1, 0, 1)).close();
        }
    }

    /** One holder's reference to a shared model. */
    public static final class Lease implements AutoCloseable {
        private final Key key;
        private final LoadedModel model;
        private boolean closed;

        private Lease(Key key, LoadedModel model) {
            this.key = key;
            this.model = model;
        }

        public LoadedModel model() {
            if (closed) {
                throw new IllegalStateException("lease on " + key + " is closed");
            }
            return model;
        }

        public Key key() {
            return key;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(key, model);
            }
        }
    }
}
