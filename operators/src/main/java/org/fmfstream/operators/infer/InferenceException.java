package org.fmfstream.operators.infer;

/**
 * A window could not be scored: the model failed on its batch, the inference thread died, or
 * Flink's async timeout fired. Completing a window's future with it fails the Flink job visibly
 * (restart strategy applies) instead of dropping the window.
 */
public class InferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public InferenceException(String message) {
        super(message);
    }
}
