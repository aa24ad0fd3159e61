package org.recurrent4j.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The loop shared by cells whose recurrent product adds straight onto the projected input (Elman, LSTM):
 * {@code z_t = x_t W + b + h_{t-1} R}, then the cell's gate arithmetic. Subclasses supply only that arithmetic, one
 * step of the whole batch at a time, on Java scratch arrays.
 */
abstract class StepKernel implements RecurrentKernel {

    private final Scratch scratch = new Scratch();

    // double-only:begin
    /** This kernel in float arithmetic, which runs the float networks: {@code StepKernelF} is generated from here. */
    abstract StepKernelF floats();
    // double-only:end

    /**
     * Gate arithmetic of one step, rows {@code [b0, b1)}. {@code z[g]} holds gate block g's pre-activations,
     * {@code [B, H]}, and is overwritten with whatever {@link #cellBackward} needs (usually the activated gates);
     * {@code cPrev}/{@code cOut} are null for cells without a cell state. Padded rows copy the state and output 0.
     *
     * <p>Each gate block has an array of its own, laid out as the states are, so every loop of the arithmetic indexes
     * all its arrays with one index: C2 vectorises such loops, and not those that read one array at two offsets (an
     * LSTM step's arithmetic on the interleaved {@code [B, 4H]} rows took 28 us forward and 22 us backward at batch
     * 32, hidden 128).
     */
    abstract void cellForward(GateMath math, double[][] z, double[] hPrev, double[] cPrev, double[] hOut,
                              double[] cOut, double[] y, Sequence in, int t, int hidden, int b0, int b1);

    /**
     * Gradient of one step. On entry {@code dh} is the gradient reaching {@code h_t} from later steps and {@code dc}
     * that reaching {@code c_t}; on exit {@code dz} holds the pre-activation gradients, {@code dh} the part of the
     * gradient of {@code h_{t-1}} that does not pass through the recurrent weights, and {@code dc} that of
     * {@code c_{t-1}}. {@code c} is scratch: the caller reads it afresh for every step. {@code z} and {@code dz} are
     * per gate block, as in {@link #cellForward}.
     */
    abstract void cellBackward(GateMath math, double[][] z, double[] cPrev, double[] c, double[] dy, double[] dh,
                               double[] dc, double[][] dz, Sequence in, int t, int hidden, int b0, int b1);

    @Override
    public boolean concurrentOnHost() {
        return true;
    }

    private double[][] gateArrays(String name, double[] whole, int n) {
        return gateArrays(scratch, name, whole, gates(), n);
    }

    /**
     * {@code g} per-gate arrays of {@code n} elements named {@code name}; with one gate, {@code whole} itself, which
     * then needs no splitting.
     */
    static double[][] gateArrays(Scratch scratch, String name, double[] whole, int g, int n) {
        if (g == 1) {
            return new double[][]{whole};
        }
        double[][] a = new double[g][];
        for (int k = 0; k < g; k++) {
            a[k] = scratch.array(name + k, n);
        }
        return a;
    }

    /** The rows {@code [B, G*H]} of {@code whole} into the gate arrays ({@link #gateArrays}). */
    static void split(double[] whole, double[][] gates, int batch, int hidden) {
        int g = gates.length;
        if (g == 1) {
            return;
        }
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < g; k++) {
                System.arraycopy(whole, (b * g + k) * hidden, gates[k], b * hidden, hidden);
            }
        }
    }

    /** A padded row {@code [o, o+hidden)} of a step: the state stays as it was, the output is 0. */
    static void padded(double[] hPrev, double[] hOut, double[] y, int o, int hidden) {
        System.arraycopy(hPrev, o, hOut, o, hidden);
        java.util.Arrays.fill(y, o, o + hidden, 0.0);
    }

    /** Row {@code [o, o+hidden)} of every gate array set to 0: a padded row's gate gradients. */
    static void zeroRow(double[][] gates, int o, int hidden) {
        for (double[] g : gates) {
            java.util.Arrays.fill(g, o, o + hidden, 0.0);
        }
    }

    /** The inverse of {@link #split}. */
    static void join(double[][] gates, double[] whole, int batch, int hidden) {
        int g = gates.length;
        if (g == 1) {
            return;
        }
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < g; k++) {
                System.arraycopy(gates[k], b * hidden, whole, (b * g + k) * hidden, hidden);
            }
        }
    }

    @Override
    public ForwardPass forward(RnnWeights w, Sequence in, INDArray[] initial, boolean keepForBackward) {
        // double-only:begin
        if (w.w().dataType() == DataType.FLOAT) {
            return floats().forward(w, in, initial, keepForBackward);
        }
        // double-only:end
        return Projection.around(scratch, "z", w, in, gates(),
                (z, projection) -> forward(w, in, initial, keepForBackward, z, projection));
    }

    private ForwardPass forward(RnnWeights w, Sequence in, INDArray[] initial, boolean keepForBackward, INDArray z,
                                Projection projection) {
        int steps = in.steps();
        int batch = in.batch();
        int hidden = (int) w.hidden();
        int width = gates() * hidden;
        DataType dt = w.w().dataType();
        boolean cell = states() == 2;
        Gemm gemm = Gemm.get();
        GateMath math = GateMath.of(dt);
        Mat rw = Mat.of(w.rw());
        INDArray hs = Blocks.states(scratch, "hs", dt, steps, batch, hidden, initial == null ? null : initial[0]);
        INDArray cs = cell ? Blocks.states(scratch, "cs", dt, steps, batch, hidden, initial == null ? null : initial[1])
                : null;
        INDArray y = scratch.get("y", dt, (long) steps * batch, hidden, Y_ORDER);

        int n = batch * hidden;
        double[] zt = scratch.array("zt", batch * width);
        double[][] gates = gateArrays("gate", zt, n);
        double[] hp = scratch.array("hp", n);
        double[] hn = scratch.array("hn", n);
        double[] cp = cell ? scratch.array("cp", n) : null;
        double[] cn = cell ? scratch.array("cn", n) : null;
        double[] yt = scratch.array("yt", n);
        Mem.read(hs, 0, hp, n);
        if (cell) {
            Mem.read(cs, 0, cp, n);
        }
        for (int t = 0; t < steps; t++) {
            long row = (long) t * batch;
            projection.awaitStep(t);
            gemm.gemm(Mat.rows(hs, row, batch), false, rw, false, Mat.rows(z, row, batch), 1.0);
            Mem.read(z, row * width, zt, zt.length);
            split(zt, gates, batch, hidden);
            double[] hpf = hp;
            double[] cpf = cp;
            double[] hnf = hn;
            double[] cnf = cn;
            int step = t;
            Parallel.rows(batch, width,
                    (b0, b1) -> cellForward(math, gates, hpf, cpf, hnf, cnf, yt, in, step, hidden, b0, b1));
            if (keepForBackward) {   // the activated gates, for backward only
                join(gates, zt, batch, hidden);
                Mem.write(z, row * width, zt, zt.length);
            }
            Mem.write(hs, (row + batch) * hidden, hn, n);
            Mem.writeRows(y, row, batch, yt);
            double[] swap = hp;
            hp = hn;
            hn = swap;
            if (cell) {
                if (keepForBackward || t == steps - 1) {   // inference needs only the final cell state
                    Mem.write(cs, (row + batch) * hidden, cn, n);
                }
                swap = cp;
                cp = cn;
                cn = swap;
            }
        }
        return new ForwardPass(in, hidden, z, hs, cs, y, null, null);
    }

    @Override
    public void backward(ForwardPass pass, INDArray dY, int backSteps, RnnWeights w, RnnWeights grads, INDArray dX) {
        // double-only:begin
        if (w.w().dataType() == DataType.FLOAT) {
            floats().backward(pass, dY, backSteps, w, grads, dX);
            return;
        }
        // double-only:end
        int steps = pass.in.steps();
        int batch = pass.in.batch();
        int hidden = pass.hidden;
        int width = gates() * hidden;
        DataType dt = w.w().dataType();
        Gemm gemm = Gemm.get();
        Mat rw = Mat.of(w.rw());
        int end = backSteps > 0 ? Math.max(0, steps - backSteps) : 0;
        INDArray dZ = Blocks.gradients(scratch, "dZ", dt, steps, batch, width, end);
        INDArray dh = scratch.zeros("dh", dt, batch, hidden);
        double[] db = scratch.zeroedArray("db", width);
        Mat dhMat = Mat.of(dh);
        SideLane lane = new SideLane(gemm);
        // over a block's rows: dW (+)= x^T dZ, dR (+)= H_{prev}^T dZ (the first block sets, later ones add), dX = dZ W^T
        BlockGradients blocks = new BlockGradients(lane, steps, batch, end,
                (row, rows, first) -> Gemm.get().gemm(Mat.rows(pass.in.x(), row, rows), true, Mat.rows(dZ, row, rows),
                        false, Mat.of(grads.w()), first ? 0.0 : 1.0),
                (row, rows, first) -> Gemm.get().gemm(Mat.rows(pass.hs, row, rows), true, Mat.rows(dZ, row, rows),
                        false, Mat.of(grads.rw()), first ? 0.0 : 1.0),
                (row, rows) -> Gemm.get().gemm(Mat.rows(dZ, row, rows), false, Mat.of(w.w()), true,
                        Mat.rows(dX, row, rows), 0.0));
        try {
            recur(pass, dY, end, rw, dZ, dh, dhMat, db, blocks);
            blocks.finish();
        } finally {
            lane.settle();
        }
        if (grads.b() != null) {
            Blocks.assign(grads.b(), db);
        }
    }

    /** The recurrence of backward, from the last step down to step {@code end}: dZ, db and the blocks' GEMMs. */
    private void recur(ForwardPass pass, INDArray dY, int end, Mat rw, INDArray dZ, INDArray dh, Mat dhMat,
                       double[] db, BlockGradients blocks) {
        Sequence in = pass.in;
        int steps = in.steps();
        int batch = in.batch();
        int hidden = pass.hidden;
        int width = gates() * hidden;
        boolean cell = states() == 2;
        int n = batch * hidden;
        Gemm gemm = Gemm.get();
        GateMath math = GateMath.of(dZ.dataType());
        double[] zt = scratch.array("zt", batch * width);
        double[] dz = scratch.array("dz", batch * width);
        double[][] gates = gateArrays("gate", zt, n);
        double[][] dgates = gateArrays("dgate", dz, n);
        double[] cp = cell ? scratch.array("cp", n) : null;
        double[] c = cell ? scratch.array("c", n) : null;
        double[] dc = cell ? scratch.zeroedArray("dc", n) : null;
        double[] dy = scratch.array("dy", n);
        double[] dhv = scratch.array("dhv", n);
        if (cell) {
            Mem.read(pass.cs, (long) steps * batch * hidden, c, n);
        }
        for (int t = steps - 1; t >= end; t--) {
            long row = (long) t * batch;
            Mem.read(pass.z, row * width, zt, zt.length);
            split(zt, gates, batch, hidden);
            if (cell) {
                Mem.read(pass.cs, row * hidden, cp, n);
            }
            Mem.readRows(dY, row, batch, dy);
            Mem.read(dh, 0, dhv, n);
            int step = t;
            double[] cpf = cp;
            double[] cf = c;
            Parallel.rows(batch, width,
                    (b0, b1) -> cellBackward(math, gates, cpf, cf, dy, dhv, dc, dgates, in, step, hidden, b0, b1));
            if (cell) {   // c_{t-1}, read for this step, is the next step's c_t; c itself was overwritten
                c = cpf;
                cp = cf;
            }
            join(dgates, dz, batch, hidden);
            Mem.write(dZ, row * width, dz, dz.length);
            Blocks.addColumnSums(dz, batch, width, 0, db);
            Mem.write(dh, 0, dhv, n);
            blocks.stepDone(t);
            if (t > end) {
                gemm.gemm(Mat.rows(dZ, row, batch), false, rw, true, dhMat, 1.0);
            }
        }
    }
}
