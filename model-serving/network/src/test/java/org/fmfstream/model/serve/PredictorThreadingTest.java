package org.fmfstream.model.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fmfstream.model.fmformer.FmFormerModel;
import org.fmfstream.model.fmformer.SavedFmFormer;
import org.fmfstream.model.tokenize.TokenBuffers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predictor on a thread other than the one that started the engine: PyTorch's grad mode is on
 * there by default, so without care every pass would record a backward graph, and results attached
 * to the wrong manager would pile up.
 */
class PredictorThreadingTest {

    private static final int CALLS = 300;

    @TempDir
    Path dir;
    private ExecutorService worker;

    @BeforeEach
    void startWorker() {
        worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "scoring-worker"));
    }

    @AfterEach
    void stopWorker() throws InterruptedException {
        worker.shutdownNow();
        assertThat(worker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void hundredsOfCallsFromAnotherThreadLeaveNoArrayInTheModelManager() throws Exception {
        SavedFmFormer saved = SavedModels.saveXs(dir.resolve("xs"), 2);
        TokenBuffers tokens = SavedModels.tokens(1, 9);
        try (FmFormerPredictor predictor = FmFormerPredictor.open(ModelSource.of(saved.directory(), null, null),
                new PredictorConfig(DeviceChoice.CPU, 1, 0, 1))) {
            NDManager modelManager = managerOf(predictor);
            int before = modelManager.getManagedArrays().size();
            float[] probabilities = worker.submit(() -> {
                float[] seen = new float[CALLS];
                ScoreBuffers out = ScoreBuffers.forBatch(1);
                for (int i = 0; i < CALLS; i++) {
                    predictor.predict(tokens, 1, out);
                    seen[i] = out.probabilities()[0];
                }
                return seen;
            }).get(5, TimeUnit.MINUTES);
            int after = modelManager.getManagedArrays().size();
            System.out.printf("model manager arrays: %d before, %d after %d calls on another thread%n",
                    before, after, CALLS);
            assertThat(after).isEqualTo(before);
            assertThat(before).isPositive(); // the parameters are counted, so the count is meaningful
            for (float p : probabilities) {
                assertThat(p).isEqualTo(probabilities[0]).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void passesOnAnotherThreadRecordNoGradientsEvenWithTrainableWeights() throws Exception {
        // A freshly created model's weights require gradients (loaded ones do not), so only the
        // predictor's own grad switch stands between a pass and a recorded graph.
        Model fresh = FmFormerModel.create(SavedModels.XS_DENSE, 4);
        assertThat(JniUtils.requiresGrad((PtNDArray) fresh.getBlock().getParameters().get(0).getValue().getArray()))
                .isTrue();
        ModelIdentity identity = new ModelIdentity("fmformer-xs", "test", "a".repeat(64));
        GradientWatch watched = new GradientWatch(new DjlFmFormerModel(fresh, identity, Device.cpu()));
        TokenBuffers tokens = SavedModels.tokens(1, 10);
        try (FmFormerPredictor predictor = new FmFormerPredictor(watched, new PredictorConfig(DeviceChoice.CPU, 1, 0, 0))) {
            worker.submit(() -> {
                assertThat(JniUtils.isGradMode())
                        .as("PyTorch records gradients by default on a thread that did not start the engine")
                        .isTrue();
                // Premise: the same pass outside the predictor's scope does build a graph here.
                try (NDManager batch = fresh.getNDManager().newSubManager()) {
                    NDList out = predictor.forward(batch, 1, tokens);
                    assertThat(carriesGraph(out.get(0))).as("backward graph of a pass with grad mode on").isTrue();
                }
                watched.reset();
                int arraysBefore = fresh.getNDManager().getManagedArrays().size();
                for (int i = 0; i < 50; i++) {
                    predictor.predict(tokens, 1);
                }
                assertThat(watched.passes).isEqualTo(50);
                assertThat(watched.gradModeSeen).as("grad mode during predict()").isFalse();
                assertThat(watched.outputsRequiringGrad).as("outputs that carry a graph").isZero();
                assertThat(fresh.getNDManager().getManagedArrays().size()).isEqualTo(arraysBefore);
                assertThat(JniUtils.isGradMode()).as("the thread's grad mode is restored").isTrue();
                return null;
            }).get(5, TimeUnit.MINUTES);
        }
    }

    /**
     * Whether autograd recorded how {@code array} was computed, probed by running backward from it:
     * PyTorch refuses when there is no graph. (DJL's {@code requiresGrad} reads false even for a
     * recorded result, and its grad-function lookup crashes the JVM on a tensor without one.)
     */
    private static boolean carriesGraph(NDArray array) {
        try (NDManager probe = array.getManager().newSubManager()) {
            JniUtils.backward((PtNDArray) array, (PtNDArray) probe.ones(array.getShape()), true, false);
            return true;
        } catch (EngineException e) {
            if (String.valueOf(e.getMessage()).contains("does not have a grad_fn")) {
                return false;
            }
            throw e;
        }
    }

    private static NDManager managerOf(FmFormerPredictor predictor) throws Exception {
        java.lang.reflect.Field field = FmFormerPredictor.class.getDeclaredField("model");
        field.setAccessible(true);
        return ((LoadedModel) field.get(predictor)).modelManager();
    }

    /** Passes through to a real model and records what autograd did during each pass. */
    private static final class GradientWatch implements LoadedModel {
        private final LoadedModel model;
        int passes;
        boolean gradModeSeen;
        int outputsRequiringGrad;

        GradientWatch(LoadedModel model) {
            this.model = model;
        }

        void reset() {
            passes = 0;
            gradModeSeen = false;
            outputsRequiringGrad = 0;
        }

        @Override
        public NDList forward(NDManager batchManager, NDList inputs) {
            NDList out = model.forward(batchManager, inputs);
            passes++;
            gradModeSeen |= JniUtils.isGradMode();
            for (NDArray array : out) {
                if (carriesGraph(array)) {
                    outputsRequiringGrad++;
                }
            }
            return out;
        }

        @Override
        public ModelIdentity identity() {
            return model.identity();
        }

        @Override
        public Device device() {
            return model.device();
        }

        @Override
        public NDManager modelManager() {
            return model.modelManager();
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
