package org.recurrent4j.cuda;

/**
 * The cells recurrent4j's CUDA kernels run, each by the {@code kind()} its declaration ({@code org.recurrent4j.cells})
 * gives, with the numbers the launcher needs.
 */
public enum Cell {
    RNN_TANH("rnn-tanh", 1, 1, 0), RNN_RELU("rnn-relu", 1, 1, 1), RNN_IDENTITY("rnn-identity", 1, 1, 2),
    LSTM("lstm", 4, 2, -1), GRU("gru", 3, 1, -1),
    /** The original GRU, reset gate applied before the recurrent product of the candidate. */
    GRU_RESET_BEFORE("gru-reset-before", 3, 1, -1);

    /** The declared cell kind these kernels compute. */
    public final String kind;

    /** Gate blocks in the weights. */
    public final int gates;
    /** States carried between steps: h, or h and c. */
    public final int states;
    /** {@code rnn_fwd}'s activation code; -1 for other cells. */
    final int activation;

    Cell(String kind, int gates, int states, int activation) {
        this.kind = kind;
        this.gates = gates;
        this.states = states;
        this.activation = activation;
    }

    /** The declaration ({@code org.recurrent4j.cells}) of the cell these kernels compute. */
    public org.recurrent4j.cells.Cell declared() {
        return switch (this) {
            case RNN_TANH -> new org.recurrent4j.cells.ElmanCell(org.recurrent4j.cells.Nonlinearity.TANH);
            case RNN_RELU -> new org.recurrent4j.cells.ElmanCell(org.recurrent4j.cells.Nonlinearity.RELU);
            case RNN_IDENTITY ->
                    new org.recurrent4j.cells.ElmanCell(org.recurrent4j.cells.Nonlinearity.IDENTITY);
            case LSTM -> new org.recurrent4j.cells.LstmCell();
            case GRU -> new org.recurrent4j.cells.GruCell(true);
            case GRU_RESET_BEFORE -> new org.recurrent4j.cells.GruCell(false);
        };
    }

    /** The kernels of a declared cell kind; null where there are none. */
    public static Cell forKind(String kind) {
        for (Cell c : values()) {
            if (c.kind.equals(kind)) {
                return c;
            }
        }
        return null;
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
