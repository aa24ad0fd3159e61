package org.recurrent4j.cells;

// has-float-twin

import org.recurrent4j.compute.GateMath;

/**
 * LSTM as PyTorch's {@code nn.LSTM} defines it, gate blocks ordered i|f|g|o: {@code i,f,o = sigmoid(.)},
 * {@code g = tanh(.)}, {@code c_t = f*c_{t-1} + i*g}, {@code h_t = o*tanh(c_t)}. Keras' {@code LSTM} is the same cell
 * with its {@code recurrent_activation} in place of the gates' sigmoid and its {@code activation} in place of both
 * tanh (its kernels' blocks are ordered i|f|c|o too). With a projection of size {@code P}
 * (PyTorch's {@code proj_size}, Sak et al. 2014, "Long Short-Term Memory Recurrent Neural Network Architectures for
 * Large Scale Acoustic Modeling"), {@code h_t = (o*tanh(c_t)) W_hr}, which the engine applies.
 */
public final class LstmCell extends Cell {

    private final Nonlinearity activation;
    private final Nonlinearity gateActivation;

    // double-only:begin
    private final int projection;
    private final LstmCellF floats;

    /** The plain LSTM. */
    public LstmCell() {
        this(0);
    }

    /**
     * PyTorch's LSTM (tanh and sigmoid).
     *
     * @param projection {@code P}, the size of the projected state and output; 0 for none
     * @throws IllegalArgumentException for a negative size
     */
    public LstmCell(int projection) {
        this(projection, Nonlinearity.TANH, Nonlinearity.SIGMOID);
    }

    /** True for PyTorch's functions: tanh and sigmoid. */
    public boolean standard() {
        return activation == Nonlinearity.TANH && gateActivation == Nonlinearity.SIGMOID;
    }

    @Override
    public String name() {
        return (projection > 0 ? "LSTM with projection " + projection : "LSTM") + (standard() ? ""
                : " (activation " + activation.label() + ", gates " + gateActivation.label() + ")");
    }

    @Override
    public int gates() {
        return 4;
    }

    @Override
    public int states() {
        return 2;
    }

    @Override
    public int projection() {
        return projection;
    }

    @Override
    public String torchMode() {
        return standard() ? "LSTM" : null;
    }

    @Override
    public String kind() {
        return (projection > 0 ? "lstm-projection" : "lstm")
                + (standard() ? "" : "-" + activation.key() + "-" + gateActivation.key());
    }

    @Override
    public CellF floats() {
        return floats;
    }
    // double-only:end

    /**
     * @param projection     {@code P}, the size of the projected state and output; 0 for none
     * @param activation     what the candidate {@code g} and the state's output {@code tanh(c_t)} apply (Keras'
     *                       {@code activation})
     * @param gateActivation what the gates {@code i, f, o} apply (Keras' {@code recurrent_activation})
     * @throws IllegalArgumentException for a negative size
     */
    public LstmCell(int projection, Nonlinearity activation, Nonlinearity gateActivation) {
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
        this.gateActivation = java.util.Objects.requireNonNull(gateActivation, "gateActivation");
        // double-only:begin
        if (projection < 0) {
            throw new IllegalArgumentException("projection size must be 0 (none) or positive, got " + projection);
        }
        this.projection = projection;
        this.floats = new LstmCellF(projection, activation, gateActivation);
        // double-only:end
    }

    @Override
    public void forward(GateMath math, double[][] z, double[][] zr, double[][] rb, double[] hPrev, double[] cPrev,
                        double[] hOut, double[] cOut, int from, int to) {
        double[] gi = z[0];
        double[] gf = z[1];
        double[] gg = z[2];
        double[] go = z[3];
        apply(math, gateActivation, gi, from, to);
        apply(math, gateActivation, gf, from, to);
        apply(math, activation, gg, from, to);
        apply(math, gateActivation, go, from, to);
        for (int k = from; k < to; k++) {
            double c = gf[k] * cPrev[k] + gi[k] * gg[k];
            cOut[k] = c;
            hOut[k] = c;
        }
        apply(math, activation, hOut, from, to);   // tanh(c_t)
        for (int k = from; k < to; k++) {
            hOut[k] = go[k] * hOut[k];
        }
    }

    @Override
    public void backward(GateMath math, double[][] z, double[][] zr, double[] hPrev, double[] cPrev, double[] c,
                         double[] dh, double[] dc, double[][] dz, double[][] dzr, int from, int to) {
        double[] gi = z[0];
        double[] gf = z[1];
        double[] gg = z[2];
        double[] go = z[3];
        double[] di = dz[0];
        double[] df = dz[1];
        double[] dg = dz[2];
        double[] dout = dz[3];
        // each function's derivative is taken from its output into the gradient arrays first, then the loops, the
        // same for every function, multiply: few arrays per loop, which C2 vectorises
        apply(math, activation, c, from, to);   // c becomes tanh(c_t)
        derivative(gateActivation, go, dout, from, to);
        for (int k = from; k < to; k++) {
            double dht = dh[k];
            dout[k] = dht * c[k] * dout[k];
            dh[k] = dht * go[k];
        }
        derivative(activation, c, c, from, to);
        for (int k = from; k < to; k++) {
            dc[k] = dc[k] + dh[k] * c[k];   // dc_t in full
        }
        derivative(gateActivation, gi, di, from, to);
        derivative(activation, gg, dg, from, to);
        for (int k = from; k < to; k++) {
            double dct = dc[k];
            double i = gi[k];
            double g = gg[k];
            di[k] = dct * g * di[k];
            dg[k] = dct * i * dg[k];
        }
        derivative(gateActivation, gf, df, from, to);
        for (int k = from; k < to; k++) {
            double dct = dc[k];
            df[k] = dct * cPrev[k] * df[k];
            dc[k] = dct * gf[k];
        }
        java.util.Arrays.fill(dh, from, to, 0.0);   // h_{t-1} reaches h_t only through the recurrent product
    }
}
