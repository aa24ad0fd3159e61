package org.recurrent4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of one direction of a recurrent layer, or their gradients, in the layout every kernel uses (the
 * cell's {@code parameters} declare them). {@code G} is the number of gate blocks (Elman 1, GRU 3, LSTM 4), {@code H}
 * the hidden size, {@code R} the state size ({@code H}, or {@code P} with a projection); blocks are ordered as in
 * PyTorch.
 *
 * @param w   input weights {@code [nIn, G*H]}
 * @param rw  recurrent weights {@code [R, G*H]}
 * @param b   bias {@code [1, G*H]}, or null for a layer without bias
 * @param rb  the recurrent bias of the cell's separate blocks {@code [1, S*H]} (the GRU's {@code b_hn}), else null
 * @param whr projection weights {@code [H, P]}, or null without a projection
 */
public record RnnWeights(INDArray w, INDArray rw, INDArray b, INDArray rb, INDArray whr) {

    /** Weights without a projection. */
    public RnnWeights(INDArray w, INDArray rw, INDArray b, INDArray rb) {
        this(w, rw, b, rb, null);
    }

    public long nIn() {
        return w.size(0);
    }

    /** {@code H}, the units of each gate block. */
    public long hidden() {
        return whr != null ? whr.size(0) : rw.size(0);
    }

    /** {@code R}, the units of the state {@code h} and the output. */
    public long stateSize() {
        return rw.size(0);
    }
}
