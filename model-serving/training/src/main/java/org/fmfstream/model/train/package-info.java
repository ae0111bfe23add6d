/**
 * Training FmFormer ({@code ./fmf train}).
 *
 * <p>{@link org.fmfstream.model.train.TrainingConfig} holds every setting;
 * {@link org.fmfstream.model.train.FmFormerTraining#run} trains on the train split, validates on the test
 * split after every epoch (accuracy, precision, recall, F1, abnormal-pixel IoU), writes {@code epoch-N/}
 * checkpoints (model + Adam moments) and {@code training-state.json}, and saves {@code final/};
 * {@link org.fmfstream.model.train.FmFormerTraining#resume} continues bit-identically from the last
 * checkpoint. Loss: cross-entropy on the fused class logits plus, with the dense head,
 * {@code maskLossWeight × (class-weighted pixel cross-entropy + soft Dice on the abnormal class)}
 * ({@link org.fmfstream.model.train.TrainingLosses}). Optimiser: {@link org.fmfstream.model.train.ResumableAdam}
 * (DJL's Adam update kernel with state this project owns) driven by
 * {@link org.fmfstream.model.train.LearningRateSchedule} (linear warm-up, then none / step / cosine decay).
 * Optionally ({@code contrastiveWeight > 0}) a supervised contrastive loss pulls the encoder's class tokens
 * of same-label windows together (CLMLF's label-based contrastive learning), through
 * {@link org.fmfstream.model.fmformer.FmFormer#forwardWithClassTokens}.
 */
package org.fmfstream.model.train;
