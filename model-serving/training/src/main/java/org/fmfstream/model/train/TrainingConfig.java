package org.fmfstream.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Properties;
import org.fmfstream.model.fmformer.FmFormerConfig;
import org.fmfstream.model.fmformer.Modality;

/**
 * Everything that decides a training run; the same configuration and data give the same weights.
 *
 * @param model              the network to train (a preset with modality and dense head chosen)
 * @param epochs             passes over the (possibly capped) training split
 * @param batchSize          windows per optimiser step
 * @param learningRate       Adam's base rate (the reference: 5e-4)
 * @param warmUpSteps        steps of linear warm-up from 0 to the base rate
 * @param decay              what the rate does after the warm-up
 * @param stepDecayEpoch     first epoch (1-based) at the decayed rate, for {@link LearningRateDecay#STEP}
 * @param stepDecayFactor    factor of {@link LearningRateDecay#STEP}
 * @param weightDecay        decoupled (AdamW) weight decay per step, 0 = plain Adam
 * @param seed               initialisation, sample order and augmentation
 * @param samplingRate       frame stride s of a clip (i-9s .. i); the model's configuration takes it
 * @param maskLossWeight     weight of the pixel loss (cross-entropy + soft Dice) next to the class loss;
 *                           used only with the dense head
 * @param abnormalPixelWeight class weight of abnormal pixels in the pixel cross-entropy (normal = 1):
 *                           a burn-through spot covers a few percent of the frame at most
 * @param maxSamplesPerEpoch cap on samples per epoch, 0 = the whole split
 * @param maxValidationSamples cap on validation samples (evenly spread over the split), 0 = all
 * @param balanced           draw abnormal and normal samples equally often (with replacement)
 * @param flip               random horizontal flip of clip and mask in training
 * @param threads            PyTorch intra-op threads, 0 = the engine's default
 * @param contrastiveWeight  weight of the supervised contrastive loss on the class tokens, 0 = off
 * @param contrastiveTemperature temperature τ of that loss
 * @param modalityDropout    share of training windows (cross-modal models) that lose one stream, half
 *                           of them the video (and with it the mask target), half the current, as the
 *                           job's VIDEO_MISSING / CURRENT_MISSING windows do; each head then learns to
 *                           decide on its own, so the summed decision does not lean on one stream
 * @param initFrom           a saved model of the same configuration whose weights the run starts from
 *                           (fine-tuning), or null for the seeded initialisation; the optimiser and
 *                           schedule start afresh
 */
public record TrainingConfig(
        FmFormerConfig model,
        int epochs,
        int batchSize,
        float learningRate,
        int warmUpSteps,
        LearningRateDecay decay,
        int stepDecayEpoch,
        float stepDecayFactor,
        float weightDecay,
        long seed,
        int samplingRate,
        float maskLossWeight,
        float abnormalPixelWeight,
        int maxSamplesPerEpoch,
        int maxValidationSamples,
        boolean balanced,
        boolean flip,
        int threads,
        float contrastiveWeight,
        float contrastiveTemperature,
        float modalityDropout,
        String initFrom) {

    public TrainingConfig {
        require(model != null, "model configuration must be given");
        require(decay != null, "decay must be given");
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
        require(learningRate > 0 && Float.isFinite(learningRate), "learning rate must be finite and > 0, got " + learningRate);
        require(warmUpSteps >= 0, "warm-up steps must be >= 0, got " + warmUpSteps);
        require(stepDecayEpoch >= 1, "step decay epoch must be >= 1, got " + stepDecayEpoch);
        require(stepDecayFactor > 0 && stepDecayFactor <= 1, "step decay factor must be in (0, 1], got " + stepDecayFactor);
        require(weightDecay >= 0 && Float.isFinite(weightDecay), "weight decay must be finite and >= 0, got " + weightDecay);
        require(samplingRate >= 1, "sampling rate must be at least 1, got " + samplingRate);
        // The saved model carries the stride it was trained on: the job's aligner builds its clips so.
        model = model.withSamplingRate(samplingRate);
        require(maskLossWeight >= 0 && Float.isFinite(maskLossWeight), "mask loss weight must be finite and >= 0");
        require(abnormalPixelWeight > 0 && Float.isFinite(abnormalPixelWeight), "abnormal pixel weight must be finite and > 0");
        require(maxSamplesPerEpoch >= 0, "max samples per epoch must be >= 0 (0 = all)");
        require(maxValidationSamples >= 0, "max validation samples must be >= 0 (0 = all)");
        require(threads >= 0, "threads must be >= 0 (0 = engine default)");
        require(contrastiveWeight >= 0 && Float.isFinite(contrastiveWeight), "contrastive weight must be finite and >= 0");
        require(contrastiveTemperature > 0 && Float.isFinite(contrastiveTemperature),
                "contrastive temperature must be finite and > 0");
        require(modalityDropout >= 0 && modalityDropout < 1, "modality dropout must be in [0, 1), got " + modalityDropout);
    }

    /** The reference's recipe on the CPU-sized network: batch 64, Adam 5e-4, ×0.1 at epoch 20 of 30, flips. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.warmUpSteps = warmUpSteps;
        b.decay = decay;
        b.stepDecayEpoch = stepDecayEpoch;
        b.stepDecayFactor = stepDecayFactor;
        b.weightDecay = weightDecay;
        b.seed = seed;
        b.samplingRate = samplingRate;
        b.maskLossWeight = maskLossWeight;
        b.abnormalPixelWeight = abnormalPixelWeight;
        b.maxSamplesPerEpoch = maxSamplesPerEpoch;
        b.maxValidationSamples = maxValidationSamples;
        b.balanced = balanced;
        b.flip = flip;
        b.threads = threads;
        b.contrastiveWeight = contrastiveWeight;
        b.contrastiveTemperature = contrastiveTemperature;
        b.modalityDropout = modalityDropout;
        b.initFrom = initFrom;
        return b;
    }

    /** Every field as JSON (the model as its properties), for the training state. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode m = o.putObject("model");
        Properties p = model.toProperties();
        for (String key : p.stringPropertyNames()) {
            m.put(key, p.getProperty(key));
        }
        o.put("epochs", epochs);
        o.put("batchSize", batchSize);
        o.put("learningRate", learningRate);
        o.put("warmUpSteps", warmUpSteps);
        o.put("decay", decay.name());
        o.put("stepDecayEpoch", stepDecayEpoch);
        o.put("stepDecayFactor", stepDecayFactor);
        o.put("weightDecay", weightDecay);
        o.put("seed", seed);
        o.put("samplingRate", samplingRate);
        o.put("maskLossWeight", maskLossWeight);
        o.put("abnormalPixelWeight", abnormalPixelWeight);
        o.put("maxSamplesPerEpoch", maxSamplesPerEpoch);
        o.put("maxValidationSamples", maxValidationSamples);
        o.put("balanced", balanced);
        o.put("flip", flip);
        o.put("threads", threads);
        o.put("contrastiveWeight", contrastiveWeight);
        o.put("contrastiveTemperature", contrastiveTemperature);
        o.put("modalityDropout", modalityDropout);
        if (initFrom != null) {
            o.put("initFrom", initFrom);
        }
        return o;
    }

    public static TrainingConfig fromJson(JsonNode o) {
        Properties p = new Properties();
        o.required("model").properties().forEach(e -> p.setProperty(e.getKey(), e.getValue().asText()));
        return new TrainingConfig(
                FmFormerConfig.fromProperties(p),
                o.required("epochs").intValue(),
                o.required("batchSize").intValue(),
                o.required("learningRate").floatValue(),
                o.required("warmUpSteps").intValue(),
                LearningRateDecay.valueOf(o.required("decay").textValue()),
                o.required("stepDecayEpoch").intValue(),
                o.required("stepDecayFactor").floatValue(),
                o.required("weightDecay").floatValue(),
                o.required("seed").longValue(),
                o.required("samplingRate").intValue(),
                o.required("maskLossWeight").floatValue(),
                o.required("abnormalPixelWeight").floatValue(),
                o.required("maxSamplesPerEpoch").intValue(),
                o.required("maxValidationSamples").intValue(),
                o.required("balanced").booleanValue(),
                o.required("flip").booleanValue(),
                o.required("threads").intValue(),
                o.required("contrastiveWeight").floatValue(),
                o.required("contrastiveTemperature").floatValue(),
                // Runs saved before modality dropout existed had none.
                o.has("modalityDropout") ? o.required("modalityDropout").floatValue() : 0f,
                o.has("initFrom") ? o.required("initFrom").textValue() : null);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Defaults: fmformer-xs, cross-modal, dense head on, the reference's schedule. */
    public static final class Builder {
        private FmFormerConfig model = FmFormerConfig.fmformerXs().withDenseHead(true);
        private int epochs = 30;
        private int batchSize = 64;
        private float learningRate = 5e-4f;
        private int warmUpSteps = 100;
        private LearningRateDecay decay = LearningRateDecay.STEP;
        private int stepDecayEpoch = 20;
        private float stepDecayFactor = 0.1f;
        private float weightDecay = 0f;
        private long seed = 1L;
        private int samplingRate = 1;
        private float maskLossWeight = 1f;
        private float abnormalPixelWeight = 10f;
        private int maxSamplesPerEpoch;
        private int maxValidationSamples;
        private boolean balanced;
        private boolean flip = true;
        private int threads;
        private float contrastiveWeight;
        private float contrastiveTemperature = 0.1f;
        private float modalityDropout;
        private String initFrom;

        private Builder() {}

        /** A preset by name, keeping the chosen modality and dense head. */
        public Builder preset(String name) {
            FmFormerConfig p = FmFormerConfig.byName(name);
            model = p.withModality(model.modality()).withDenseHead(model.denseHead() && model.modality().hasVideo());
            return this;
        }

        public Builder model(FmFormerConfig config) {
            this.model = config;
            return this;
        }

        /** The streams; a modality without video drops the dense head (switch it on again with {@link #denseHead}). */
        public Builder modality(Modality modality) {
            model = model.withModality(modality);
            return this;
        }

        public Builder denseHead(boolean on) {
            if (on && !model.modality().hasVideo()) {
                throw new IllegalArgumentException("the dense head needs the video stream; modality is " + model.modality());
            }
            model = model.withDenseHead(on);
            return this;
        }

        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(float v) { learningRate = v; return this; }
        public Builder warmUpSteps(int v) { warmUpSteps = v; return this; }
        public Builder decay(LearningRateDecay v) { decay = v; return this; }
        public Builder stepDecayEpoch(int v) { stepDecayEpoch = v; return this; }
        public Builder stepDecayFactor(float v) { stepDecayFactor = v; return this; }
        public Builder weightDecay(float v) { weightDecay = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder samplingRate(int v) { samplingRate = v; return this; }
        public Builder maskLossWeight(float v) { maskLossWeight = v; return this; }
        public Builder abnormalPixelWeight(float v) { abnormalPixelWeight = v; return this; }
        public Builder maxSamplesPerEpoch(int v) { maxSamplesPerEpoch = v; return this; }
        public Builder maxValidationSamples(int v) { maxValidationSamples = v; return this; }
        public Builder balanced(boolean v) { balanced = v; return this; }
        public Builder flip(boolean v) { flip = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder contrastiveWeight(float v) { contrastiveWeight = v; return this; }
        public Builder contrastiveTemperature(float v) { contrastiveTemperature = v; return this; }
        public Builder modalityDropout(float v) { modalityDropout = v; return this; }
        public Builder initFrom(String v) { initFrom = v; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(model, epochs, batchSize, learningRate, warmUpSteps, decay, stepDecayEpoch,
                    stepDecayFactor, weightDecay, seed, samplingRate, maskLossWeight, abnormalPixelWeight,
                    maxSamplesPerEpoch, maxValidationSamples, balanced, flip, threads, contrastiveWeight,
                    contrastiveTemperature, modalityDropout, initFrom);
        }
    }
}
