package org.recurrent4j.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of one recurrent layer, or their gradients, in the layout every kernel uses. {@code G} is the number
 * of gate blocks (Elman 1, GRU 3, LSTM 4) and {@code H} the hidden size; blocks are ordered as in PyTorch.
 *
 * @param w  input weights {@code [nIn, G*H]}
 * @param rw recurrent weights {@code [H, G*H]}
 * @param b  bias {@code [1, G*H]}, or null for a layer without bias
 * @param rb GRU only: the recurrent bias of the candidate {@code [1, H]} (PyTorch's {@code b_hn}), else null
 */
public record RnnWeights(INDArray w, INDArray rw, INDArray b, INDArray rb) {

    public long nIn() {
        return w.size(0);
    }

    public long hidden() {
        return rw.size(0);
    }
}
