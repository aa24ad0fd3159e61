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
        int opA = ta ? openblas.CblasTrans : openblas.CblasNoTrans;
        int opB = tb ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (c.buf().dataType() == DataType.DOUBLE) {
            openblas.cblas_dgemm(layout, opA, opB, m, n, k, 1.0, dp(a), a.ld(), dp(b), b.ld(), beta, dp(c), c.ld());
        } else if (c.buf().dataType() == DataType.FLOAT) {
            openblas.cblas_sgemm(layout, opA, opB, m, n, k, 1f, fp(a), a.ld(), fp(b), b.ld(), (float) beta, fp(c),
                    c.ld());
        } else {
            throw new IllegalArgumentException("GEMM in float or double only, not " + c.buf().dataType());
        }
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
        if (c.buf().dataType() == DataType.DOUBLE) {
            openblas.cblas_dgemv(layout, op, b.rows(), b.cols(), 1.0, dp(b), b.ld(), dp(a), incX, beta, dp(c), incY);
        } else if (c.buf().dataType() == DataType.FLOAT) {
            openblas.cblas_sgemv(layout, op, b.rows(), b.cols(), 1f, fp(b), b.ld(), fp(a), incX, (float) beta, fp(c),
                    incY);
        } else {
            throw new IllegalArgumentException("GEMM in float or double only, not " + c.buf().dataType());
        }
    }

    private static FloatPointer fp(Mat m) {
        check(m, DataType.FLOAT);
        return new FloatPointer(m.buf().data().addressPointer()).position(m.offset());
    }

    private static DoublePointer dp(Mat m) {
        check(m, DataType.DOUBLE);
        return new DoublePointer(m.buf().data().addressPointer()).position(m.offset());
    }

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
