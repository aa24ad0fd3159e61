package org.recurrent4j.kernels;

/**
 * LSTM as PyTorch defines it, gate blocks ordered i|f|g|o: {@code i,f,o = sigmoid(.)}, {@code g = tanh(.)},
 * {@code c_t = f*c_{t-1} + i*g}, {@code h_t = o*tanh(c_t)}.
 */
public final class LstmKernel extends StepKernel {

    @Override
    public int gates() {
        return 4;
    }

    @Override
    public int states() {
        return 2;
    }

    @Override
    void cellForward(double[] z, double[] hPrev, double[] cPrev, double[] hOut, double[] cOut, double[] y,
                     Sequence in, int t, int hidden, int b0, int b1) {
        int width = 4 * hidden;
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            if (!in.live(t, b)) {
                System.arraycopy(hPrev, o, hOut, o, hidden);
                System.arraycopy(cPrev, o, cOut, o, hidden);
                java.util.Arrays.fill(y, o, o + hidden, 0.0);
                continue;
            }
            int zo = b * width;
            for (int j = 0; j < hidden; j++) {
                double i = GateMath.sigmoid(z[zo + j]);
                double f = GateMath.sigmoid(z[zo + hidden + j]);
                double g = GateMath.tanh(z[zo + 2 * hidden + j]);
                double og = GateMath.sigmoid(z[zo + 3 * hidden + j]);
                double c = f * cPrev[o + j] + i * g;
                double h = og * GateMath.tanh(c);
                z[zo + j] = i;
                z[zo + hidden + j] = f;
                z[zo + 2 * hidden + j] = g;
                z[zo + 3 * hidden + j] = og;
                cOut[o + j] = c;
                hOut[o + j] = h;
                y[o + j] = h;
            }
        }
    }

    @Override
    void cellBackward(double[] z, double[] hPrev, double[] cPrev, double[] h, double[] c, double[] dy, double[] dh,
                      double[] dc, double[] dz, Sequence in, int t, int hidden, int b0, int b1) {
        int width = 4 * hidden;
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            int zo = b * width;
            if (!in.live(t, b)) {
                java.util.Arrays.fill(dz, zo, zo + width, 0.0);
                continue;   // dh and dc pass to step t-1 unchanged
            }
            for (int j = 0; j < hidden; j++) {
                double i = z[zo + j];
                double f = z[zo + hidden + j];
                double g = z[zo + 2 * hidden + j];
                double og = z[zo + 3 * hidden + j];
                double tc = GateMath.tanh(c[o + j]);
                double dht = dy[o + j] + dh[o + j];
                double dct = dc[o + j] + dht * og * (1.0 - tc * tc);
                dz[zo + j] = dct * g * i * (1.0 - i);
                dz[zo + hidden + j] = dct * cPrev[o + j] * f * (1.0 - f);
                dz[zo + 2 * hidden + j] = dct * i * (1.0 - g * g);
                dz[zo + 3 * hidden + j] = dht * tc * og * (1.0 - og);
                dc[o + j] = dct * f;
                dh[o + j] = 0.0;
            }
        }
    }
}
