package org.recurrent4j.cuda;

import org.recurrent4j.compute.GateMath;

/**
 * A plain, unfused reference of a layer's forward and backward pass in double precision, with no ND4J and no BLAS: the
 * reference the GPU kernels are checked against where only a Java runtime is at hand ({@link GpuCheck}). The step
 * arithmetic is the cell's own declaration ({@code org.recurrent4j.cells}, exact {@code Math.exp} gates), which the
 * core's tests hold equal to PyTorch; everything around it (the matrix products one element at a time, the time loop,
 * masks, truncated BPTT, the weight gradients) is written out here independently of the CPU engine, so that the
 * CUDA kernels are checked against numbers that share no loop, GEMM or buffer code with either. Same layouts and
 * conventions as {@link GpuRecurrent}.
 */
public final class ReferenceCell {

    /** Output of {@link #forward}: {@code y [T*B, H]} and the final state(s) {@code [B*H]}. */
    public record Output(double[] y, double[][] finalState) {
    }

    /** Gradients of {@link #backward}, shaped as {@link CellWeights}; {@code b}/{@code rb} null where absent. */
    public record Gradients(double[] w, double[] rw, double[] b, double[] rb, double[] dx) {
    }

    private static final GateMath MATH = GateMath.EXACT;

    private final Cell cell;
    private final org.recurrent4j.cells.Cell declared;
    private final int separate;
    private final boolean gatedProduct;
    // the last forward pass
    private CellWeights wts;
    private float[] x;
    private float[] mask;
    private int steps;
    private int batch;
    /** Per step, the gate blocks as the cell's forward left them, [T][G][B*H]. */
    private double[][][] gates;
    /** Per step, the separate blocks' recurrent terms as the cell left them, [T][S][B*H]. */
    private double[][][] separateTerms;
    /** Per step, the gated state of a gated-product cell, [T][B*H]. */
    private double[][] gatedStates;
    /** h and c before step t at index t, [T+1][B*H]. */
    private double[][] hs;
    private double[][] cs;

    public ReferenceCell(Cell cell) {
        this.cell = cell;
        this.declared = cell.declared();
        this.separate = declared.separateBlocks();
        this.gatedProduct = declared.gatedProduct();
    }

    public Output forward(CellWeights w, float[] x, int steps, int batch, float[] mask, float[][] initial) {
        int h = w.hidden();
        int g = cell.gates;
        int width = g * h;
        int joined = (g - separate) * h;
        int n = batch * h;
        this.wts = w;
        this.x = x;
        this.mask = mask;
        this.steps = steps;
        this.batch = batch;
        gates = new double[steps][][];
        separateTerms = new double[steps][][];
        gatedStates = new double[steps][];
        hs = new double[steps + 1][n];
        cs = cell.states == 2 ? new double[steps + 1][n] : null;
        if (initial != null) {
            for (int s = 0; s < cell.states; s++) {
                double[] to = s == 0 ? hs[0] : cs[0];
                for (int i = 0; i < to.length; i++) {
                    to[i] = initial[s][i];
                }
            }
        }
        double[][] rb = new double[separate][n];
        for (int s = 0; s < separate; s++) {
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < h; j++) {
                    rb[s][b * h + j] = w.rb() == null ? 0.0 : w.rb()[s * h + j];
                }
            }
        }
        double[] y = new double[steps * n];
        for (int t = 0; t < steps; t++) {
            double[] hPrev = hs[t];
            double[][] z = new double[g][n];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < width; j++) {
                    double s = w.b() == null ? 0.0 : w.b()[j];
                    for (int k = 0; k < w.nIn(); k++) {
                        s += x[(t * batch + b) * w.nIn() + k] * (double) w.w()[k * width + j];
                    }
                    if (j < joined) {
                        for (int k = 0; k < h; k++) {
                            s += hPrev[b * h + k] * w.rw()[k * width + j];
                        }
                    }
                    z[j / h][b * h + j % h] = s;
                }
            }
            double[][] zr = new double[separate][n];
            if (separate > 0) {
                double[] product = hPrev;
                if (gatedProduct) {
                    gatedStates[t] = new double[n];
                    declared.gatedState(MATH, z, hPrev, gatedStates[t], 0, n);
                    product = gatedStates[t];
                }
                for (int b = 0; b < batch; b++) {
                    for (int j = joined; j < width; j++) {
                        double s = 0.0;
                        for (int k = 0; k < h; k++) {
                            s += product[b * h + k] * w.rw()[k * width + j];
                        }
                        zr[(j - joined) / h][b * h + j % h] = s;
                    }
                }
            }
            double[] c = cs == null ? null : cs[t + 1];
            declared.forward(MATH, z, zr, rb, hPrev, cs == null ? null : cs[t], hs[t + 1], c, 0, n);
            gates[t] = z;
            separateTerms[t] = zr;
            for (int b = 0; b < batch; b++) {
                if (!live(t, b)) {   // a padded step keeps the state and outputs 0
                    System.arraycopy(hPrev, b * h, hs[t + 1], b * h, h);
                    if (cs != null) {
                        System.arraycopy(cs[t], b * h, cs[t + 1], b * h, h);
                    }
                } else {
                    System.arraycopy(hs[t + 1], b * h, y, (t * batch + b) * h, h);
                }
            }
        }
        double[][] last = new double[cell.states][];
        last[0] = hs[steps].clone();
        if (cs != null) {
            last[1] = cs[steps].clone();
        }
        return new Output(y, last);
    }

    /** Backpropagates through the last forward pass; {@code backSteps > 0} truncates to the last steps. */
    public Gradients backward(float[] dY, int backSteps) {
        CellWeights w = wts;
        int h = w.hidden();
        int g = cell.gates;
        int width = g * h;
        int joined = (g - separate) * h;
        int nIn = w.nIn();
        int n = batch * h;
        int end = backSteps > 0 ? Math.max(0, steps - backSteps) : 0;
        double[] gw = new double[nIn * width];
        double[] grw = new double[h * width];
        double[] gb = new double[width];
        double[] grb = new double[separate * h];
        double[] dx = new double[steps * batch * nIn];
        double[] dh = new double[n];   // reaching h_t from later steps
        double[] dc = new double[n];
        for (int t = steps - 1; t >= end; t--) {
            double[] kept = dh.clone();
            double[] keptC = dc.clone();
            double[] total = new double[n];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < h; j++) {
                    int i = b * h + j;
                    total[i] = live(t, b) ? dY[(t * batch + b) * h + j] + dh[i] : 0.0;
                }
            }
            double[][] z = copy(gates[t]);
            double[][] zr = copy(separateTerms[t]);
            double[] c = cs == null ? null : cs[t + 1].clone();
            double[][] dz = new double[g][n];
            double[][] dzr = new double[separate][n];
            declared.backward(MATH, z, zr, hs[t], cs == null ? null : cs[t], c, total, cs == null ? null : dc, dz, dzr,
                    0, n);
            if (gatedProduct) {
                double[] dGated = new double[n];
                for (int b = 0; b < batch; b++) {
                    for (int k = 0; k < h; k++) {
                        double s = 0.0;
                        for (int j = joined; j < width; j++) {
                            s += dzr[(j - joined) / h][b * h + j % h] * w.rw()[k * width + j];
                        }
                        dGated[b * h + k] = s;
                    }
                }
                declared.backwardGatedState(MATH, z, hs[t], dGated, total, dz, 0, n);
            }
            double[] dhPrev = total;   // the cell's direct path; the recurrent products add below
            for (int b = 0; b < batch; b++) {
                int o = b * h;
                if (!live(t, b)) {   // the state passed through unchanged, so does its gradient
                    System.arraycopy(kept, o, dhPrev, o, h);
                    System.arraycopy(keptC, o, dc, o, h);
                    continue;
                }
                int row = t * batch + b;
                for (int j = 0; j < width; j++) {
                    double d = dz[j / h][o + j % h];
                    gb[j] += d;
                    for (int k = 0; k < nIn; k++) {
                        gw[k * width + j] += x[row * nIn + k] * d;
                        dx[row * nIn + k] += d * w.w()[k * width + j];
                    }
                    boolean sep = j >= joined;
                    double dr = sep ? dzr[(j - joined) / h][o + j % h] : d;
                    if (sep) {
                        grb[j - joined] += dr;
                    }
                    for (int k = 0; k < h; k++) {
                        double in = sep && gatedProduct ? gatedStates[t][o + k] : hs[t][o + k];
                        grw[k * width + j] += in * dr;
                        if (!(sep && gatedProduct)) {
                            dhPrev[o + k] += dr * w.rw()[k * width + j];
                        }
                    }
                }
            }
            dh = dhPrev;
        }
        return new Gradients(gw, grw, w.b() == null ? null : gb, separate > 0 && w.rb() != null ? grb : null, dx);
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private boolean live(int t, int b) {
        return mask == null || mask[t * batch + b] != 0.0f;
    }
}
