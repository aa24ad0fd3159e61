package org.recurrent4j.compute;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** GEMM through ND4J, for backends whose buffers OpenBLAS cannot reach (ND4J's CUDA backend). */
public final class Nd4jGemm implements Gemm {

    @Override
    public void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, double beta) {
        Nd4j.gemm(view(a), view(b), view(c), transA, transB, 1.0, beta);
    }

    private static INDArray view(Mat m) {
        long[] shape = {m.rows(), m.cols()};
        long[] stride = m.colMajor() ? new long[]{1, m.ld()} : new long[]{m.ld(), 1};
        return Nd4j.create(m.buf().data(), shape, stride, m.offset(), m.colMajor() ? 'f' : 'c');
    }
}
