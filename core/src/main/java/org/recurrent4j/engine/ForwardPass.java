package org.recurrent4j.engine;

import org.recurrent4j.compute.Blocks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a forward pass produced: the output and the final state, and for training the activations that backward reads.
 * All arrays are time-major and contiguous; {@code hs} and {@code cs} hold T+1 blocks of B rows, block 0 being the
 * initial state, so the state before step t is block t.
 */
public final class ForwardPass {
    final Sequence in;
    /** {@code H}, the units of each gate block. */
    final int hidden;
    /** Gate activations of every step, {@code [T*B, G*H]}. */
    final INDArray z;
    /** States h, {@code [(T+1)*B, R]}. */
    final INDArray hs;
    /** Cell states c of two-state cells, {@code [(T+1)*B, H]}; null for others. */
    final INDArray cs;
    /** Output: the state at live steps, 0 at padded steps, {@code [T*B, R]}, column-major. */
    final INDArray y;
    /** The separate blocks' recurrent terms as the cell left them, {@code [T*B, S*H]}; null without such blocks. */
    final INDArray zr;
    /** Gated-product cells: the gated states the separate blocks' product multiplied, {@code [T*B, H]}. */
    final INDArray gs;
    /** Projected cells: the cell's outputs before the projection, {@code [T*B, H]}. */
    final INDArray ms;
    /** Kernels outside this package: the state after the last step, and the kernel's own record of the pass. */
    private final INDArray[] last;
    private final Object record;

    ForwardPass(Sequence in, int hidden, INDArray z, INDArray hs, INDArray cs, INDArray y, INDArray zr, INDArray gs,
                INDArray ms) {
        this(in, hidden, z, hs, cs, y, zr, gs, ms, null, null);
    }

    private ForwardPass(Sequence in, int hidden, INDArray z, INDArray hs, INDArray cs, INDArray y, INDArray zr,
                        INDArray gs, INDArray ms, INDArray[] last, Object record) {
        this.in = in;
        this.hidden = hidden;
        this.z = z;
        this.hs = hs;
        this.cs = cs;
        this.y = y;
        this.zr = zr;
        this.gs = gs;
        this.ms = ms;
        this.last = last;
        this.record = record;
    }

    /**
     * A pass made by a kernel that keeps its activations elsewhere (on a GPU, say): only its output, its final state
     * and a record that the same kernel's {@code backward} reads back with {@link #record()}.
     *
     * @param finalState h, and c for the LSTM, each {@code [B, H]}, outside any workspace
     */
    public static ForwardPass external(Sequence in, int hidden, INDArray y, INDArray[] finalState, Object record) {
        return new ForwardPass(in, hidden, null, null, null, y, null, null, null, finalState.clone(), record);
    }

    /** The record given to {@link #external}; null for a pass made by this package's kernels. */
    public Object record() {
        return record;
    }

    /** The output, {@code [T*B, H]}, time-major; row-major or column-major (see {@code ordering()}). */
    public INDArray output() {
        return y;
    }

    public Sequence input() {
        return in;
    }

    /**
     * The state after the last step (after the last live step for padded sequences): h, and c for the LSTM; detached
     * from any workspace, so it can be kept between calls.
     */
    public INDArray[] finalState() {
        if (last != null) {
            return last.clone();
        }
        long t = in.steps();
        long b = in.batch();
        INDArray h = Blocks.copyRows(hs, t * b, (int) b);
        return cs == null ? new INDArray[]{h} : new INDArray[]{h, Blocks.copyRows(cs, t * b, (int) b)};
    }
}
