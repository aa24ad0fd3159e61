package org.recurrent4j.compute;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Allocation and row blocks of the kernels' own arrays, which live outside DL4J's workspaces. */
public final class Blocks {

    private Blocks() {
    }

    /** An uninitialised {@code [rows, cols]} 'c' array outside any workspace, for arrays written in full. */
    public static INDArray uninitialized(DataType dt, long rows, long cols) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(dt, new long[]{rows, cols}, 'c');
        }
    }

    /**
     * A copy, outside any workspace, of rows {@code [from, from+count)} of the row-major {@code a}: one allocation and
     * bulk copies, where a view and its {@code dup} cost two ND4J arrays and an op (a streaming step keeps its final
     * state this way, twice for the LSTM).
     */
    public static INDArray copyRows(INDArray a, long from, int count) {
        int cols = (int) a.size(1);
        int n = count * cols;
        INDArray out = uninitialized(a.dataType(), count, cols);
        Mem.copy(a, from * cols, out, 0, n);
        return out;
    }

    /** Rows {@code [from, from+count)} of a 'c' matrix: a contiguous view, usable as a GEMM result. */
    public static INDArray rows(INDArray a, long from, long count) {
        return a.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all());
    }

    /**
     * A state array of {@code steps+1} blocks of {@code batch} rows: block 0 holds {@code initial} (zeros where null),
     * the other blocks are written by the kernel, so they are left uninitialised.
     */
    public static INDArray states(Scratch scratch, String name, DataType dt, int steps, int batch, int hidden,
                           INDArray initial) {
        INDArray a = scratch.get(name, dt, (long) (steps + 1) * batch, hidden);
        if (initial != null) {
            copyInitial(initial, a, batch, hidden);
        } else {
            Mem.zero(a, 0, (long) batch * hidden);
        }
        return a;
    }

    /** {@code initial} into block 0 of {@code a}: bulk copies for the usual layouts, an ND4J assign for others. */
    private static void copyInitial(INDArray initial, INDArray a, int batch, int hidden) {
        if (initial.rank() == 2 && (initial.dataType() == DataType.FLOAT || initial.dataType() == DataType.DOUBLE)) {
            double[] v = new double[batch * hidden];
            try {   // a streaming step starts here: two ND4J ops cost more than the step's arithmetic
                Mem.readRows(initial, 0, batch, v);
                Mem.write(a, 0, v, v.length);
                return;
            } catch (IllegalArgumentException notUnitStrided) {
                // fall through to ND4J
            }
        }
        rows(a, 0, batch).assign(initial);
    }

    /**
     * A gradient array of {@code steps} blocks of {@code batch} rows, of which backward writes blocks
     * {@code [firstWritten, steps)}: the blocks before (cut off by truncated BPTT) are zeroed, the rest left as is.
     */
    public static INDArray gradients(Scratch scratch, String name, DataType dt, int steps, int batch, int width,
                              int firstWritten) {
        INDArray a = scratch.get(name, dt, (long) steps * batch, width);
        if (firstWritten > 0) {
            Mem.zero(a, 0, (long) firstWritten * batch * width);
        }
        return a;
    }

    /** Adds the column sums of the row-major {@code rows x width} block {@code a} (from column {@code from}). */
    public static void addColumnSums(double[] a, int rows, int width, int from, double[] acc) {
        for (int r = 0; r < rows; r++) {
            int o = r * width + from;
            for (int j = 0; j < acc.length; j++) {
                acc[j] += a[o + j];
            }
        }
    }

    /** As {@link #addColumnSums(double[], int, int, int, double[])}, for the float kernels. */
    public static void addColumnSums(float[] a, int rows, int width, int from, float[] acc) {
        for (int r = 0; r < rows; r++) {
            int o = r * width + from;
            for (int j = 0; j < acc.length; j++) {
                acc[j] += a[o + j];
            }
        }
    }

    /** As {@link #assign(INDArray, double[])}, for the float kernels. */
    public static void assign(INDArray target, float[] values) {
        if (target.length() == values.length && target.dataType() == DataType.FLOAT && Mem.bulk(target)) {
            Mem.write(target, 0, values, values.length);
            return;
        }
        target.assign(Nd4j.createFromArray(values).reshape(target.shape()).castTo(target.dataType()));
    }

    /**
     * Writes {@code values} into the vector {@code target}: a bulk copy where it is unit-strided (a bias gradient is a
     * view into DL4J's flat gradients; three ND4J ops cost 0.15-0.25 ms a training step), else an ND4J assign.
     */
    public static void assign(INDArray target, double[] values) {
        if (target.length() == values.length && Mem.bulk(target)) {
            Mem.write(target, 0, values, values.length);
            return;
        }
        target.assign(Nd4j.createFromArray(values).reshape(target.shape()).castTo(target.dataType()));
    }
}
