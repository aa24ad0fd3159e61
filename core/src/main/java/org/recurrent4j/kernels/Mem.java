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
