package org.recurrent4j.compute;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk reads and writes between the kernels' own contiguous arrays and Java scratch arrays. The gate arithmetic of a
 * step runs in plain Java loops over these scratch arrays: one pass instead of a dozen small ND4J ops, each of which
 * costs tens of microseconds on its own.
 */
public final class Mem {

    private Mem() {
    }

    /**
     * What was made last on this thread for a buffer, by buffer identity: ND4J's {@code asNioFloat()} makes a direct
     * buffer through JNI on every call, which a step of a small batch paid several times (an LSTM's inference at batch
     * 1 spent 5% of its time there), and {@code addressPointer()} a JNI call and three objects. Keys are weak, so an
     * entry never keeps a buffer alive, and a value is only used for the very buffer it was made from.
     */
    private static final class ByBuffer {
        static final int SIZE = 16;
        final java.lang.ref.WeakReference<?>[] keys = new java.lang.ref.WeakReference<?>[SIZE];
        final Object[] values = new Object[SIZE];
        int next;

        Object get(Object key) {
            for (int i = 0; i < SIZE; i++) {
                java.lang.ref.WeakReference<?> k = keys[i];
                if (k != null && k.get() == key) {
                    return values[i];
                }
            }
            return null;
        }

        void put(Object key, Object value) {
            keys[next] = new java.lang.ref.WeakReference<>(key);
            values[next] = value;
            next = (next + 1) % SIZE;
        }
    }

    private static final ThreadLocal<ByBuffer> VIEWS = ThreadLocal.withInitial(ByBuffer::new);
    private static final ThreadLocal<ByBuffer> ADDRESSES = ThreadLocal.withInitial(ByBuffer::new);

    /** {@code a}'s buffer (its whole allocation, see {@link #base}) as doubles or floats, absolute indexing only. */
    private static java.nio.Buffer view(INDArray a, boolean doubles) {
        org.nd4j.linalg.api.buffer.DataBuffer d = a.data();
        ByBuffer v = VIEWS.get();
        Object b = v.get(d);
        if (b == null || (b instanceof java.nio.DoubleBuffer) != doubles) {
            b = doubles ? d.asNioDouble() : d.asNioFloat();
            v.put(d, b);
        }
        return (java.nio.Buffer) b;
    }

    /**
     * The native address of {@code a}'s first element ({@code a.data().addressPointer()}, views included), without a
     * JNI call or an allocation after the first time on this thread: a step product asks for it three times, and
     * with the pointers made around it this was most of what a GRU inference call at batch 1 (50 steps) allocated:
     * 140 KB a call with them, 56 KB without (the rest DL4J's output layer). The JVM's heap, refilled at that rate,
     * page-faulted in periods: calls took up to 2.5x as long in them.
     */
    public static long address(INDArray a) {
        org.nd4j.linalg.api.buffer.DataBuffer d = a.data();
        ByBuffer v = ADDRESSES.get();
        Object address = v.get(d);
        if (address == null) {
            address = d.addressPointer().address();
            v.put(d, address);
        }
        return (Long) address;
    }

    private static java.nio.FloatBuffer floats(INDArray a) {
        return (java.nio.FloatBuffer) view(a, false);
    }

    private static java.nio.DoubleBuffer doubles(INDArray a) {
        return (java.nio.DoubleBuffer) view(a, true);
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
    public static void read(INDArray a, long from, double[] dst, int n) {
        read(a, from, dst, 0, n);
    }

    /** Copies {@code n} elements starting at element {@code from} of {@code a} into {@code dst} from {@code at}. */
    public static void read(INDArray a, long from, double[] dst, int at, int n) {
        int base = base(a, from, n);
        if (a.dataType() == DataType.DOUBLE) {
            doubles(a).get(base, dst, at, n);
        } else {
            float[] f = staging(n);
            floats(a).get(base, f, 0, n);
            for (int i = 0; i < n; i++) {
                dst[at + i] = f[i];
            }
        }
    }

    /** Copies {@code n} elements of {@code src} into {@code a} starting at element {@code from}. */
    public static void write(INDArray a, long from, double[] src, int n) {
        write(a, from, src, 0, n);
    }

    /** Copies {@code n} elements of {@code src} from {@code at} into {@code a} starting at element {@code from}. */
    public static void write(INDArray a, long from, double[] src, int at, int n) {
        int base = base(a, from, n);
        if (a.dataType() == DataType.DOUBLE) {
            doubles(a).put(base, src, at, n);
        } else {
            float[] f = staging(n);
            for (int i = 0; i < n; i++) {
                f[i] = (float) src[at + i];
            }
            floats(a).put(base, f, 0, n);
        }
    }

    /** As {@link #read(INDArray, long, double[], int)}, for the float kernels: a plain bulk copy. */
    public static void read(INDArray a, long from, float[] dst, int n) {
        read(a, from, dst, 0, n);
    }

    /** As {@link #read(INDArray, long, double[], int, int)}, for the float kernels: a plain bulk copy. */
    public static void read(INDArray a, long from, float[] dst, int at, int n) {
        floats(a).get(base(a, from, n, DataType.FLOAT), dst, at, n);
    }

    /** As {@link #write(INDArray, long, double[], int)}, for the float kernels: a plain bulk copy. */
    public static void write(INDArray a, long from, float[] src, int n) {
        write(a, from, src, 0, n);
    }

    /** As {@link #write(INDArray, long, double[], int, int)}, for the float kernels: a plain bulk copy. */
    public static void write(INDArray a, long from, float[] src, int at, int n) {
        floats(a).put(base(a, from, n, DataType.FLOAT), src, at, n);
    }

    /** As {@link #readRows(INDArray, long, int, double[])}, for the float kernels. */
    public static void readRows(INDArray m, long row, int rows, float[] dst) {
        Mat mat = Mat.of(m);
        int cols = mat.cols();
        if (!mat.colMajor()) {
            read(m, row * mat.ld(), dst, rows * cols);
            return;
        }
        int ld = mat.ld();
        int first = base(m, row, (cols - 1L) * ld + rows, DataType.FLOAT);
        java.nio.FloatBuffer nio = floats(m);
        float[] col = staging(rows);
        for (int j = 0; j < cols; j++) {
            nio.get(first + j * ld, col, 0, rows);
            for (int r = 0; r < rows; r++) {
                dst[r * cols + j] = col[r];
            }
        }
    }

    /** As {@link #writeRows(INDArray, long, int, double[])}, for the float kernels. */
    public static void writeRows(INDArray m, long row, int rows, float[] src) {
        writeRows(m, row, rows, src, 0);
    }

    /** As {@link #writeRows(INDArray, long, int, double[], int)}, for the float kernels. */
    public static void writeRows(INDArray m, long row, int rows, float[] src, int at) {
        Mat mat = Mat.of(m);
        int cols = mat.cols();
        if (!mat.colMajor()) {
            write(m, row * mat.ld(), src, at, rows * cols);
            return;
        }
        int ld = mat.ld();
        int first = base(m, row, (cols - 1L) * ld + rows, DataType.FLOAT);
        java.nio.FloatBuffer nio = floats(m);
        float[] col = staging(rows);
        for (int j = 0; j < cols; j++) {
            for (int r = 0; r < rows; r++) {
                col[r] = src[at + r * cols + j];
            }
            nio.put(first + j * ld, col, 0, rows);
        }
    }

    /** As {@link #values}, in float. */
    public static float[] floatValues(INDArray row) {
        double[] v = values(row);
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (float) v[i];
        }
        return r;
    }

    /**
     * Copies {@code n} elements from element {@code from} of {@code src} to element {@code to} of {@code dst}, both
     * float or both double: two bulk copies through a Java array.
     */
    public static void copy(INDArray src, long from, INDArray dst, long to, int n) {
        if (src.dataType() == DataType.FLOAT) {
            float[] v = new float[n];
            read(src, from, v, n);
            write(dst, to, v, n);
        } else {
            double[] v = new double[n];
            read(src, from, v, n);
            write(dst, to, v, n);
        }
    }

    /**
     * Copies rows {@code [row, row+rows)} of the matrix {@code m}, row-major or column-major, into {@code dst} in
     * row-major order.
     */
    public static void readRows(INDArray m, long row, int rows, double[] dst) {
        Mat mat = Mat.of(m);
        int cols = mat.cols();
        if (!mat.colMajor()) {
            read(m, row * mat.ld(), dst, rows * cols);
            return;
        }
        if (m.dataType() != DataType.DOUBLE) {   // a float matrix: through the float copy
            float[] f = new float[rows * cols];
            readRows(m, row, rows, f);
            for (int i = 0; i < f.length; i++) {
                dst[i] = f[i];
            }
            return;
        }
        int ld = mat.ld();
        int first = base(m, row, (cols - 1L) * ld + rows);
        java.nio.DoubleBuffer nio = doubles(m);
        double[] col = new double[rows];
        for (int j = 0; j < cols; j++) {
            nio.get(first + j * ld, col, 0, rows);
            for (int r = 0; r < rows; r++) {
                dst[r * cols + j] = col[r];
            }
        }
    }

    /** The inverse of {@link #readRows}: {@code src}, row-major, into rows {@code [row, row+rows)} of {@code m}. */
    public static void writeRows(INDArray m, long row, int rows, double[] src) {
        writeRows(m, row, rows, src, 0);
    }

    /** As {@link #writeRows(INDArray, long, int, double[])}, from element {@code at} of {@code src}. */
    public static void writeRows(INDArray m, long row, int rows, double[] src, int at) {
        Mat mat = Mat.of(m);
        int cols = mat.cols();
        if (!mat.colMajor()) {
            write(m, row * mat.ld(), src, at, rows * cols);
            return;
        }
        if (m.dataType() != DataType.DOUBLE) {   // a float matrix: through the float copy
            float[] f = new float[rows * cols];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) src[at + i];
            }
            writeRows(m, row, rows, f);
            return;
        }
        int ld = mat.ld();
        int first = base(m, row, (cols - 1L) * ld + rows);
        java.nio.DoubleBuffer nio = doubles(m);
        double[] col = new double[rows];
        for (int j = 0; j < cols; j++) {
            for (int r = 0; r < rows; r++) {
                col[r] = src[at + r * cols + j];
            }
            nio.put(first + j * ld, col, 0, rows);
        }
    }

    private static final float[] ZEROS_F = new float[4096];
    private static final double[] ZEROS_D = new double[4096];

    /**
     * Sets {@code n} elements from element {@code from} of {@code a} to 0 with bulk copies: an ND4J {@code assign(0)} on
     * a row block costs hundreds of microseconds here.
     */
    public static void zero(INDArray a, long from, long n) {
        for (long done = 0; done < n; ) {
            int chunk = (int) Math.min(ZEROS_F.length, n - done);
            int base = base(a, from + done, chunk);
            if (a.dataType() == DataType.DOUBLE) {
                doubles(a).put(base, ZEROS_D, 0, chunk);
            } else {
                floats(a).put(base, ZEROS_F, 0, chunk);
            }
            done += chunk;
        }
    }

    /**
     * The elements of the vector {@code row} (a bias, usually a view into the flat parameters), read straight from its
     * buffer where it is unit-strided and of a kernel's data type.
     */
    public static double[] values(INDArray row) {
        if (!bulk(row)) {
            return row.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }
        int n = (int) row.length();
        double[] r = new double[n];
        read(row, 0, r, n);
        return r;
    }

    /** True where {@link #read} and {@link #write} can copy the vector {@code v} whole: float or double, unit stride. */
    public static boolean bulk(INDArray v) {
        return (v.dataType() == DataType.FLOAT || v.dataType() == DataType.DOUBLE)
                && (v.length() <= 1 || v.elementWiseStride() == 1);
    }

    /**
     * Writes {@code row} into each of rows {@code [from, from+rows)} of the row-major {@code a}, whose rows are
     * {@code row.length} long: a bias laid out before a GEMM that adds onto it, in place of a broadcast op. Bulk copies
     * only, no ND4J op, so a kernel's side lane may run it.
     */
    public static void fillRows(INDArray a, long from, long rows, double[] row) {
        int width = row.length;
        if (a.dataType() == DataType.DOUBLE) {
            java.nio.DoubleBuffer nio = doubles(a);
            for (long i = from; i < from + rows; i++) {
                nio.put(base(a, i * width, width), row, 0, width);
            }
        } else {
            float[] r = new float[width];
            for (int j = 0; j < width; j++) {
                r[j] = (float) row[j];
            }
            java.nio.FloatBuffer nio = floats(a);
            for (long i = from; i < from + rows; i++) {
                nio.put(base(a, i * width, width), r, 0, width);
            }
        }
    }

    /** As {@link #base(INDArray, long, long)}, for an array that must be of type {@code dt}. */
    private static int base(INDArray a, long from, long n, DataType dt) {
        if (a.dataType() != dt) {
            throw new IllegalArgumentException("a " + dt.name().toLowerCase() + " kernel got a " + a.dataType()
                    + " array");
        }
        return base(a, from, n);
    }

    /**
     * The index, in {@code a}'s NIO buffer, of element {@code from} counted from {@code a}'s first element. For a view
     * {@code data()} is a sub-buffer: its {@code offset()} is where the view starts in the NIO buffer, which spans the
     * whole allocation, and its {@code length()} what is left from there.
     */
    private static int base(INDArray a, long from, long n) {
        if (from < 0 || from + n > a.data().length()) {
            throw new IndexOutOfBoundsException("elements " + from + ".." + (from + n) + " of a buffer of "
                    + a.data().length());
        }
        long base = a.data().offset() + from;
        if (base + n > Integer.MAX_VALUE) {
            throw new IndexOutOfBoundsException("element " + (base + n) + " is beyond a Java buffer's reach");
        }
        if (a.dataType() != DataType.DOUBLE && a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("kernels run in float or double, not " + a.dataType());
        }
        return (int) base;
    }
}
