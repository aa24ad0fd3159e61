package org.recurrent4j.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk reads and writes between the kernels' own contiguous arrays and Java scratch arrays. The gate arithmetic of a
 * step runs in plain Java loops over these scratch arrays: one pass instead of a dozen small ND4J ops, each of which
 * costs tens of microseconds on its own.
 */
final class Mem {

    private Mem() {
    }

    /** Float staging for bulk copies, one per thread: a bulk copy is a memcpy, an element loop is not. */
    private static final ThreadLocal<float[][]> STAGING = ThreadLocal.withInitial(() -> new float[][]{new float[0]});

    private static float[] staging(int n) {
        float[][] holder = STAGING.get();
        if (holder[0].length < n) {
            holder[0] = new float[n];
        }
        return holder[0];
    }

    /** Copies {@code n} elements starting at element {@code from} of {@code a} into {@code dst}. */
    static void read(INDArray a, long from, double[] dst, int n) {
        int base = base(a, from, n);
        if (a.dataType() == DataType.DOUBLE) {
            a.data().asNioDouble().get(base, dst, 0, n);
        } else {
            float[] f = staging(n);
            a.data().asNioFloat().get(base, f, 0, n);
            for (int i = 0; i < n; i++) {
                dst[i] = f[i];
            }
        }
    }

    /** Copies {@code n} elements of {@code src} into {@code a} starting at element {@code from}. */
    static void write(INDArray a, long from, double[] src, int n) {
        int base = base(a, from, n);
        if (a.dataType() == DataType.DOUBLE) {
            a.data().asNioDouble().put(base, src, 0, n);
        } else {
            float[] f = staging(n);
            for (int i = 0; i < n; i++) {
                f[i] = (float) src[i];
            }
            a.data().asNioFloat().put(base, f, 0, n);
        }
    }

    private static final float[] ZEROS_F = new float[4096];
    private static final double[] ZEROS_D = new double[4096];

    /**
     * Sets {@code n} elements from element {@code from} of {@code a} to 0 with bulk copies: an ND4J {@code assign(0)} on
     * a row block costs hundreds of microseconds here.
     */
    static void zero(INDArray a, long from, long n) {
        for (long done = 0; done < n; ) {
            int chunk = (int) Math.min(ZEROS_F.length, n - done);
            int base = base(a, from + done, chunk);
            if (a.dataType() == DataType.DOUBLE) {
                a.data().asNioDouble().put(base, ZEROS_D, 0, chunk);
            } else {
                a.data().asNioFloat().put(base, ZEROS_F, 0, chunk);
            }
            done += chunk;
        }
    }

    /**
     * Writes {@code row} into each of the first {@code rows} rows of the row-major {@code a} (row length
     * {@code row.length()}): a bias laid out before a GEMM that adds onto it, in place of a broadcast op.
     */
    static void repeatRow(INDArray a, INDArray row, long rows) {
        int width = (int) row.length();
        if (a.dataType() == DataType.DOUBLE) {
            double[] r = row.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            java.nio.DoubleBuffer nio = a.data().asNioDouble();
            for (long i = 0; i < rows; i++) {
                nio.put(base(a, i * width, width), r, 0, width);
            }
        } else {
            float[] r = row.castTo(DataType.FLOAT).dup('c').data().asFloat();
            java.nio.FloatBuffer nio = a.data().asNioFloat();
            for (long i = 0; i < rows; i++) {
                nio.put(base(a, i * width, width), r, 0, width);
            }
        }
    }

    private static int base(INDArray a, long from, int n) {
        long base = a.offset() + from;
        if (base < 0 || base + n > a.data().length() || base + n > Integer.MAX_VALUE) {
            throw new IndexOutOfBoundsException("elements " + base + ".." + (base + n) + " of a buffer of "
                    + a.data().length());
        }
        if (a.dataType() != DataType.DOUBLE && a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("kernels run in float or double, not " + a.dataType());
        }
        return (int) base;
    }
}
