package org.recurrent4j.kernels;

/**
 * LSTM as PyTorch defines it, gate blocks ordered i|f|g|o: {@code i,f,o = sigmoid(.)}, {@code g = tanh(.)},
 * {@code c_t = f*c_{t-1} + i*g}, {@code h_t = o*tanh(c_t)}.
 */
public final class LstmKernel extends StepKernel {

    // double-only:begin
    private final LstmKernelF floats = new LstmKernelF();

    @Override
    StepKernelF floats() {
        return floats;
    }
    // double-only:end

    @Override
    public int gates() {
        return 4;
    }

    @Override
    public int states() {
        return 2;
    }

    @Override
    void cellForward(GateMath math, double[] z, double[] hPrev, double[] cPrev, double[] hOut, double[] cOut,
                     double[] y, Sequence in, int t, int hidden, int b0, int b1) {
        int width = 4 * hidden;
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            if (!in.live(t, b)) {
                System.arraycopy(hPrev, o, hOut, o, hidden);
                System.arraycopy(cPrev, o, cOut, o, hidden);
                java.util.Arrays.fill(y, o, o + hidden, 0.0);
                continue;
            }
            int zi = b * width;
            int zf = zi + hidden;
            int zg = zf + hidden;
            int zo = zg + hidden;
            math.sigmoid(z, zi, zg);
            math.tanh(z, zg, zo);
            math.sigmoid(z, zo, zo + hidden);
            for (int j = 0; j < hidden; j++) {
                double c = z[zf + j] * cPrev[o + j] + z[zi + j] * z[zg + j];
                cOut[o + j] = c;
                hOut[o + j] = c;
            }
            math.tanh(hOut, o, o + hidden);
            for (int j = 0; j < hidden; j++) {
                double h = z[zo + j] * hOut[o + j];
                hOut[o + j] = h;
                y[o + j] = h;
            }
        }
    }

    @Override
    void cellBackward(GateMath math, double[] z, double[] cPrev, double[] c, double[] dy, double[] dh, double[] dc,
                      double[] dz, Sequence in, int t, int hidden, int b0, int b1) {
        int width = 4 * hidden;
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            int zi = b * width;
            if (!in.live(t, b)) {
                java.util.Arrays.fill(dz, zi, zi + width, 0.0);
                continue;   // dh and dc pass to step t-1 unchanged
            }
            int zf = zi + hidden;
            int zg = zf + hidden;
            int zo = zg + hidden;
            math.tanh(c, o, o + hidden);   // c becomes tanh(c_t)
            for (int j = 0; j < hidden; j++) {
                double i = z[zi + j];
                double f = z[zf + j];
                double g = z[zg + j];
                double og = z[zo + j];
                double tc = c[o + j];
                double dht = dy[o + j] + dh[o + j];
                double dct = dc[o + j] + dht * og * (1.0 - tc * tc);
                dz[zi + j] = dct * g * i * (1.0 - i);
                dz[zf + j] = dct * cPrev[o + j] * f * (1.0 - f);
                dz[zg + j] = dct * i * (1.0 - g * g);
                dz[zo + j] = dht * tc * og * (1.0 - og);
                dc[o + j] = dct * f;
                dh[o + j] = 0.0;
            }
        }
    }
}
