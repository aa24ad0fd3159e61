package org.recurrent4j.compute;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;

/** GEMM straight into OpenBLAS on the host buffers of ND4J's CPU backend. */
public final class OpenBlasGemm implements Gemm {

    OpenBlasGemm() {
        Loader.load(openblas.class);
    }

    /** OpenBLAS at one thread computes in the calling thread; at more, its own threads would fight a second caller. */
    @Override
    public boolean threadSafe() {
        return openblas_nolapack.blas_get_num_threads() == 1;
    }

    @Override
    public void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, double beta) {
        int layout = c.colMajor() ? openblas.CblasColMajor : openblas.CblasRowMajor;
        boolean ta = transA ^ (a.colMajor() != c.colMajor());
        boolean tb = transB ^ (b.colMajor() != c.colMajor());
        int m = c.rows();
        int n = c.cols();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int ma = transA ? a.cols() : a.rows();
        int nb = transB ? b.rows() : b.cols();
        if (k != kb || m != ma || n != nb) {
            throw new IllegalArgumentException("GEMM shapes do not agree: [" + a.rows() + "x" + a.cols() + "]"
                    + (transA ? "^T" : "") + " x [" + b.rows() + "x" + b.cols() + "]" + (transB ? "^T" : "")
                    + " -> [" + m + "x" + n + "]");
        }
        if (m == 1) {
            gemv(a, transA, b, transB, c, beta, k, n);
            return;
        }
        int chunk = smallChunk(c, ta, tb, m, n, k);
        if (chunk > 0) {
            for (int j = 0; j < n; j += chunk) {
                int w = Math.min(chunk, n - j);
                gemm(a, transA, transB ? b.rows(j, w) : b.cols(j, w), transB, c.cols(j, w), beta);
            }
            return;
        }
        int opA = ta ? openblas.CblasTrans : openblas.CblasNoTrans;
        int opB = tb ? openblas.CblasTrans : openblas.CblasNoTrans;
        Operands o = OPERANDS.get();
        if (c.buf().dataType() == DataType.DOUBLE) {
            openblas.cblas_dgemm(layout, opA, opB, m, n, k, 1.0, o.d(0, a), a.ld(), o.d(1, b), b.ld(), beta, o.d(2, c),
                    c.ld());
        } else if (c.buf().dataType() == DataType.FLOAT) {
            openblas.cblas_sgemm(layout, opA, opB, m, n, k, 1f, o.f(0, a), a.ld(), o.f(1, b), b.ld(), (float) beta,
                    o.f(2, c), c.ld());
        } else {
            throw new IllegalArgumentException("GEMM in float or double only, not " + c.buf().dataType());
        }
    }

    /** About the most multiply-adds ({@code m n k}) of a product that OpenBLAS runs without packing. */
    static final long UNPACKED = 1_000_000L;

    /** Multiply-adds per block where a product is split, see {@link #smallChunk}. */
    static final long SMALL_PRODUCT = 1L << 19;

    /** {@code -Drecurrent4j.smallProducts=false} makes one call of every product, to measure what the split gains. */
    private static final boolean SPLIT = Boolean.parseBoolean(System.getProperty("recurrent4j.smallProducts", "true"));

    /**
     * Columns per call for a float product of a few rows, or 0 to make one call. OpenBLAS (0.3.19, ND4J's) computes
     * small products, up to about {@link #UNPACKED} multiply-adds, without first packing B; larger ones it packs,
     * which for the step products of a recurrence (a few rows by a whole weight matrix) costs more than the packing
     * saves. Split into column blocks of {@link #SMALL_PRODUCT} multiply-adds at most, they run 1.3-1.7x faster, one
     * thread, float, on the 2-core Zen 5 (tools/GemmSpeed.java): 32x128x512 60 to 40 us, 32x512x512 233 to 166 us,
     * 16x512x2048 645 to 376 us, 64x128x512 98 to 83 us. Only where that was measured: row-major C, neither operand
     * transposed relative to it (the transposed kernels measured no gain or a loss), at most 64 rows (a 256x100x512
     * input projection lost 10%), and blocks of at least 16 columns. Each element of C is still one dot product over
     * all of k; only the order of its additions may change, within float rounding.
     */
    static int smallChunk(Mat c, boolean ta, boolean tb, int m, int n, int k) {
        if (!SPLIT || c.buf().dataType() != DataType.FLOAT || c.colMajor() || ta || tb || m > 64
                || (long) m * n * k <= UNPACKED) {
            return 0;
        }
        int chunk = (int) (SMALL_PRODUCT / ((long) m * k)) / 16 * 16;
        return chunk >= 16 ? chunk : 0;
    }

    /**
     * A product with one row, as at batch 1 when streaming: {@code c = op(B)^T a} as a matrix-vector product, which
     * reads B once where GEMM first packs all of it (a 1x128 by 128x512 step product: GEMM spent most of its time
     * packing). With {@code beta} 0 the row is cleared first, so whatever the scratch held cannot leak in.
     */
    private static void gemv(Mat a, boolean transA, Mat b, boolean transB, Mat c, double beta, int k, int n) {
        // the stride between the k elements of op(A)'s row, and between the n elements of C's row
        int incX = (transA != a.colMajor()) ? a.ld() : 1;
        int incY = c.colMajor() ? c.ld() : 1;
        int layout = b.colMajor() ? openblas.CblasColMajor : openblas.CblasRowMajor;
        int op = transB ? openblas.CblasNoTrans : openblas.CblasTrans;   // op(B)^T
        if (beta == 0.0) {
            for (int j = 0; j < (incY == 1 ? 1 : n); j++) {
                Mem.zero(c.buf(), c.offset() + (long) j * incY, incY == 1 ? n : 1);
            }
        }
        Operands o = OPERANDS.get();
        if (c.buf().dataType() == DataType.DOUBLE) {
            openblas.cblas_dgemv(layout, op, b.rows(), b.cols(), 1.0, o.d(1, b), b.ld(), o.d(0, a), incX, beta,
                    o.d(2, c), incY);
        } else if (c.buf().dataType() == DataType.FLOAT) {
            openblas.cblas_sgemv(layout, op, b.rows(), b.cols(), 1f, o.f(1, b), b.ld(), o.f(0, a), incX, (float) beta,
                    o.f(2, c), incY);
        } else {
            throw new IllegalArgumentException("GEMM in float or double only, not " + c.buf().dataType());
        }
    }

    /**
     * A pointer whose address is set from Java: no JNI call, no native allocation, no deallocator. JavaCPP passes
     * {@code address + position} elements to the native function and keeps nothing after the call.
     */
    private static final class FloatAt extends FloatPointer {
        FloatAt at(long address, long offset) {
            this.address = address;
            this.position = offset;
            return this;
        }
    }

    /** As {@link FloatAt}, in double. */
    private static final class DoubleAt extends DoublePointer {
        DoubleAt at(long address, long offset) {
            this.address = address;
            this.position = offset;
            return this;
        }
    }

    /**
     * The three operands' pointers of this thread's products, reused: a product of a recurrence's step made three
     * pointer objects (and ND4J three more through {@code addressPointer()}), the most a batch-1 pass allocated.
     */
    private static final class Operands {
        final FloatAt[] f = {new FloatAt(), new FloatAt(), new FloatAt()};
        final DoubleAt[] d = {new DoubleAt(), new DoubleAt(), new DoubleAt()};

        FloatPointer f(int slot, Mat m) {
            check(m, DataType.FLOAT);
            return f[slot].at(Mem.address(m.buf()), m.offset());
        }

        DoublePointer d(int slot, Mat m) {
            check(m, DataType.DOUBLE);
            return d[slot].at(Mem.address(m.buf()), m.offset());
        }
    }

    private static final ThreadLocal<Operands> OPERANDS = ThreadLocal.withInitial(Operands::new);

    private static void check(Mat m, DataType dt) {
        if (m.buf().dataType() != dt) {
            throw new IllegalArgumentException("GEMM operands must share one data type: " + m.buf().dataType()
                    + " and " + dt);
        }
        long last = m.offset() + (m.colMajor() ? (long) (m.cols() - 1) * m.ld() + m.rows()
                : (long) (m.rows() - 1) * m.ld() + m.cols());
        if (m.offset() < 0 || last > m.buf().data().length()) {
            throw new IndexOutOfBoundsException("GEMM operand reaches element " + last + " of a buffer of "
                    + m.buf().data().length());
        }
    }
}
