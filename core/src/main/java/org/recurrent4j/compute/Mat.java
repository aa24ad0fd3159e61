package org.recurrent4j.compute;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GEMM operand: a matrix inside an ND4J array's buffer, by element offset from the array's first element (where
 * {@code data().addressPointer()} points, views included), shape, leading dimension and layout.
 * Describing row blocks of the kernels' arrays this way costs nothing, where an ND4J view costs microseconds.
 */
public record Mat(INDArray buf, long offset, int rows, int cols, int ld, boolean colMajor) {

    /** Any 2-D array whose elements are unit-strided along rows ('c') or columns ('f'). */
    public static Mat of(INDArray m) {
        if (m.rank() != 2) {
            throw new IllegalArgumentException("GEMM operand must be 2-D, got " + Arrays.toString(m.shape()));
        }
        int rows = (int) m.size(0);
        int cols = (int) m.size(1);
        long[] st = m.stride();
        if (st[1] == 1 && (rows == 1 || st[0] >= cols)) {
            return new Mat(m, 0, rows, cols, (int) Math.max(st[0], Math.max(1, cols)), false);
        }
        if (st[0] == 1 && (cols == 1 || st[1] >= rows)) {
            return new Mat(m, 0, rows, cols, (int) Math.max(st[1], Math.max(1, rows)), true);
        }
        throw new IllegalArgumentException("GEMM operand needs unit stride along one dimension, got strides "
                + Arrays.toString(st));
    }

    /** Rows {@code [first, first+count)} of a row-major or column-major array. */
    public static Mat rows(INDArray m, long first, int count) {
        Mat all = of(m);
        if (first < 0 || first + count > all.rows) {
            throw new IndexOutOfBoundsException("rows " + first + ".." + (first + count) + " of " + all.rows);
        }
        return all.rows(first, count);
    }

    /** Rows {@code [first, first+count)}. */
    public Mat rows(long first, int count) {
        long off = colMajor ? offset + first : offset + first * ld;
        return new Mat(buf, off, count, cols, ld, colMajor);
    }

    /** The transpose: the same elements in the same memory, read in the other layout. */
    public Mat transpose() {
        return new Mat(buf, offset, cols, rows, ld, !colMajor);
    }

    /** Columns {@code [first, first+count)}. */
    public Mat cols(int first, int count) {
        long off = colMajor ? offset + (long) first * ld : offset + first;
        return new Mat(buf, off, rows, count, ld, colMajor);
    }
}
