package org.recurrent4j.cuda;

/** The cells recurrent4j's CUDA kernels run, with the numbers the launcher needs. */
public enum Cell {
    RNN_TANH(1, 1, 0), RNN_RELU(1, 1, 1), RNN_IDENTITY(1, 1, 2), LSTM(4, 2, -1), GRU(3, 1, -1),
    /** The original GRU, reset gate applied before the recurrent product of the candidate. */
    GRU_RESET_BEFORE(3, 1, -1);

    /** Gate blocks in the weights. */
    public final int gates;
    /** States carried between steps: h, or h and c. */
    public final int states;
    /** {@code rnn_fwd}'s activation code; -1 for other cells. */
    final int activation;

    Cell(int gates, int states, int activation) {
        this.gates = gates;
        this.states = states;
        this.activation = activation;
    }

    public boolean isRnn() {
        return activation >= 0;
    }

    public boolean isGru() {
        return this == GRU || this == GRU_RESET_BEFORE;
    }

    /** Whether the cell has PyTorch's separate recurrent bias of the candidate ({@code b_hn}). */
    public boolean hasRecurrentBias() {
        return isGru();
    }
}
