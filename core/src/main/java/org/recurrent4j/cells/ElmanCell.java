package org.recurrent4j.cells;

// has-float-twin

import org.recurrent4j.compute.GateMath;

/**
 * Elman RNN: {@code h_t = f(x_t W + b + h_{t-1} RW)}, f any {@link Nonlinearity}: with tanh or relu PyTorch's
 * {@code nn.RNN} with its two biases summed; with any, Keras' {@code SimpleRNN}.
 */
public final class ElmanCell extends Cell {

    // double-only:begin
    private final ElmanCellF floats;
    // double-only:end

    private final Nonlinearity activation;

    /** @param activation f */
    public ElmanCell(Nonlinearity activation) {
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
        // double-only:begin
        this.floats = new ElmanCellF(activation);
        // double-only:end
    }

    // double-only:begin
    /** f. */
    public Nonlinearity activation() {
        return activation;
    }

    @Override
    public String name() {
        return "Elman RNN (" + activation.label() + ")";
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public String torchMode() {
        return switch (activation) {
            case TANH -> "RNN_TANH";
            case RELU -> "RNN_RELU";
            default -> null;
        };
    }

    @Override
    public String kind() {
        return "rnn-" + activation.key();
    }

    @Override
    public CellF floats() {
        return floats;
    }
    // double-only:end

    @Override
    public void forward(GateMath math, double[][] z, double[][] zr, double[][] rb, double[] hPrev, double[] cPrev,
                        double[] hOut, double[] cOut, int from, int to) {
        double[] a = z[0];
        apply(math, activation, a, from, to);
        System.arraycopy(a, from, hOut, from, to - from);
    }

    @Override
    public void backward(GateMath math, double[][] z, double[][] zr, double[] hPrev, double[] cPrev, double[] c,
                         double[] dh, double[] dc, double[][] dz, double[][] dzr, int from, int to) {
        double[] d = dz[0];
        derivative(activation, z[0], d, from, to);
        for (int k = from; k < to; k++) {
            d[k] = dh[k] * d[k];
        }
        java.util.Arrays.fill(dh, from, to, 0.0);
    }
}
