package org.recurrent4j.engine;

// has-float-twin: the build writes CellEngineF, which runs float networks, from this file

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.cells.Cell;
import org.recurrent4j.compute.Blocks;
import org.recurrent4j.compute.GateMath;
import org.recurrent4j.compute.Gemm;
import org.recurrent4j.compute.Mat;
import org.recurrent4j.compute.Mem;
import org.recurrent4j.compute.Parallel;
import org.recurrent4j.compute.Scratch;
import org.recurrent4j.compute.SideLane;

/**
 * The one CPU engine of every {@link Cell}: the time loop, the GEMMs, masks, initial and final states, truncated BPTT,
 * scratch memory and the second core, around the cell's declared step arithmetic.
 *
 * <p>Fused as follows. The inputs of all steps are projected by one GEMM (in blocks, on the side lane, while the
 * recurrence runs). Each step does one recurrent GEMM onto the joined blocks' pre-activations (a second one for a
 * cell's separate blocks, a third with a projection) and one pass of Java arithmetic over the gates, split over rows
 * on the cores. Backward gathers the pre-activation gradients of every step and gets each weight gradient from one
 * GEMM per block of steps, on the side lane while the recurrence goes on.
 *
 * <p>Masks are applied here, not in the cells: a padded row keeps its state, outputs 0 and gets zero gradients, so a
 * right-padded batch gives what PyTorch's packed sequences give.
 *
 * <pre>{@code
 * RecurrentKernel lstm = new CellEngine(new LstmCell());
 * }</pre>
 */
public final class CellEngine implements RecurrentKernel {

    private final Cell cell;
    private final int gates;
    private final int states;
    private final int separate;
    private final boolean gatedProduct;
    private final int projection;
    private final Scratch scratch = new Scratch();

    // double-only:begin
    /** This engine in float arithmetic, over the cell's float arithmetic. */
    private final CellEngineF floats;

    /** The engine of {@code cell}. */
    public CellEngine(Cell cell) {
        this(cell, cell.gates(), cell.states(), cell.separateBlocks(), cell.gatedProduct(), cell.projection(),
                new CellEngineF(cell.floats(), cell.gates(), cell.states(), cell.separateBlocks(),
                        cell.gatedProduct(), cell.projection()));
    }

    /** The cell this engine runs. */
    public Cell cell() {
        return cell;
    }
    // double-only:end

    CellEngine(Cell cell, int gates, int states, int separate, boolean gatedProduct, int projection
               // double-only:begin
               , CellEngineF floats
               // double-only:end
    ) {
        if (gatedProduct && (separate == 0 || projection > 0)) {
            throw new IllegalArgumentException(cell + ": a gated product needs separate blocks and no projection");
        }
        this.cell = cell;
        this.gates = gates;
        this.states = states;
        this.separate = separate;
        this.gatedProduct = gatedProduct;
        this.projection = projection;
        // double-only:begin
        this.floats = floats;
        // double-only:end
    }

    @Override
    public int gates() {
        return gates;
    }

    @Override
    public int states() {
        return states;
    }

    @Override
    public boolean concurrentOnHost() {
        return true;
    }

    private double[][] blockArrays(String name, double[] whole, int blocks, int n) {
        if (blocks == 1) {
            return new double[][]{whole};
        }
        double[][] a = new double[blocks][];
        for (int k = 0; k < blocks; k++) {
            a[k] = scratch.array(name + k, n);
        }
        return a;
    }

    /** The rows {@code [B, G*H]} of {@code whole} into per-block arrays {@code [B*H]}, which loops index alike. */
    private static void split(double[] whole, double[][] blocks, int batch, int hidden) {
        split(whole, blocks, 0, batch, hidden);
    }

    /** As {@link #split(double[], double[][], int, int)}, rows {@code [b0, b1)} only. */
    private static void split(double[] whole, double[][] blocks, int b0, int b1, int hidden) {
        int g = blocks.length;
        if (g == 1) {
            return;
        }
        for (int b = b0; b < b1; b++) {
            for (int k = 0; k < g; k++) {
                System.arraycopy(whole, (b * g + k) * hidden, blocks[k], b * hidden, hidden);
            }
        }
    }

    /** The inverse of {@link #split}. */
    private static void join(double[][] blocks, double[] whole, int batch, int hidden) {
        join(blocks, whole, 0, batch, hidden);
    }

    /** As {@link #join(double[][], double[], int, int)}, rows {@code [b0, b1)} only. */
    private static void join(double[][] blocks, double[] whole, int b0, int b1, int hidden) {
        int g = blocks.length;
        if (g == 1) {
            return;
        }
        for (int b = b0; b < b1; b++) {
            for (int k = 0; k < g; k++) {
                System.arraycopy(blocks[k], b * hidden, whole, (b * g + k) * hidden, hidden);
            }
        }
    }

    /** Side of the square tiles a row-major matrix is transposed in: 32x32 doubles stay in L1 on both sides. */
    private static final int TRANSPOSE_TILE = 32;

    /**
     * {@code m}'s transpose as a row-major matrix: for a column-major {@code m} (DL4J's parameters) that is
     * {@code m}'s own memory read the other way, no copy; for a row-major one a copy in the scratch array
     * {@code name}, made in tiles. Once per backward pass on the recurrent weights, it was a copy element by element
     * with the writes strided a whole matrix apart: 7% of a GRU training step's profile samples at hidden 512
     * (async-profiler); as a column-by-column copy 0.4% (A/B, three alternating runs of 30 steps, fastest step 79-111
     * ms before, 78-82 ms after); now none.
     */
    private Mat transposed(String name, Mat m, DataType dt) {
        if (m.colMajor()) {
            return m.transpose();
        }
        int rows = m.rows();
        int cols = m.cols();
        int ld = m.ld();
        int span = (rows - 1) * ld + cols;
        double[] from = scratch.array(name + "From", span);
        double[] to = scratch.array(name, rows * cols);
        Mem.read(m.buf(), m.offset(), from, span);
        // in tiles, so that neither side strides through memory a whole row or column at a time
        for (int r0 = 0; r0 < rows; r0 += TRANSPOSE_TILE) {
            int r1 = Math.min(rows, r0 + TRANSPOSE_TILE);
            for (int c0 = 0; c0 < cols; c0 += TRANSPOSE_TILE) {
                int c1 = Math.min(cols, c0 + TRANSPOSE_TILE);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        to[c * rows + r] = from[r * ld + c];
                    }
                }
            }
        }
        INDArray t = scratch.get(name, dt, cols, rows);
        Mem.write(t, 0, to, rows * cols);
        return Mat.of(t);
    }

    /**
     * Forward's step products read a row-major copy of RW, made once a pass, where DL4J's parameters hold it
     * column-major: OpenBLAS (0.3.19, SkylakeX kernels) multiplies a few rows by a weight matrix faster with it
     * untransposed relative to the row-major output, and {@code OpenBlasGemm.smallChunk} can split it. Measured in one
     * JVM, iterations alternating with and without (median of the pairs' time ratios, 2-core Zen 5): inference at batch
     * 32, hidden 128, 50 steps: GRU 0.77, LSTM 0.86, Elman 0.90; at batch 4 LSTM 0.57, GRU 1.04; GRU hidden 512 0.77;
     * training at batch 32: LSTM 0.93 (hidden 128) and 0.98 (512), GRU 0.93 and 0.93, Elman 0.97 and 0.93. Not at batch
     * 1, whose products are matrix-vector ones (LSTM inference 1.35 with the copy), nor for passes of fewer than
     * {@link #ROW_MAJOR_MIN_STEPS} steps (a streaming step), over which the copy would not pay for itself.
     * {@code -Drecurrent4j.rowMajorRw=false} turns it off.
     */
    private static final boolean ROW_MAJOR_RW =
            Boolean.parseBoolean(System.getProperty("recurrent4j.rowMajorRw", "true"));

    /** The fewest steps of a pass for which forward copies RW row-major ({@link #ROW_MAJOR_RW}). */
    private static final int ROW_MAJOR_MIN_STEPS = 16;

    /** {@code m} as a row-major copy in the scratch array {@code name}, or {@code m} itself where it is row-major. */
    private Mat rowMajor(String name, Mat m, DataType dt) {
        // a column-major m read as row-major is its transpose, whose row-major transpose is m again
        return m.colMajor() ? transposed(name, m.transpose(), dt) : m;
    }

    /** Row {@code b} ({@code width} wide) of {@code from} into {@code to}. */
    private static void copyRow(double[] from, double[] to, int b, int width) {
        System.arraycopy(from, b * width, to, b * width, width);
    }

    private static void zeroRow(double[][] blocks, int b, int width) {
        for (double[] a : blocks) {
            java.util.Arrays.fill(a, b * width, (b + 1) * width, 0.0);
        }
    }

    @Override
    public ForwardPass forward(RnnWeights w, Sequence in, INDArray[] initial, boolean keepForBackward) {
        // double-only:begin
        if (w.w().dataType() == DataType.FLOAT) {
            return floats.forward(w, in, initial, keepForBackward);
        }
        // double-only:end
        return InputProjection.around(scratch, "z", w, in, gates,
                (z, inputs) -> forward(w, in, initial, keepForBackward, z, inputs));
    }

    private ForwardPass forward(RnnWeights w, Sequence in, INDArray[] initial, boolean keepForBackward, INDArray z,
                                InputProjection inputs) {
        int steps = in.steps();
        int batch = in.batch();
        int hidden = (int) w.hidden();
        int state = (int) w.stateSize();
        int width = gates * hidden;
        int joined = (gates - separate) * hidden;
        int sepWidth = separate * hidden;
        long rows = (long) steps * batch;
        DataType dt = w.w().dataType();
        boolean twoStates = states == 2;
        Gemm gemm = Gemm.get();
        GateMath math = GateMath.of(dt);
        Mat rw = ROW_MAJOR_RW && batch > 1 && steps >= ROW_MAJOR_MIN_STEPS ? rowMajor("rwR", Mat.of(w.rw()), dt)
                : Mat.of(w.rw());
        Mat rwJoined = joined > 0 ? rw.cols(0, joined) : null;
        Mat rwSep = separate > 0 ? rw.cols(joined, sepWidth) : null;
        Mat whr = projection > 0 ? Mat.of(w.whr()) : null;
        INDArray hs = Blocks.states(scratch, "hs", dt, steps, batch, state, initial == null ? null : initial[0]);
        INDArray cs = twoStates ? Blocks.states(scratch, "cs", dt, steps, batch, hidden,
                initial == null ? null : initial[1]) : null;
        INDArray y = scratch.get("y", dt, rows, state, Y_ORDER);
        INDArray zr = separate > 0 ? scratch.get("zr", dt, rows, sepWidth) : null;
        INDArray gs = gatedProduct ? scratch.get("gs", dt, rows, hidden) : null;
        INDArray ms = projection > 0 ? scratch.get("ms", dt, rows, hidden) : null;

        int n = batch * hidden;
        int ns = batch * state;
        double[] zt = scratch.array("zt", batch * width);
        double[][] g = blockArrays("gate", zt, gates, n);
        double[] zrt = separate > 0 ? scratch.array("zrt", batch * sepWidth) : null;
        double[][] gr = separate > 0 ? blockArrays("sep", zrt, separate, n) : null;
        double[][] rb = separate > 0 ? tiledRecurrentBias(w, batch, hidden) : null;
        double[] gst = gatedProduct ? scratch.array("gst", n) : null;
        double[] hp0 = scratch.array("hp", ns);
        double[] hn0 = scratch.array("hn", ns);
        double[] mt = projection > 0 ? scratch.array("mt", n) : null;
        double[] cp0 = twoStates ? scratch.array("cp", n) : null;
        double[] cn0 = twoStates ? scratch.array("cn", n) : null;
        double[] yt = in.mask() != null ? scratch.array("yt", ns) : null;
        // the arrays' GEMM views, made once a pass: a step takes row blocks of them (no allocation beyond the block)
        Mat hsM = Mat.of(hs);
        Mat zM = Mat.of(z);
        Mat zrM = separate > 0 ? Mat.of(zr) : null;
        Mat gsM = gatedProduct ? Mat.of(gs) : null;
        Mat msM = projection > 0 ? Mat.of(ms) : null;
        // rows [b0, b1) of every step; rows are independent, so the two halves of a batch run on two cores at once,
        // each touching only its own rows of the shared arrays
        Parallel.RowRange recurrence = (b0, b1) -> {
            int nb = b1 - b0;
            int h0 = b0 * hidden;
            int s0 = b0 * state;
            double[] hp = hp0;
            double[] hn = hn0;
            double[] cp = cp0;
            double[] cn = cn0;
            Mem.read(hs, s0, hp, s0, nb * state);
            if (twoStates) {
                Mem.read(cs, h0, cp, h0, nb * hidden);
            }
            for (int t = 0; t < steps; t++) {
                long row = (long) t * batch;
                Mat hPrev = hsM.rows(row + b0, nb);
                inputs.awaitStep(t);
                if (joined > 0) {
                    gemm.gemm(hPrev, false, rwJoined, false, zM.rows(row + b0, nb).cols(0, joined), 1.0);
                }
                Mem.read(z, (row + b0) * width, zt, b0 * width, nb * width);
                split(zt, g, b0, b1, hidden);
                double[] hpf = hp;
                if (separate > 0) {
                    if (gatedProduct) {
                        Parallel.rows(b0, b1, width,
                                (r0, r1) -> cell.gatedState(math, g, hpf, gst, r0 * hidden, r1 * hidden));
                        Mem.write(gs, (row + b0) * hidden, gst, h0, nb * hidden);
                        gemm.gemm(gsM.rows(row + b0, nb), false, rwSep, false, zrM.rows(row + b0, nb), 0.0);
                    } else {
                        gemm.gemm(hPrev, false, rwSep, false, zrM.rows(row + b0, nb), 0.0);
                    }
                    Mem.read(zr, (row + b0) * sepWidth, zrt, b0 * sepWidth, nb * sepWidth);
                    split(zrt, gr, b0, b1, hidden);
                }
                double[] out = projection > 0 ? mt : hn;
                double[] cpf = cp;
                double[] cnf = cn;
                Parallel.rows(b0, b1, width,
                        (r0, r1) -> cell.forward(math, g, gr, rb, hpf, cpf, out, cnf, r0 * hidden, r1 * hidden));
                if (projection > 0) {   // h_t = m_t W_hr
                    Mem.write(ms, (row + b0) * hidden, mt, h0, nb * hidden);
                    gemm.gemm(msM.rows(row + b0, nb), false, whr, false, hsM.rows(row + batch + b0, nb),
                            0.0);
                    Mem.read(hs, (row + batch + b0) * state, hn, s0, nb * state);
                }
                boolean full = in.full(t);
                if (!full) {   // a padded row keeps its state
                    for (int b = b0; b < b1; b++) {
                        if (!in.live(t, b)) {
                            copyRow(hp, hn, b, state);
                            if (twoStates) {
                                copyRow(cp, cn, b, hidden);
                            }
                        }
                    }
                }
                if (keepForBackward) {   // what the cell left for backward
                    join(g, zt, b0, b1, hidden);
                    Mem.write(z, (row + b0) * width, zt, b0 * width, nb * width);
                    if (separate > 0) {
                        join(gr, zrt, b0, b1, hidden);
                        Mem.write(zr, (row + b0) * sepWidth, zrt, b0 * sepWidth, nb * sepWidth);
                    }
                }
                if (projection == 0 || !full) {
                    Mem.write(hs, (row + batch + b0) * state, hn, s0, nb * state);
                }
                if (full) {
                    Mem.writeRows(y, row + b0, nb, hn, s0);
                } else {   // and outputs 0
                    System.arraycopy(hn, s0, yt, s0, nb * state);
                    for (int b = b0; b < b1; b++) {
                        if (!in.live(t, b)) {
                            java.util.Arrays.fill(yt, b * state, (b + 1) * state, 0.0);
                        }
                    }
                    Mem.writeRows(y, row + b0, nb, yt, s0);
                }
                double[] swap = hp;
                hp = hn;
                hn = swap;
                if (twoStates) {
                    if (keepForBackward || t == steps - 1) {   // inference needs only the final cell state
                        Mem.write(cs, (row + batch) * hidden + h0, cn, h0, nb * hidden);
                    }
                    swap = cp;
                    cp = cn;
                    cn = swap;
                }
            }
        };
        Parallel.halves(batch, gemm, recurrence);
        return new ForwardPass(in, hidden, z, hs, cs, y, zr, gs, ms);
    }

    /** The recurrent bias of the separate blocks, each tiled to {@code [B*H]} as the states are; zeros without. */
    private double[][] tiledRecurrentBias(RnnWeights w, int batch, int hidden) {
        double[] v = w.rb() == null ? new double[separate * hidden] : Mem.values(w.rb());
        double[][] t = new double[separate][];
        for (int s = 0; s < separate; s++) {
            t[s] = scratch.array("rb" + s, batch * hidden);
            for (int o = 0; o < batch * hidden; o += hidden) {
                System.arraycopy(v, s * hidden, t[s], o, hidden);
            }
        }
        return t;
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
        int state = (int) w.stateSize();
        int width = gates * hidden;
        int sepWidth = separate * hidden;
        DataType dt = w.w().dataType();
        int end = backSteps > 0 ? Math.max(0, steps - backSteps) : 0;
        INDArray dZ = Blocks.gradients(scratch, "dZ", dt, steps, batch, width, end);
        INDArray dZr = separate > 0 ? Blocks.gradients(scratch, "dZr", dt, steps, batch, sepWidth, end) : null;
        INDArray dHr = projection > 0 ? Blocks.gradients(scratch, "dHr", dt, steps, batch, state, end) : null;
        double[] db = scratch.zeroedArray("db", width);
        double[] drb = separate > 0 ? scratch.zeroedArray("drb", sepWidth) : null;
        SideLane lane = new SideLane(Gemm.get());
        // over a block's rows: dW (+)= x^T dZ, the recurrent (and projection) weights' gradients, dX = dZ W^T
        BlockGradients blocks = new BlockGradients(lane, steps, batch, end,
                (row, count, first) -> Gemm.get().gemm(Mat.rows(pass.in.x(), row, count), true,
                        Mat.rows(dZ, row, count), false, Mat.of(grads.w()), first ? 0.0 : 1.0),
                new BlockGradients.Block[]{
                    (row, count, first) -> recurrentWeightGradients(pass, dZ, dZr, dHr, grads, row, count, first,
                            0, width / 2, false),
                    (row, count, first) -> recurrentWeightGradients(pass, dZ, dZr, dHr, grads, row, count, first,
                            width / 2, width, true)},
                (row, count) -> Gemm.get().gemm(Mat.rows(dZ, row, count), false, Mat.of(w.w()), true,
                        Mat.rows(dX, row, count), 0.0));
        try {
            recur(pass, dY, end, w, dZ, dZr, dHr, db, drb, blocks);
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

    /**
     * Over rows {@code [row, row+rows)} of the pass, columns {@code [c0, c1)} of RW: dRW (+)= H_{prev}^T dZ over the
     * joined blocks, (+)= H_{prev}^T dZr (or the gated states' product) over the separate ones; and where
     * {@code withWhr}, dWHR (+)= M^T dH. The first block sets, later ones add.
     */
    private void recurrentWeightGradients(ForwardPass pass, INDArray dZ, INDArray dZr, INDArray dHr,
                                          RnnWeights grads, long row, int rows, boolean first, int c0, int c1,
                                          boolean withWhr) {
        int hidden = pass.hidden;
        int joined = (gates - separate) * hidden;
        double beta = first ? 0.0 : 1.0;
        Gemm gemm = Gemm.get();
        Mat hPrev = Mat.rows(pass.hs, row, rows);
        Mat grw = Mat.of(grads.rw());
        int j0 = c0;
        int j1 = Math.min(c1, joined);
        if (j1 > j0) {
            gemm.gemm(hPrev, true, Mat.rows(dZ, row, rows).cols(j0, j1 - j0), false, grw.cols(j0, j1 - j0), beta);
        }
        int s0 = Math.max(c0, joined);
        int s1 = Math.min(c1, joined + separate * hidden);
        if (s1 > s0) {
            gemm.gemm(gatedProduct ? Mat.rows(pass.gs, row, rows) : hPrev, true,
                    Mat.rows(dZr, row, rows).cols(s0 - joined, s1 - s0), false, grw.cols(s0, s1 - s0), beta);
        }
        if (withWhr && projection > 0) {
            gemm.gemm(Mat.rows(pass.ms, row, rows), true, Mat.rows(dHr, row, rows), false, Mat.of(grads.whr()), beta);
        }
    }

    /** The recurrence of backward, from the last step down to step {@code end}: dZ, dZr, dH and the biases'. */
    private void recur(ForwardPass pass, INDArray dY, int end, RnnWeights w, INDArray dZ, INDArray dZr, INDArray dHr,
                       double[] db, double[] drb, BlockGradients blocks) {
        Sequence in = pass.in;
        int steps = in.steps();
        int batch = in.batch();
        int hidden = pass.hidden;
        int state = (int) w.stateSize();
        int width = gates * hidden;
        int joined = (gates - separate) * hidden;
        int sepWidth = separate * hidden;
        boolean twoStates = states == 2;
        int n = batch * hidden;
        int ns = batch * state;
        DataType dt = dZ.dataType();
        Gemm gemm = Gemm.get();
        GateMath math = GateMath.of(dt);
        // backward's products take the recurrent weights transposed: row-major (DL4J's column-major parameters read
        // the other way, or a copy) they need no transposition in the GEMM, which OpenBLAS runs faster at these
        // shapes (OpenBlasGemm.smallChunk; LSTM, batch 32, hidden 128: backward 6.0 to 5.7 ms, median of three runs)
        Mat rwT = transposed("rwT", Mat.of(w.rw()), dt);
        Mat rwJoined = joined > 0 ? rwT.rows(0, joined) : null;
        Mat rwSep = separate > 0 ? rwT.rows(joined, sepWidth) : null;
        Mat whr = projection > 0 ? transposed("whrT", Mat.of(w.whr()), dt) : null;
        INDArray dh = scratch.zeros("dh", dt, batch, state);
        Mat dhMat = Mat.of(dh);
        INDArray dm = projection > 0 ? scratch.get("dm", dt, batch, hidden) : null;
        INDArray dGs = gatedProduct ? scratch.get("dGs", dt, batch, hidden) : null;
        // the arrays' GEMM views, made once a pass, as in forward
        Mat dZM = Mat.of(dZ);
        Mat dZrM = separate > 0 ? Mat.of(dZr) : null;
        Mat dHrM = projection > 0 ? Mat.of(dHr) : null;
        Mat dmM = projection > 0 ? Mat.of(dm) : null;
        Mat dGsM = gatedProduct ? Mat.of(dGs) : null;
        double[] zt = scratch.array("zt", batch * width);
        double[] dzt = scratch.array("dzt", batch * width);
        double[][] g = blockArrays("gate", zt, gates, n);
        double[][] dg = blockArrays("dgate", dzt, gates, n);
        double[] zrt = separate > 0 ? scratch.array("zrt", batch * sepWidth) : null;
        double[] dzrt = separate > 0 ? scratch.array("dzrt", batch * sepWidth) : null;
        double[][] gr = separate > 0 ? blockArrays("sep", zrt, separate, n) : null;
        double[][] dgr = separate > 0 ? blockArrays("dsep", dzrt, separate, n) : null;
        double[] dgst = gatedProduct ? scratch.array("dgst", n) : null;
        double[] hp = scratch.array("hp", ns);
        double[] cp = twoStates ? scratch.array("cp", n) : null;
        double[] c = twoStates ? scratch.array("c", n) : null;
        double[] dc = twoStates ? scratch.zeroedArray("dc", n) : null;
        double[] dy = scratch.array("dy", ns);
        double[] dhv = scratch.array("dhv", ns);
        double[] dmv = projection > 0 ? scratch.array("dmv", n) : null;
        double[] dhKept = in.mask() != null ? scratch.array("dhKept", ns) : null;
        double[] dcKept = in.mask() != null && twoStates ? scratch.array("dcKept", n) : null;
        if (twoStates) {
            Mem.read(pass.cs, (long) steps * batch * hidden, c, n);
        }
        for (int t = steps - 1; t >= end; t--) {
            long row = (long) t * batch;
            boolean full = in.full(t);
            Mem.read(pass.z, row * width, zt, zt.length);
            split(zt, g, batch, hidden);
            if (separate > 0) {
                Mem.read(pass.zr, row * sepWidth, zrt, zrt.length);
                split(zrt, gr, batch, hidden);
            }
            Mem.read(pass.hs, row * state, hp, ns);
            if (twoStates) {
                Mem.read(pass.cs, row * hidden, cp, n);
            }
            Mem.readRows(dY, row, batch, dy);
            Mem.read(dh, 0, dhv, ns);
            if (!full) {   // a padded row passes its gradients to step t-1 unchanged
                System.arraycopy(dhv, 0, dhKept, 0, ns);
                if (twoStates) {
                    System.arraycopy(dc, 0, dcKept, 0, n);
                }
            }
            for (int k = 0; k < ns; k++) {
                dhv[k] += dy[k];
            }
            if (!full) {   // nothing reaches the cell of a padded row (nor dWHR from it)
                for (int b = 0; b < batch; b++) {
                    if (!in.live(t, b)) {
                        java.util.Arrays.fill(dhv, b * state, (b + 1) * state, 0.0);
                    }
                }
            }
            double[] dcell = dhv;   // the gradient reaching the cell's output
            if (projection > 0) {   // dWHR's rows, and dm = dh WHR^T
                Mem.write(dHr, row * state, dhv, ns);
                gemm.gemm(dHrM.rows(row, batch), false, whr, false, dmM, 0.0);
                Mem.read(dm, 0, dmv, n);
                dcell = dmv;
            }
            double[] hpf = hp;
            double[] cpf = cp;
            double[] cf = c;
            double[] dcf = dcell;
            Parallel.rows(batch, width, (b0, b1) -> cell.backward(math, g, gr, hpf, cpf, cf, dcf, dc, dg, dgr,
                    b0 * hidden, b1 * hidden));
            if (!full) {
                for (int b = 0; b < batch; b++) {
                    if (!in.live(t, b)) {
                        zeroRow(dg, b, hidden);
                        if (separate > 0) {
                            zeroRow(dgr, b, hidden);
                        }
                    }
                }
            }
            if (separate > 0) {
                join(dgr, dzrt, batch, hidden);
                Mem.write(dZr, row * sepWidth, dzrt, dzrt.length);
                Blocks.addColumnSums(dzrt, batch, sepWidth, 0, drb);
            }
            if (gatedProduct) {   // dL/d(gated state) = dZr RW_S^T, then the rest of the cell's backward
                gemm.gemm(dZrM.rows(row, batch), false, rwSep, false, dGsM, 0.0);
                Mem.read(dGs, 0, dgst, n);
                Parallel.rows(batch, width, (b0, b1) -> cell.backwardGatedState(math, g, hpf, dgst, dcf, dg,
                        b0 * hidden, b1 * hidden));
                if (!full) {
                    for (int b = 0; b < batch; b++) {
                        if (!in.live(t, b)) {
                            zeroRow(dg, b, hidden);
                        }
                    }
                }
            }
            if (projection > 0) {   // h_{t-1} reaches h_t only through the recurrent product
                java.util.Arrays.fill(dhv, 0.0);
            }
            if (!full) {
                for (int b = 0; b < batch; b++) {
                    if (!in.live(t, b)) {
                        copyRow(dhKept, dhv, b, state);
                        if (twoStates) {
                            copyRow(dcKept, dc, b, hidden);
                        }
                    }
                }
            }
            if (twoStates) {   // c_{t-1}, read for this step, is the next step's c_t; c itself was overwritten
                c = cpf;
                cp = cf;
            }
            join(dg, dzt, batch, hidden);
            Mem.write(dZ, row * width, dzt, dzt.length);
            Blocks.addColumnSums(dzt, batch, width, 0, db);
            Mem.write(dh, 0, dhv, ns);
            blocks.stepDone(t);
            if (t > end) {
                if (joined > 0) {
                    gemm.gemm(dZM.rows(row, batch).cols(0, joined), false, rwJoined, false, dhMat, 1.0);
                }
                if (separate > 0 && !gatedProduct) {
                    gemm.gemm(dZrM.rows(row, batch), false, rwSep, false, dhMat, 1.0);
                }
            }
        }
    }
}
