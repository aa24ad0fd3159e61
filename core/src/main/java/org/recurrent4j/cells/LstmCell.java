package org.recurrent4j.cells;

// has-float-twin

import org.recurrent4j.compute.GateMath;

/**
 * LSTM as PyTorch's {@code nn.LSTM} defines it, gate blocks ordered i|f|g|o: {@code i,f,o = sigmoid(.)},
 * {@code g = tanh(.)}, {@code c_t = f*c_{t-1} + i*g}, {@code h_t = o*tanh(c_t)}; with a projection of size {@code P}
 * (PyTorch's {@code proj_size}, Sak et al. 2014, "Long Short-Term Memory Recurrent Neural Network Architectures for
 * Large Scale Acoustic Modeling"), {@code h_t = (o*tanh(c_t)) W_hr}, which the engine applies.
 */
public final class LstmCell extends Cell {

    // double-only:begin
    private final int projection;
    private final LstmCellF floats;

    /** The plain LSTM. */
    public LstmCell() {
        this(0);
    }

    /**
     * @param projection {@code P}, the size of the projected state and output; 0 for none
     * @throws IllegalArgumentException for a negative size
     */
    public LstmCell(int projection) {
        if (projection < 0) {
            throw new IllegalArgumentException("projection size must be 0 (none) or positive, got " + projection);
        }
        this.projection = projection;
        this.floats = new LstmCellF();
    }

    @Override
    public String name() {
        return projection > 0 ? "LSTM with projection " + projection : "LSTM";
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
        return "LSTM";
    }

    @Override
    public String kind() {
        return projection > 0 ? "lstm-projection" : "lstm";
    }

    @Override
    public CellF floats() {
        return floats;
    }
    // double-only:end

    @Override
    public void forward(GateMath math, double[][] z, double[][] zr, double[][] rb, double[] hPrev, double[] cPrev,
                        double[] hOut, double[] cOut, int from, int to) {
        double[] gi = z[0];
        double[] gf = z[1];
        double[] gg = z[2];
        double[] go = z[3];
        math.sigmoid(gi, from, to);
        math.sigmoid(gf, from, to);
        math.tanh(gg, from, to);
        math.sigmoid(go, from, to);
        for (int k = from; k < to; k++) {
            double c = gf[k] * cPrev[k] + gi[k] * gg[k];
            cOut[k] = c;
            hOut[k] = c;
        }
        math.tanh(hOut, from, to);   // tanh(c_t)
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
        math.tanh(c, from, to);   // c becomes tanh(c_t)
        // three loops of few arrays each: C2 vectorises these, not one loop over all thirteen (11 against 2.7 us a
        // step at batch 32, hidden 128, float)
        for (int k = from; k < to; k++) {
            double og = go[k];
            double tc = c[k];
            double dht = dh[k];
            dout[k] = dht * tc * og * (1.0 - og);
            dc[k] = dc[k] + dht * og * (1.0 - tc * tc);   // dc_t in full
        }
        for (int k = from; k < to; k++) {
            double i = gi[k];
            double g = gg[k];
            double dct = dc[k];
            di[k] = dct * g * i * (1.0 - i);
            dg[k] = dct * i * (1.0 - g * g);
        }
        for (int k = from; k < to; k++) {
            double f = gf[k];
            double dct = dc[k];
            df[k] = dct * cPrev[k] * f * (1.0 - f);
            dc[k] = dct * f;
        }
        java.util.Arrays.fill(dh, from, to, 0.0);   // h_{t-1} reaches h_t only through the recurrent product
    }
}
