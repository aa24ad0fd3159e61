package org.recurrent4j.cuda;

/**
 * The cells' math written out plainly in double precision, with no ND4J and no BLAS: the reference the GPU kernels
 * are checked against where only a Java runtime is at hand ({@link GpuCheck}). Its tests hold it equal to the CPU
 * kernels, which equal PyTorch. Same layouts and conventions as {@link GpuRecurrent}.
 */
public final class ReferenceCell {

    /** Output of {@link #forward}: {@code y [T*B, H]} and the final state(s) {@code [B*H]}. */
    public record Output(double[] y, double[][] finalState) {
    }

    /** Gradients of {@link #backward}, shaped as {@link CellWeights}; {@code b}/{@code rb} null where absent. */
    public record Gradients(double[] w, double[] rw, double[] b, double[] rb, double[] dx) {
    }

    private final Cell cell;
    // the last forward pass
    private CellWeights wts;
    private float[] x;
    private float[] mask;
    private int steps;
    private int batch;
    /** Activated gates per step, [T][B*G*H]; GRU: r|z|n. */
    private double[][] gates;
    /** h and c before step t at index t, [T+1][B*H]. */
    private double[][] hs;
    private double[][] cs;
    /** GRU: h_{t-1} R_n + rb (reset-after) or (r*h_{t-1}) R_n + rb (reset-before), [T][B*H]. */
    private double[][] hn;
    /** GRU reset-before: r*h_{t-1}, [T][B*H]. */
    private double[][] rh;

    public ReferenceCell(Cell cell) {
        this.cell = cell;
    }

    public Output forward(CellWeights w, float[] x, int steps, int batch, float[] mask, float[][] initial) {
        int h = w.hidden();
        int g = cell.gates;
        int width = g * h;
        this.wts = w;
        this.x = x;
        this.mask = mask;
        this.steps = steps;
        this.batch = batch;
        gates = new double[steps][batch * width];
        hs = new double[steps + 1][batch * h];
        cs = cell == Cell.LSTM ? new double[steps + 1][batch * h] : null;
        hn = new double[steps][batch * h];
        rh = new double[steps][batch * h];
        if (initial != null) {
            for (int s = 0; s < cell.states; s++) {
                double[] to = s == 0 ? hs[0] : cs[0];
                for (int i = 0; i < to.length; i++) {
                    to[i] = initial[s][i];
                }
            }
        }
        double[] y = new double[steps * batch * h];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int o = b * h;
                if (!live(t, b)) {
                    System.arraycopy(hs[t], o, hs[t + 1], o, h);
                    if (cs != null) {
                        System.arraycopy(cs[t], o, cs[t + 1], o, h);
                    }
                    continue;
                }
                double[] zx = new double[width];   // x_t W + b
                double[] zh = new double[width];   // h_{t-1} R
                for (int j = 0; j < width; j++) {
                    double s = w.b() == null ? 0.0 : w.b()[j];
                    for (int k = 0; k < w.nIn(); k++) {
                        s += x[(t * batch + b) * w.nIn() + k] * (double) w.w()[k * width + j];
                    }
                    zx[j] = s;
                    double r = 0.0;
                    for (int k = 0; k < h; k++) {
                        r += hs[t][o + k] * w.rw()[k * width + j];
                    }
                    zh[j] = r;
                }
                double[] a = gates[t];
                int ao = b * width;
                for (int j = 0; j < h; j++) {
                    double hPrev = hs[t][o + j];
                    double out;
                    switch (cell) {
                        case RNN_TANH -> out = Math.tanh(zx[j] + zh[j]);
                        case RNN_RELU -> out = Math.max(0.0, zx[j] + zh[j]);
                        case RNN_IDENTITY -> out = zx[j] + zh[j];
                        case LSTM -> {
                            double i = sigmoid(zx[j] + zh[j]);
                            double f = sigmoid(zx[h + j] + zh[h + j]);
                            double gg = Math.tanh(zx[2 * h + j] + zh[2 * h + j]);
                            double og = sigmoid(zx[3 * h + j] + zh[3 * h + j]);
                            double c = f * cs[t][o + j] + i * gg;
                            cs[t + 1][o + j] = c;
                            a[ao + j] = i;
                            a[ao + h + j] = f;
                            a[ao + 2 * h + j] = gg;
                            a[ao + 3 * h + j] = og;
                            out = og * Math.tanh(c);
                        }
                        default -> out = Double.NaN;   // GRU below: its candidate needs all of r first
                    }
                    if (!cell.isGru()) {
                        if (cell.isRnn()) {
                            a[ao + j] = out;
                        }
                        hs[t + 1][o + j] = out;
                    }
                }
                if (cell.isGru()) {
                    gruStep(w, t, b, zx, zh);
                }
                System.arraycopy(hs[t + 1], o, y, (t * batch + b) * h, h);
            }
        }
        double[][] last = new double[cell.states][];
        last[0] = hs[steps].clone();
        if (cs != null) {
            last[1] = cs[steps].clone();
        }
        return new Output(y, last);
    }

    private void gruStep(CellWeights w, int t, int b, double[] zx, double[] zh) {
        int h = w.hidden();
        int width = 3 * h;
        int o = b * h;
        double[] a = gates[t];
        int ao = b * width;
        double[] r = new double[h];
        for (int j = 0; j < h; j++) {
            r[j] = sigmoid(zx[j] + zh[j]);
            rh[t][o + j] = r[j] * hs[t][o + j];
        }
        for (int j = 0; j < h; j++) {
            double u = sigmoid(zx[h + j] + zh[h + j]);
            double rb = w.rb() == null ? 0.0 : w.rb()[j];
            double n;
            if (cell == Cell.GRU) {
                hn[t][o + j] = zh[2 * h + j] + rb;
                n = Math.tanh(zx[2 * h + j] + r[j] * hn[t][o + j]);
            } else {
                double s = rb;
                for (int k = 0; k < h; k++) {
                    s += rh[t][o + k] * w.rw()[k * width + 2 * h + j];
                }
                hn[t][o + j] = s;
                n = Math.tanh(zx[2 * h + j] + s);
            }
            a[ao + j] = r[j];
            a[ao + h + j] = u;
            a[ao + 2 * h + j] = n;
            hs[t + 1][o + j] = (1.0 - u) * n + u * hs[t][o + j];
        }
    }

    /** Backpropagates through the last forward pass; {@code backSteps > 0} truncates to the last steps. */
    public Gradients backward(float[] dY, int backSteps) {
        CellWeights w = wts;
        int h = w.hidden();
        int width = cell.gates * h;
        int nIn = w.nIn();
        int end = backSteps > 0 ? Math.max(0, steps - backSteps) : 0;
        double[] gw = new double[nIn * width];
        double[] grw = new double[h * width];
        double[] gb = new double[width];
        double[] grb = new double[h];
        double[] dx = new double[steps * batch * nIn];
        double[] dh = new double[batch * h];
        double[] dc = new double[batch * h];
        for (int t = steps - 1; t >= end; t--) {
            double[] dhPrev = new double[batch * h];
            for (int b = 0; b < batch; b++) {
                int o = b * h;
                if (!live(t, b)) {   // the state passed through unchanged, so does its gradient
                    System.arraycopy(dh, o, dhPrev, o, h);
                    continue;
                }
                double[] dzx = new double[width];   // gradient of x_t W + b
                double[] dzh = new double[width];   // gradient of the recurrent product's blocks
                double[] drh = new double[h];       // reset-before: gradient of r*h_{t-1}
                int ao = b * width;
                double[] a = gates[t];
                for (int j = 0; j < h; j++) {
                    double gy = dY[(t * batch + b) * h + j] + dh[o + j];
                    switch (cell) {
                        case RNN_TANH -> dzx[j] = gy * (1.0 - a[ao + j] * a[ao + j]);
                        case RNN_RELU -> dzx[j] = a[ao + j] > 0.0 ? gy : 0.0;
                        case RNN_IDENTITY -> dzx[j] = gy;
                        case LSTM -> {
                            double i = a[ao + j];
                            double f = a[ao + h + j];
                            double gg = a[ao + 2 * h + j];
                            double og = a[ao + 3 * h + j];
                            double tc = Math.tanh(cs[t + 1][o + j]);
                            double dct = dc[o + j] + gy * og * (1.0 - tc * tc);
                            dzx[j] = dct * gg * i * (1.0 - i);
                            dzx[h + j] = dct * cs[t][o + j] * f * (1.0 - f);
                            dzx[2 * h + j] = dct * i * (1.0 - gg * gg);
                            dzx[3 * h + j] = gy * tc * og * (1.0 - og);
                            dc[o + j] = dct * f;
                        }
                        default -> {
                            double r = a[ao + j];
                            double u = a[ao + h + j];
                            double n = a[ao + 2 * h + j];
                            double dn = gy * (1.0 - u) * (1.0 - n * n);
                            dzx[h + j] = gy * (hs[t][o + j] - n) * u * (1.0 - u);
                            dzx[2 * h + j] = dn;
                            dhPrev[o + j] += gy * u;
                            if (cell == Cell.GRU) {
                                dzx[j] = dn * hn[t][o + j] * r * (1.0 - r);
                                dzh[2 * h + j] = dn * r;
                                grb[j] += dn * r;
                            } else {
                                dzh[2 * h + j] = dn;   // times (r*h) R_n: weights of the reset state
                                grb[j] += dn;
                            }
                        }
                    }
                }
                if (cell == Cell.GRU_RESET_BEFORE) {
                    for (int k = 0; k < h; k++) {
                        double s = 0.0;
                        for (int j = 0; j < h; j++) {
                            s += dzh[2 * h + j] * w.rw()[k * width + 2 * h + j];
                        }
                        drh[k] = s;
                    }
                    for (int j = 0; j < h; j++) {
                        double r = a[ao + j];
                        dzx[j] = drh[j] * hs[t][o + j] * r * (1.0 - r);
                        dhPrev[o + j] += drh[j] * r;
                    }
                }
                // r and z (and every Elman/LSTM block) enter x W and h R alike, so their gradients are the same
                System.arraycopy(dzx, 0, dzh, 0, cell.isGru() ? 2 * h : width);
                int row = t * batch + b;
                for (int j = 0; j < width; j++) {
                    gb[j] += dzx[j];
                    for (int k = 0; k < nIn; k++) {
                        gw[k * width + j] += x[row * nIn + k] * dzx[j];
                        dx[row * nIn + k] += dzx[j] * w.w()[k * width + j];
                    }
                }
                // the recurrent weights: blocks r|z (and the Elman/LSTM blocks) multiply h_{t-1}; the GRU candidate
                // block multiplies h_{t-1} (reset-after) or r*h_{t-1} (reset-before)
                for (int j = 0; j < width; j++) {
                    boolean resetState = cell == Cell.GRU_RESET_BEFORE && j >= 2 * h;
                    for (int k = 0; k < h; k++) {
                        double in = resetState ? rh[t][o + k] : hs[t][o + k];
                        grw[k * width + j] += in * dzh[j];
                        if (!resetState) {
                            dhPrev[o + k] += dzh[j] * w.rw()[k * width + j];
                        }
                    }
                }
            }
            dh = dhPrev;
        }
        return new Gradients(gw, grw, w.b() == null ? null : gb,
                cell.hasRecurrentBias() && w.rb() != null ? grb : null, dx);
    }

    private boolean live(int t, int b) {
        return mask == null || mask[t * batch + b] != 0.0f;
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
