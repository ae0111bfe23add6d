/**
 * Scoring for the stream: load a model, score batches of tokenized windows.
 *
 * <h2>Loading</h2>
 * {@link org.fmfstream.model.serve.ModelSource} is either a directory written by
 * {@code FmFormerModel.save} or a TorchScript {@code .pt} file exported from PyTorch with
 * FmFormer's contract (inputs standard [B, 320, 384], dilated [B, 80, 384], current [B, 240, 3],
 * float32; output tuple video logits [B, 2], current logits [B, 2], mask logits [B, 2, 64, 64]).
 * {@code ModelSource.of(path, expectedSha256, version)} tells them apart by the path. A pinned
 * SHA-256 is checked before anything is read ({@code ParamsChecksumMismatchException} names both
 * hashes); {@link org.fmfstream.model.serve.ModelIdentity} (name, version, SHA-256 of the file
 * actually loaded) is what the stream stamps on every AnomalyEvent. TorchScript written by
 * PyTorch 1.13 ({@code torch.jit.trace}) loads in DJL's libtorch 2.7.1 and reproduces PyTorch's
 * outputs; a module whose outputs break the contract fails on its first (warm-up) batch.
 *
 * <h2>Scoring</h2>
 * {@link org.fmfstream.model.serve.FmFormerPredictor#open} resolves the device
 * ({@link org.fmfstream.model.serve.DeviceChoice}: {@code auto} = first GPU when the engine sees
 * one, else CPU; an explicit {@code gpu} without one is an error), loads the model, and runs
 * {@code warmupBatches} dummy batches of the configured batch size (timing logged).
 * {@code predict(standard, dilated, current, B, ScoreBuffers)} reads the buffers
 * {@code MultiScaleTokenizer.tokenizeInto} filled and writes per window the anomaly probability
 * (softmax of video + current logits, abnormal class), both logit pairs and the 64x64 abnormal
 * pixel probabilities into caller-owned arrays; {@code predict(..., B)} returns
 * {@link org.fmfstream.model.serve.WindowScore} records instead.
 *
 * <h2>Rules the predictor keeps</h2>
 * <ul>
 *   <li>One predictor per thread (it reuses staging buffers); the stream opens one per subtask.
 *   <li>Autograd off for every pass on the calling thread (PyTorch's grad mode is per thread and
 *       DJL turns it off only on the thread that started the engine), restored afterwards.
 *   <li>Each batch runs in a sub-manager of the model's manager, closed before {@code predict}
 *       returns: the model's array count does not grow.
 *   <li>Inputs go through three direct buffers allocated once per predictor (no direct-memory
 *       churn per batch).
 * </ul>
 *
 * <h2>Threads</h2>
 * See {@link org.fmfstream.model.serve.EngineThreads}: both PyTorch pools are JVM-wide; set
 * {@code -Dai.djl.pytorch.num_threads} and {@code -Dai.djl.pytorch.num_interop_threads} on the JVM
 * (for {@code ./fmf}: {@code FMF_JAVA_OPTS}), or the intra-op count through
 * {@link org.fmfstream.model.serve.PredictorConfig#intraOpThreads()}.
 *
 * <h2>GPU</h2>
 * No CUDA native jar exists for PyTorch 2.7.1 on Maven Central: on a GPU host give DJL a CUDA
 * libtorch through {@code PYTORCH_LIBRARY_PATH} with {@code PYTORCH_FLAVOR=cu128}, or a pre-filled
 * {@code DJL_CACHE_DIR}. A saved FmFormer is loaded onto the engine's default device; when the
 * predictor's device differs, each parameter is copied to it once and reused.
 */
package org.fmfstream.model.serve;
