package org.recurrent4j.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * GRU, gate blocks ordered r|z|n as in PyTorch. With {@code resetAfter} (PyTorch, cuDNN and Keras' default):
 * {@code n = tanh(x W_n + b_n + r*(h_{t-1} R_n + rb))}. Without it, the original formulation:
 * {@code n = tanh(x W_n + b_n + (r*h_{t-1}) R_n + rb)}, which needs a second recurrent GEMM per step.
 * Then {@code h_t = (1-z)*n + z*h_{t-1}}.
 */
public final class GruKernel implements RecurrentKernel {

    private final boolean resetAfter;
    private final Scratch scratch = new Scratch();

    // double-only:begin
    /** This kernel in float arithmetic, which runs the float networks: {@code GruKernelF} is generated from here. */
    private final GruKernelF floats;
    // double-only:end

    public GruKernel(boolean resetAfter) {
        this.resetAfter = resetAfter;
        // double-only:begin
        this.floats = new GruKernelF(resetAfter);
        // double-only:end
    }

    /** True for the reset-after form (PyTorch's), false for the original reset-before one. */
    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    public boolean concurrentOnHost() {
        return true;
    }

    @Override
    public int gates() {
        return 3;
    }

    @Override
    public int states() {
        return 1;
    }

    @Override
    public ForwardPass forward(RnnWeights w, Sequence in, INDArray[] initial, boolean keepForBackward) {
        // double-only:begin
        if (w.w().dataType() == DataType.FLOAT) {
            return floats.forward(w, in, initial, keepForBackward);
        }
        // double-only:end
        return Projection.around(scratch, "zx", w, in, 3,
                (zx, projection) -> forward(w, in, initial, keepForBackward, zx, projection));
    }

    private ForwardPass forward(RnnWeights w, Sequence in, INDArray[] initial, boolean keepForBackward, INDArray zx,
                                Projection projection) {
        int steps = in.steps();
        int batch = in.batch();
        int hidden = (int) w.hidden();
        int width = 3 * hidden;
        DataType dt = w.w().dataType();
        long rows = (long) steps * batch;
        Gemm gemm = Gemm.get();
        INDArray hs = Blocks.states(scratch, "hs", dt, steps, batch, hidden, initial == null ? null : initial[0]);
        INDArray y = scratch.get("y", dt, rows, hidden, Y_ORDER);
        // h_{t-1} R_rz adds straight onto the r|z blocks of zx; zhn holds the candidate's recurrent pre-activation,
        // h_{t-1} R_n (reset-after) or (r*h_{t-1}) R_n (reset-before), which r multiplies or which needs r first
        INDArray zhn = scratch.get("zhn", dt, rows, hidden);
        INDArray rh = resetAfter ? null : scratch.get("rh", dt, rows, hidden);
        Mat rw = Mat.of(w.rw());
        Mat rwRz = rw.cols(0, 2 * hidden);
        Mat rwN = rw.cols(2 * hidden, hidden);
        double[] rb = w.rb() == null ? new double[hidden] : Mem.values(w.rb());
        GateMath math = GateMath.of(dt);

        int n = batch * hidden;
        double[] rbt = tile(rb, scratch.array("rbt", batch * hidden));
        double[] zxt = scratch.array("zxt", batch * width);
        double[][] gates = StepKernel.gateArrays(scratch, "gate", zxt, 3, n);
        double[] znt = scratch.array("znt", n);
        double[] rht = scratch.array("rht", n);
        double[] hp = scratch.array("hp", n);
        double[] hn = scratch.array("hn", n);
        double[] yt = scratch.array("yt", n);
        Mem.read(hs, 0, hp, n);
        for (int t = 0; t < steps; t++) {
            long row = (long) t * batch;
            Mat hPrev = Mat.rows(hs, row, batch);
            projection.awaitStep(t);
            gemm.gemm(hPrev, false, rwRz, false, Mat.rows(zx, row, batch).cols(0, 2 * hidden), 1.0);
            Mem.read(zx, row * width, zxt, zxt.length);
            StepKernel.split(zxt, gates, batch, hidden);
            if (resetAfter) {
                gemm.gemm(hPrev, false, rwN, false, Mat.rows(zhn, row, batch), 0.0);
            } else {
                double[] hpr = hp;
                int step = t;
                Parallel.rows(batch, width, (b0, b1) -> resetState(math, gates, hpr, rht, in, step, hidden, b0, b1));
                Mem.write(rh, row * hidden, rht, n);
                gemm.gemm(Mat.rows(rh, row, batch), false, rwN, false, Mat.rows(zhn, row, batch), 0.0);
            }
            Mem.read(zhn, row * hidden, znt, n);
            double[] hpf = hp;
            double[] hnf = hn;
            int step = t;
            Parallel.rows(batch, width,
                    (b0, b1) -> cellForward(math, gates, znt, rbt, hpf, hnf, yt, in, step, hidden, b0, b1));
            if (keepForBackward) {   // the activated gates and the candidate's recurrent term, for backward only
                StepKernel.join(gates, zxt, batch, hidden);
                Mem.write(zx, row * width, zxt, zxt.length);
                Mem.write(zhn, row * hidden, znt, n);
            }
            Mem.write(hs, (row + batch) * hidden, hn, n);
            Mem.writeRows(y, row, batch, yt);
            double[] swap = hp;
            hp = hn;
            hn = swap;
        }
        return new ForwardPass(in, hidden, zx, hs, null, y, zhn, rh);
    }

    /** {@code t} filled with copies of {@code v}: a bias laid out as the states are, so loops index both alike. */
    private static double[] tile(double[] v, double[] t) {
        for (int o = 0; o < t.length; o += v.length) {
            System.arraycopy(v, 0, t, o, v.length);
        }
        return t;
    }

    /**
     * Reset-before, first half of a step: r and z activated in their gate arrays (which hold their whole
     * pre-activations), and r*h_{t-1} (0 on padded rows) for the second GEMM.
     */
    private static void resetState(GateMath math, double[][] zx, double[] hPrev, double[] rh, Sequence in, int t,
                                   int hidden, int b0, int b1) {
        double[] gr = zx[0];
        math.sigmoid(gr, b0 * hidden, b1 * hidden);
        math.sigmoid(zx[1], b0 * hidden, b1 * hidden);
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            if (!in.live(t, b)) {
                java.util.Arrays.fill(rh, o, o + hidden, 0.0);
                continue;
            }
            for (int k = o; k < o + hidden; k++) {
                rh[k] = gr[k] * hPrev[k];
            }
        }
    }

    /**
     * The gate arithmetic of a step, rows {@code [b0, b1)}. {@code zx} holds the pre-activations of r, z and n, one
     * array each ({@link StepKernel#cellForward} says why), the recurrent terms of r and z included; {@code zn} the
     * candidate's recurrent term; {@code rb} the recurrent bias, tiled. On exit {@code zx} holds r, z and n activated
     * and {@code zn} that term plus the recurrent bias. Reset-before: r and z come activated from
     * {@link #resetState}. Padded rows are computed too, and then copy the state and output 0.
     */
    private void cellForward(GateMath math, double[][] zx, double[] zn, double[] rb, double[] hPrev, double[] hOut,
                             double[] y, Sequence in, int t, int hidden, int b0, int b1) {
        double[] gr = zx[0];
        double[] gu = zx[1];
        double[] gn = zx[2];
        int from = b0 * hidden;
        int to = b1 * hidden;
        if (resetAfter) {
            math.sigmoid(gr, from, to);
            math.sigmoid(gu, from, to);
            for (int k = from; k < to; k++) {
                double hnv = zn[k] + rb[k];
                zn[k] = hnv;
                gn[k] += gr[k] * hnv;
            }
        } else {
            for (int k = from; k < to; k++) {
                double hnv = zn[k] + rb[k];
                zn[k] = hnv;
                gn[k] += hnv;
            }
        }
        math.tanh(gn, from, to);
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            if (!in.live(t, b)) {
                StepKernel.padded(hPrev, hOut, y, o, hidden);
                continue;
            }
            for (int k = o; k < o + hidden; k++) {
                double u = gu[k];
                double h = (1.0 - u) * gn[k] + u * hPrev[k];
                hOut[k] = h;
                y[k] = h;
            }
        }
    }

    @Override
    public void backward(ForwardPass pass, INDArray dY, int backSteps, RnnWeights w, RnnWeights grads, INDArray dX) {
        // double-only:begin
        if (w.w().dataType() == DataType.FLOAT) {
            floats.backward(pass, dY, backSteps, w, grads, dX);
            return;
        }
        // double-only:end
        int steps = pass.in.steps();
        int batch = pass.in.batch();
        int hidden = pass.hidden;
        int width = 3 * hidden;
        DataType dt = w.w().dataType();
        int end = backSteps > 0 ? Math.max(0, steps - backSteps) : 0;
        // dZx: the gradients of all three pre-activations, which for r and z are also those of their recurrent
        // terms; dZn: that of the candidate's recurrent term
        INDArray dZx = Blocks.gradients(scratch, "dZx", dt, steps, batch, width, end);
        INDArray dZn = Blocks.gradients(scratch, "dZn", dt, steps, batch, hidden, end);
        double[] db = scratch.zeroedArray("db", width);
        double[] drb = scratch.zeroedArray("drb", hidden);
        INDArray dRh = resetAfter ? null : scratch.get("dRh", dt, batch, hidden);
        INDArray dh = scratch.zeros("dh", dt, batch, hidden);
        Gemm gemm = Gemm.get();
        Mat rw = Mat.of(w.rw());
        Mat rwRz = rw.cols(0, 2 * hidden);
        Mat rwN = rw.cols(2 * hidden, hidden);
        SideLane lane = new SideLane(gemm);
        BlockGradients blocks = new BlockGradients(lane, steps, batch, end,
                (row, count, first) -> Gemm.get().gemm(Mat.rows(pass.in.x(), row, count), true,
                        Mat.rows(dZx, row, count), false, Mat.of(grads.w()), first ? 0.0 : 1.0),
                (row, count, first) -> recurrentWeightGradients(pass, dZx, dZn, grads, row, count, first),
                (row, count) -> Gemm.get().gemm(Mat.rows(dZx, row, count), false, Mat.of(w.w()), true,
                        Mat.rows(dX, row, count), 0.0));
        try {
            recur(pass, dY, end, rwRz, rwN, dZx, dZn, dRh, dh, db, drb, blocks);
            blocks.finish();
        } finally {
            lane.settle();
        }
        if (grads.b() != null) {
            Blocks.assign(grads.b(), db);
        }
        if (grads.rb() != null) {
            Blocks.assign(grads.rb(), drb);
        }
    }

    /** The recurrence of backward, from the last step down to step {@code end}: dZx, dZn, the bias gradients. */
    private void recur(ForwardPass pass, INDArray dY, int end, Mat rwRz, Mat rwN, INDArray dZx, INDArray dZn,
                       INDArray dRh, INDArray dh, double[] db, double[] drb, BlockGradients blocks) {
        Sequence in = pass.in;
        int steps = in.steps();
        int batch = in.batch();
        int hidden = pass.hidden;
        int width = 3 * hidden;
        int n = batch * hidden;
        Gemm gemm = Gemm.get();
        Mat dhMat = Mat.of(dh);
        double[] zxt = scratch.array("zxt", batch * width);
        double[] dzx = scratch.array("dzx", batch * width);
        double[][] gates = StepKernel.gateArrays(scratch, "gate", zxt, 3, n);
        double[][] dgates = StepKernel.gateArrays(scratch, "dgate", dzx, 3, n);
        double[] znt = scratch.array("znt", n);
        double[] dzn = scratch.array("dzn", n);
        double[] drh = scratch.array("drh", n);
        double[] hp = scratch.array("hp", n);
        double[] dy = scratch.array("dy", n);
        double[] dhv = scratch.array("dhv", n);
        for (int t = steps - 1; t >= end; t--) {
            long row = (long) t * batch;
            int step = t;
            Mem.read(pass.z, row * width, zxt, zxt.length);
            StepKernel.split(zxt, gates, batch, hidden);
            Mem.read(pass.hs, row * hidden, hp, n);
            Mem.readRows(dY, row, batch, dy);
            Mem.read(dh, 0, dhv, n);
            if (resetAfter) {
                Mem.read(pass.zhn, row * hidden, znt, n);
                Parallel.rows(batch, width, (b0, b1) -> backwardResetAfter(gates, znt, hp, dy, dhv, dgates, dzn, in,
                        step, hidden, b0, b1));
                Mem.write(dZn, row * hidden, dzn, n);
            } else {
                Parallel.rows(batch, width,
                        (b0, b1) -> backwardCandidate(gates, hp, dy, dhv, dgates, dzn, in, step, hidden, b0, b1));
                Mem.write(dZn, row * hidden, dzn, n);
                gemm.gemm(Mat.rows(dZn, row, batch), false, rwN, true, Mat.of(dRh), 0.0);
                Mem.read(dRh, 0, drh, n);
                Parallel.rows(batch, width,
                        (b0, b1) -> backwardReset(gates, hp, drh, dhv, dgates, in, step, hidden, b0, b1));
            }
            StepKernel.join(dgates, dzx, batch, hidden);
            Mem.write(dZx, row * width, dzx, dzx.length);
            Blocks.addColumnSums(dzx, batch, width, 0, db);
            Blocks.addColumnSums(dzn, batch, hidden, 0, drb);
            Mem.write(dh, 0, dhv, n);
            blocks.stepDone(t);
            if (t > end) {
                gemm.gemm(Mat.rows(dZx, row, batch).cols(0, 2 * hidden), false, rwRz, true, dhMat, 1.0);
                if (resetAfter) {
                    gemm.gemm(Mat.rows(dZn, row, batch), false, rwN, true, dhMat, 1.0);
                }
            }
        }

    }

    /**
     * Over rows {@code [row, row+rows)} of the pass: dR_rz (+)= H_{prev}^T dZx_rz; dR_n (+)= H_{prev}^T dZn, or
     * (r*H_{prev})^T dZn reset-before. The first block sets, later ones add. (dW (+)= x^T dZx and dX = dZx W^T are a
     * block's other tasks.)
     */
    private void recurrentWeightGradients(ForwardPass pass, INDArray dZx, INDArray dZn, RnnWeights grads, long row,
                                          int rows, boolean first) {
        int hidden = pass.hidden;
        double beta = first ? 0.0 : 1.0;
        Gemm gemm = Gemm.get();
        Mat dzx = Mat.rows(dZx, row, rows);
        Mat hPrev = Mat.rows(pass.hs, row, rows);
        Mat grw = Mat.of(grads.rw());
        gemm.gemm(hPrev, true, dzx.cols(0, 2 * hidden), false, grw.cols(0, 2 * hidden), beta);
        gemm.gemm(resetAfter ? hPrev : Mat.rows(pass.rh, row, rows), true, Mat.rows(dZn, row, rows), false,
                grw.cols(2 * hidden, hidden), beta);
    }

    private static void backwardResetAfter(double[][] zx, double[] zn, double[] hPrev, double[] dy, double[] dh,
                                           double[][] dzx, double[] dzn, Sequence in, int t, int hidden, int b0,
                                           int b1) {
        double[] gr = zx[0];
        double[] gu = zx[1];
        double[] gn = zx[2];
        double[] dr = dzx[0];
        double[] du = dzx[1];
        double[] dn = dzx[2];
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            if (!in.live(t, b)) {
                StepKernel.zeroRow(dzx, o, hidden);
                java.util.Arrays.fill(dzn, o, o + hidden, 0.0);
                continue;
            }
            for (int k = o; k < o + hidden; k++) {
                double u = gu[k];
                double nv = gn[k];
                double g = dy[k] + dh[k];
                dn[k] = g * (1.0 - u) * (1.0 - nv * nv);
                du[k] = g * (hPrev[k] - nv) * u * (1.0 - u);
                dh[k] = g * u;
            }
            for (int k = o; k < o + hidden; k++) {
                double r = gr[k];
                double d = dn[k];
                dr[k] = d * zn[k] * r * (1.0 - r);
                dzn[k] = d * r;
            }
        }
    }

    /** Reset-before, first half: the candidate's and update gate's gradients; dh left holding g = dL/dh_t. */
    private static void backwardCandidate(double[][] zx, double[] hPrev, double[] dy, double[] dh, double[][] dzx,
                                          double[] dzn, Sequence in, int t, int hidden, int b0, int b1) {
        double[] gu = zx[1];
        double[] gn = zx[2];
        double[] du = dzx[1];
        double[] dn = dzx[2];
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            if (!in.live(t, b)) {
                java.util.Arrays.fill(dzn, o, o + hidden, 0.0);
                continue;
            }
            for (int k = o; k < o + hidden; k++) {
                double u = gu[k];
                double nv = gn[k];
                double g = dy[k] + dh[k];
                double d = g * (1.0 - u) * (1.0 - nv * nv);
                du[k] = g * (hPrev[k] - nv) * u * (1.0 - u);
                dn[k] = d;
                dzn[k] = d;
                dh[k] = g;
            }
        }
    }

    /** Reset-before, second half: with {@code drh = dL/d(r*h_{t-1})}, the reset gate and the direct path to h. */
    private static void backwardReset(double[][] zx, double[] hPrev, double[] drh, double[] dh, double[][] dzx,
                                      Sequence in, int t, int hidden, int b0, int b1) {
        double[] gr = zx[0];
        double[] gu = zx[1];
        double[] dr = dzx[0];
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            if (!in.live(t, b)) {
                StepKernel.zeroRow(dzx, o, hidden);
                continue;   // dh passes to h_{t-1} unchanged
            }
            for (int k = o; k < o + hidden; k++) {
                double r = gr[k];
                dr[k] = drh[k] * hPrev[k] * r * (1.0 - r);
                dh[k] = dh[k] * gu[k] + drh[k] * r;
            }
        }
    }
}
