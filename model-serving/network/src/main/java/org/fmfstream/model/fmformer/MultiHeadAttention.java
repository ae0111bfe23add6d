package org.fmfstream.model.fmformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The attention arithmetic shared by self- and cross-attention: split the projected queries, keys
 * and values into heads, weight the values by softmax(QKᵀ · headDim^-½), merge the heads again.
 * Stateless; the projections live in the blocks that call it.
 */
final class MultiHeadAttention {

    private MultiHeadAttention() {}

    /**
     * @param queries [B, Nq, heads·headDim]
     * @param keys [B, Nk, heads·headDim]
     * @param values [B, Nk, heads·headDim]
     * @return [B, Nq, heads·headDim]
     */
    static NDArray attend(NDArray queries, NDArray keys, NDArray values, int heads, int headDim) {
        NDArray q = splitHeads(queries, heads, headDim);
        // Keys go straight to [B, h, d, Nk] so that the product needs no second transpose.
        NDArray kT = splitHeads(keys, heads, headDim).transpose(0, 1, 3, 2);
        NDArray v = splitHeads(values, heads, headDim);
        NDArray weights = q.matMul(kT).muli((float) (1.0 / Math.sqrt(headDim))).softmax(-1);
        NDArray attended = weights.matMul(v); // [B, h, Nq, d]
        Shape qs = queries.getShape();
        return attended.transpose(0, 2, 1, 3).reshape(qs.get(0), qs.get(1), (long) heads * headDim);
    }

    /** [B, N, h·d] → [B, h, N, d]. */
    private static NDArray splitHeads(NDArray x, int heads, int headDim) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, headDim).transpose(0, 2, 1, 3);
    }
}
