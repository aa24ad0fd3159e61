package org.recurrent4j.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;

/** GEMM straight into OpenBLAS on the host buffers of ND4J's CPU backend. */
final class OpenBlasGemm implements Gemm {

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
