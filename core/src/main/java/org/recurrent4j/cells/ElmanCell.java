package org.recurrent4j.cells;

// has-float-twin

import org.recurrent4j.compute.GateMath;

/**
 * Elman RNN: {@code h_t = f(x_t W + b + h_{t-1} RW)}, f tanh, relu or identity: PyTorch's {@code nn.RNN} with its two
 * biases summed (identity has no PyTorch form).
 */
public final class ElmanCell extends Cell {

    // double-only:begin
    /** The activations f the cell computes. */
    public enum Activation { TANH, RELU, IDENTITY }

    private final ElmanCellF floats;
    // double-only:end

    private final ElmanCell.Activation activation;

    public ElmanCell(ElmanCell.Activation activation) {
        this.activation = activation;
        // double-only:begin
        this.floats = new ElmanCellF(activation);
        // double-only:end
    }

    // double-only:begin
    public ElmanCell.Activation activation() {
        return activation;
    }

    @Override
    public String name() {
        return "Elman RNN (" + activation.name().toLowerCase(java.util.Locale.ROOT) + ")";
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
            case IDENTITY -> null;
        };
    }

    @Override
    public String kind() {
        return "rnn-" + activation.name().toLowerCase(java.util.Locale.ROOT);
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
        switch (activation) {
            case TANH -> math.tanh(a, from, to);
            case RELU -> {
                for (int k = from; k < to; k++) {
                    a[k] = Math.max(0.0, a[k]);
                }
            }
            case IDENTITY -> {
            }
        }
        System.arraycopy(a, from, hOut, from, to - from);
    }

    @Override
    public void backward(GateMath math, double[][] z, double[][] zr, double[] hPrev, double[] cPrev, double[] c,
                         double[] dh, double[] dc, double[][] dz, double[][] dzr, int from, int to) {
        double[] a = z[0];
        double[] d = dz[0];
        switch (activation) {
            case TANH -> {
                for (int k = from; k < to; k++) {
                    d[k] = dh[k] * (1.0 - a[k] * a[k]);
                }
            }
            case RELU -> {
                for (int k = from; k < to; k++) {
                    d[k] = a[k] > 0.0 ? dh[k] : 0.0;
                }
            }
            case IDENTITY -> System.arraycopy(dh, from, d, from, to - from);
        }
        java.util.Arrays.fill(dh, from, to, 0.0);
    }
}
