package org.recurrent4j.cells;

// has-float-twin

import org.recurrent4j.compute.GateMath;

/**
 * GRU, gate blocks ordered r|z|n as in PyTorch's {@code nn.GRU}: {@code r, z = sigmoid(.)}, and with
 * {@code resetAfter} (PyTorch's, cuDNN's and Keras' default form) {@code n = tanh(x W_n + b_n + r*(h_{t-1} R_n + rb))};
 * without it the original form of Cho et al. (2014), {@code n = tanh(x W_n + b_n + (r*h_{t-1}) R_n + rb)}, which
 * costs a second recurrent GEMM per step. Then {@code h_t = (1-z)*n + z*h_{t-1}}. The candidate n is the one separate
 * block: its recurrent product stays apart, with its own recurrent bias {@code rb} (PyTorch's {@code b_hn}). Keras'
 * {@code GRU} is the same cell with its {@code recurrent_activation} in place of the gates' sigmoid and its
 * {@code activation} in place of tanh (its kernels' blocks are ordered z|r|h).
 */
public final class GruCell extends Cell {

    private final boolean resetAfter;
    private final Nonlinearity activation;
    private final Nonlinearity gateActivation;

    // double-only:begin
    private final GruCellF floats;

    /** @param resetAfter true for PyTorch's form, false for the original reset-before one */
    public GruCell(boolean resetAfter) {
        this(resetAfter, Nonlinearity.TANH, Nonlinearity.SIGMOID);
    }
    // double-only:end

    /**
     * @param resetAfter     true for PyTorch's form, false for the original reset-before one
     * @param activation     what the candidate {@code n} applies (Keras' {@code activation}; PyTorch's tanh)
     * @param gateActivation what the gates {@code r, z} apply (Keras' {@code recurrent_activation}; sigmoid)
     */
    public GruCell(boolean resetAfter, Nonlinearity activation, Nonlinearity gateActivation) {
        this.resetAfter = resetAfter;
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
        this.gateActivation = java.util.Objects.requireNonNull(gateActivation, "gateActivation");
        // double-only:begin
        this.floats = new GruCellF(resetAfter, activation, gateActivation);
        // double-only:end
    }

    // double-only:begin
    /** True for PyTorch's functions: tanh and sigmoid. */
    public boolean standard() {
        return activation == Nonlinearity.TANH && gateActivation == Nonlinearity.SIGMOID;
    }

    /** True for the reset-after form (PyTorch's), false for the original reset-before one. */
    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    public String name() {
        return (resetAfter ? "GRU" : "GRU (reset before)") + (standard() ? ""
                : " (activation " + activation.label() + ", gates " + gateActivation.label() + ")");
    }

    @Override
    public int gates() {
        return 3;
    }

    @Override
    public int separateBlocks() {
        return 1;
    }

    @Override
    public boolean gatedProduct() {
        return !resetAfter;
    }

    @Override
    public String torchMode() {
        return resetAfter && standard() ? "GRU" : null;
    }

    @Override
    public String kind() {
        return (resetAfter ? "gru" : "gru-reset-before")
                + (standard() ? "" : "-" + activation.key() + "-" + gateActivation.key());
    }

    @Override
    public CellF floats() {
        return floats;
    }
    // double-only:end

    /** Reset-before: r and z activated, and {@code r*h_{t-1}} for the candidate's recurrent product. */
    @Override
    public void gatedState(GateMath math, double[][] z, double[] hPrev, double[] gated, int from, int to) {
        double[] gr = z[0];
        apply(math, gateActivation, gr, from, to);
        apply(math, gateActivation, z[1], from, to);
        for (int k = from; k < to; k++) {
            gated[k] = gr[k] * hPrev[k];
        }
    }

    /**
     * On exit {@code z} holds r, z and n activated, {@code zr[0]} the candidate's recurrent term plus its bias
     * ({@code h R_n + rb}, or {@code (r*h) R_n + rb}).
     */
    @Override
    public void forward(GateMath math, double[][] z, double[][] zr, double[][] rb, double[] hPrev, double[] cPrev,
                        double[] hOut, double[] cOut, int from, int to) {
        double[] gr = z[0];
        double[] gu = z[1];
        double[] gn = z[2];
        double[] zn = zr[0];
        double[] bn = rb[0];
        if (resetAfter) {
            apply(math, gateActivation, gr, from, to);
            apply(math, gateActivation, gu, from, to);
            for (int k = from; k < to; k++) {
                double hnv = zn[k] + bn[k];
                zn[k] = hnv;
                gn[k] += gr[k] * hnv;
            }
        } else {   // r and z came activated from gatedState
            for (int k = from; k < to; k++) {
                double hnv = zn[k] + bn[k];
                zn[k] = hnv;
                gn[k] += hnv;
            }
        }
        apply(math, activation, gn, from, to);
        for (int k = from; k < to; k++) {
            double u = gu[k];
            hOut[k] = (1.0 - u) * gn[k] + u * hPrev[k];
        }
    }

    @Override
    public void backward(GateMath math, double[][] z, double[][] zr, double[] hPrev, double[] cPrev, double[] c,
                         double[] dh, double[] dc, double[][] dz, double[][] dzr, int from, int to) {
        double[] gr = z[0];
        double[] gu = z[1];
        double[] gn = z[2];
        double[] dr = dz[0];
        double[] du = dz[1];
        double[] dn = dz[2];
        double[] dzn = dzr[0];
        // each function's derivative from its output first, into the gradient arrays; then the products
        derivative(activation, gn, dn, from, to);
        derivative(gateActivation, gu, du, from, to);
        for (int k = from; k < to; k++) {
            double u = gu[k];
            double g = dh[k];
            dn[k] = g * (1.0 - u) * dn[k];
            du[k] = g * (hPrev[k] - gn[k]) * du[k];
        }
        if (resetAfter) {
            double[] zn = zr[0];
            derivative(gateActivation, gr, dr, from, to);
            for (int k = from; k < to; k++) {
                double r = gr[k];
                double d = dn[k];
                dr[k] = d * zn[k] * dr[k];
                dzn[k] = d * r;
                dh[k] = dh[k] * gu[k];
            }
        } else {   // dh keeps dL/dh_t for backwardGatedState
            System.arraycopy(dn, from, dzn, from, to - from);
        }
    }

    /** Reset-before, second part: with {@code dGated = dL/d(r*h_{t-1})}, the reset gate and the direct path to h. */
    @Override
    public void backwardGatedState(GateMath math, double[][] z, double[] hPrev, double[] dGated, double[] dh,
                                   double[][] dz, int from, int to) {
        double[] gr = z[0];
        double[] gu = z[1];
        double[] dr = dz[0];
        derivative(gateActivation, gr, dr, from, to);
        for (int k = from; k < to; k++) {
            double r = gr[k];
            dr[k] = dGated[k] * hPrev[k] * dr[k];
            dh[k] = dh[k] * gu[k] + dGated[k] * r;
        }
    }
}
