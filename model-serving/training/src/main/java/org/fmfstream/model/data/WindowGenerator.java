package org.fmfstream.model.data;

import java.util.List;

/**
 * Training windows made on demand instead of read from a recording, e.g. rendered by a simulator:
 * an endless stream cut into chunks, where chunk {@code c} is a pure function of {@code c}. That
 * makes a run over generated data as reproducible and resumable as one over a file: the windows of
 * step k are the same in an interrupted and an uninterrupted run, and no window is seen twice.
 *
 * <p>Chunks may be made on a background thread while the model trains on the previous one, so
 * {@link #chunk} must be safe to call from any thread.
 */
public interface WindowGenerator {

    /** Windows in every chunk. */
    int chunkSize();

    /** The windows of chunk {@code index} (0-based), {@link #chunkSize()} of them, in training order. */
    List<Window> chunk(long index);

    /**
     * Fixed windows for validation after each epoch, from sources disjoint from every chunk's (other
     * furnaces), so that validation figures say how the model does on furnaces it never trained on.
     */
    List<Window> validation();

    /**
     * Frame stride s of the clips it makes (frames i-9s .. i): a run checks it against the model's
     * configured sampling rate, which the job's aligner will use.
     */
    int samplingRate();

    /** One line saying what is generated, for the training log. */
    String description();
}
