package org.recurrent4j.engine;

import org.recurrent4j.compute.Gemm;
import org.recurrent4j.compute.Mem;
import org.recurrent4j.compute.Scratch;
import org.recurrent4j.compute.SideLane;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A cell run over a batch in both directions, as PyTorch's {@code bidirectional=True} runs it: the forward direction
 * reads each sequence first step to last, the backward direction its live steps last to first (for a right-padded
 * batch, from its own last real step, as a packed sequence is read), and the output is {@code [forward, backward]}
 * side by side. Each direction has a kernel of its own; where both are CPU kernels and a second core is free, the
 * two run at the same time, one per core, each with its GEMMs on its own thread (in place of one direction after
 * the other, each lending its input projection to the second core). The arithmetic is the same either way.
 *
 * <p>The backward direction runs on a copy of the input whose live rows are reversed per sequence: the live steps
 * {@code p_0 < ... < p_{n-1}} of sequence b swap places, {@code p_k} with {@code p_{n-1-k}}; padded steps stay.
 * Its output and its input gradient are put back in time order by the same swap.
 */
public final class TwoDirections {

    private final RecurrentKernel forward;
    private final RecurrentKernel backward;
    private final Scratch scratch = new Scratch();
    private ForwardPass passF;
    private ForwardPass passB;
    /** Row r of the reversed input is row {@code swap[r]} of the input (and the other way round). */
    private int[] swap;

    /** Two kernel instances of one cell: a kernel keeps its working memory, so each direction needs its own. */
    public TwoDirections(RecurrentKernel forward, RecurrentKernel backward) {
        if (forward == backward) {
            throw new IllegalArgumentException("the two directions need two kernel instances");
        }
        this.forward = forward;
        this.backward = backward;
    }

    /** Gets the second core ready for a pass about to start: called before the input is copied for it. */
    public void prepare() {
        if (forward.concurrentOnHost()) {
            SideLane.wake();
        }
    }

    /**
     * Runs both directions from zero initial states.
     *
     * @param in              the batch, time-major {@code [T*B, nIn]}
     * @param keepForBackward false for inference
     * @return {@code [T*B, 2H]} column-major: columns {@code [0, H)} the forward direction's output, {@code [H, 2H)}
     *         the backward direction's, in time order; 0 at padded steps. Valid until the next call.
     */
    public INDArray forward(RnnWeights wf, RnnWeights wb, Sequence in, boolean keepForBackward) {
        int rows = in.steps() * in.batch();
        int h = (int) wf.stateSize();
        DataType dt = in.x().dataType();
        swap = reversal(in);
        INDArray xr = scratch.get("xr", dt, rows, in.x().size(1), 'c');
        permuteRows(in.x(), xr, swap);
        Sequence reversed = new Sequence(xr, in.steps(), in.batch(), in.mask());
        ForwardPass[] passes = new ForwardPass[2];
        both(() -> passes[0] = forward.forward(wf, in, null, keepForBackward),
                () -> passes[1] = backward.forward(wb, reversed, null, keepForBackward));
        passF = keepForBackward ? passes[0] : null;
        passB = keepForBackward ? passes[1] : null;
        INDArray y = scratch.get("y", dt, rows, 2L * h, 'f');
        Columns out = new Columns(y);
        out.put(Columns.of(passes[0].output()), 0, null);
        out.put(Columns.of(passes[1].output()), h, swap);
        out.write(y);
        return y;
    }

    /**
     * Backpropagates through the last {@link #forward} made with {@code keepForBackward}.
     *
     * @param dY    gradient of the output, {@code [T*B, 2H]}, row-major or column-major
     * @param grads gradients of {@code wf} and {@code wb}, overwritten
     * @param dX    gradient of the input, {@code [T*B, nIn]}, overwritten
     */
    public void backward(INDArray dY, RnnWeights wf, RnnWeights wb, RnnWeights gradsF, RnnWeights gradsB,
                         INDArray dX) {
        if (passF == null) {
            throw new IllegalStateException("backward needs a forward pass made for training");
        }
        int rows = (int) dY.size(0);
        int h = (int) wf.stateSize();
        DataType dt = dY.dataType();
        Columns dy = Columns.of(dY);
        INDArray dyF = scratch.get("dyF", dt, rows, h, 'f');
        INDArray dyB = scratch.get("dyB", dt, rows, h, 'f');
        new Columns(dyF).putFrom(dy, 0, null).write(dyF);
        new Columns(dyB).putFrom(dy, h, swap).write(dyB);
        long nIn = dX.size(1);
        INDArray dxF = scratch.get("dxF", dt, rows, nIn, 'f');
        INDArray dxB = scratch.get("dxB", dt, rows, nIn, 'f');
        ForwardPass pf = passF;
        ForwardPass pb = passB;
        both(() -> forward.backward(pf, dyF, 0, wf, gradsF, dxF),
                () -> backward.backward(pb, dyB, 0, wb, gradsB, dxB));
        Columns sum = Columns.of(dxF);
        sum.add(Columns.of(dxB), swap);
        if (dX.ordering() == 'f' && Columns.dense(dX)) {
            sum.write(dX);
        } else {
            INDArray tmp = scratch.get("dx", dt, rows, nIn, 'f');
            sum.write(tmp);
            dX.assign(tmp);
        }
    }

    /** Runs the two directions, at the same time where both kernels allow it and a second core is free. */
    private void both(Runnable first, Runnable second) {
        SideLane lane = new SideLane(Gemm.get());
        if (!lane.concurrent() || !forward.concurrentOnHost() || !backward.concurrentOnHost()) {
            SideLane.serially(first);   // serially here too, so that the passes run alike on one core or two
            SideLane.serially(second);
            return;
        }
        SideLane.Task other = lane.submitIndependent(() -> SideLane.serially(second));
        try {
            SideLane.serially(first);
        } catch (RuntimeException | Error e) {
            lane.settle();   // nothing may still write into the scratch arrays when the failure surfaces
            throw e;
        }
        other.await();
    }

    /** The swap of each sequence's live steps (see the class comment), as a permutation of the rows {@code t*B+b}. */
    static int[] reversal(Sequence in) {
        int steps = in.steps();
        int batch = in.batch();
        int[] swap = new int[steps * batch];
        int[] live = new int[steps];
        for (int b = 0; b < batch; b++) {
            int n = 0;
            for (int t = 0; t < steps; t++) {
                if (in.live(t, b)) {
                    live[n++] = t;
                } else {
                    swap[t * batch + b] = t * batch + b;
                }
            }
            for (int k = 0; k < n; k++) {
                swap[live[k] * batch + b] = live[n - 1 - k] * batch + b;
            }
        }
        return swap;
    }

    /**
     * {@code dst} row r = {@code src} row {@code swap[r]}; both row-major: a row-major matrix's rows are its
     * transpose's columns, which {@link Columns} moves whole.
     */
    private static void permuteRows(INDArray src, INDArray dst, int[] swap) {
        Columns from = Columns.of(src.transpose());
        Columns to = new Columns(dst.transpose());
        for (int r = 0; r < swap.length; r++) {
            Columns.copyColumn(from, swap[r], to, r, null);
        }
        to.write(dst.transpose());
    }

    /**
     * A matrix's elements in column-major order in a Java array of its data type: the moves between the directions'
     * blocks, done in Java where ND4J would take an op per block.
     */
    private static final class Columns {
        final int rows;
        final int cols;
        final float[] f;
        final double[] d;

        private Columns(int rows, int cols, boolean isFloat) {
            this.rows = rows;
            this.cols = cols;
            this.f = isFloat ? new float[rows * cols] : null;
            this.d = isFloat ? null : new double[rows * cols];
        }

        /** An empty matrix of {@code like}'s shape and type. */
        Columns(INDArray like) {
            this((int) like.size(0), (int) like.size(1), like.dataType() == DataType.FLOAT);
        }

        /** The elements of {@code m}, any layout. */
        static Columns of(INDArray m) {
            if (m.ordering() != 'f' || !dense(m)) {
                m = m.dup('f');
            }
            Columns c = new Columns(m);
            int n = c.rows * c.cols;
            if (c.f != null) {
                Mem.read(m, 0, c.f, n);
            } else {
                Mem.read(m, 0, c.d, n);
            }
            return c;
        }

        static boolean dense(INDArray m) {
            return m.length() <= 1 || m.elementWiseStride() == 1;
        }

        /** Columns {@code [col, col + src.cols)} of this = {@code src}, its rows permuted by {@code swap} (or not). */
        void put(Columns src, int col, int[] swap) {
            for (int j = 0; j < src.cols; j++) {
                copyColumn(src, j, this, col + j, swap);
            }
        }

        /** All columns of this = columns {@code [col, col + cols)} of {@code src}, rows permuted by {@code swap}. */
        Columns putFrom(Columns src, int col, int[] swap) {
            for (int j = 0; j < cols; j++) {
                copyColumn(src, col + j, this, j, swap);
            }
            return this;
        }

        /** This += {@code other} with its rows permuted by {@code swap}. */
        void add(Columns other, int[] swap) {
            for (int j = 0; j < cols; j++) {
                int o = j * rows;
                for (int r = 0; r < rows; r++) {
                    if (f != null) {
                        f[o + r] += other.f[o + swap[r]];
                    } else {
                        d[o + r] += other.d[o + swap[r]];
                    }
                }
            }
        }

        private static void copyColumn(Columns src, int js, Columns dst, int jd, int[] swap) {
            int s = js * src.rows;
            int t = jd * dst.rows;
            if (swap == null) {
                System.arraycopy(src.f != null ? src.f : src.d, s, dst.f != null ? dst.f : dst.d, t, dst.rows);
            } else if (dst.f != null) {
                for (int r = 0; r < dst.rows; r++) {
                    dst.f[t + r] = src.f[s + swap[r]];
                }
            } else {
                for (int r = 0; r < dst.rows; r++) {
                    dst.d[t + r] = src.d[s + swap[r]];
                }
            }
        }

        /** Writes the elements into {@code m}, a dense column-major matrix of this shape and type. */
        void write(INDArray m) {
            int n = rows * cols;
            if (f != null) {
                Mem.write(m, 0, f, n);
            } else {
                Mem.write(m, 0, d, n);
            }
        }
    }
}
