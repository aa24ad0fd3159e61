package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Both GEMM paths against ND4J's mmul, on the operand shapes the kernels use: row blocks, column blocks, views. */
class GemmTest {

    enum Impl { OPENBLAS, ND4J }

    static Gemm gemm(Impl impl) {
        return impl == Impl.OPENBLAS ? new OpenBlasGemm() : new Nd4jGemm();
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void rowBlocksTimesAnFOrderParameterViewAccumulate(Impl impl) {
        for (DataType dt : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray flat = Nd4j.rand(dt, 1, 5 * 12 + 3 * 12);
            INDArray rw = flat.reshape(flat.length()).get(NDArrayIndex.interval(60, 96)).reshape('f', 3, 12);
            INDArray hs = Nd4j.rand(dt, 8, 3);
            INDArray z = Nd4j.rand(dt, 8, 12);
            INDArray expected = z.dup();
            expected.get(NDArrayIndex.interval(4, 6), NDArrayIndex.all())
                    .addi(hs.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all()).mmul(rw));
            gemm(impl).gemm(Mat.rows(hs, 2, 2), false, Mat.of(rw), false, Mat.rows(z, 4, 2), 1.0);
            assertTrue(expected.equalsWithEps(z, 1e-5), impl + " " + dt + ": " + z + " vs " + expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void transposedOperandsIntoAColumnBlockOfAnFOrderResult(Impl impl) {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 6, 4);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 6, 9);
        INDArray c = Nd4j.rand(DataType.DOUBLE, 4, 9).dup('f');
        INDArray expected = c.dup('f');
        expected.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6))
                .assign(a.transpose().mmul(b.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6))));
        gemm(impl).gemm(Mat.of(a), true, Mat.of(b).cols(3, 3), false, Mat.of(c).cols(3, 3), 0.0);
        assertTrue(expected.equalsWithEps(c, 1e-12), impl + ": " + c + " vs " + expected);
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void rowMajorResultFromATransposedColumnMajorOperand(Impl impl) {
        INDArray dz = Nd4j.rand(DataType.DOUBLE, 10, 8);
        INDArray w = Nd4j.rand(DataType.DOUBLE, 5, 8).dup('f');
        INDArray dx = Nd4j.zeros(DataType.DOUBLE, 10, 5);
        gemm(impl).gemm(Mat.of(dz), false, Mat.of(w), true, Mat.of(dx), 0.0);
        assertTrue(dz.mmul(w.transpose()).equalsWithEps(dx, 1e-12));
    }

    /**
     * One row of C, as at batch 1: the OpenBLAS path takes a matrix-vector product there. Every layout of A, B and C,
     * both transposes, a row in the middle of C, and beta 0 over NaN, which must not leak into the result. (ND4J's
     * path takes no view of C that is not contiguous, so it is not asked.)
     */
    @org.junit.jupiter.api.Test
    void oneRowProductsInEveryLayout() {
        Impl impl = Impl.OPENBLAS;
        int k = 7;
        int n = 11;
        for (DataType dt : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            for (char orderA : new char[]{'c', 'f'}) {
                for (char orderB : new char[]{'c', 'f'}) {
                    for (char orderC : new char[]{'c', 'f'}) {
                        for (boolean transA : new boolean[]{false, true}) {
                            for (boolean transB : new boolean[]{false, true}) {
                                for (double beta : new double[]{0.0, 1.0}) {
                                    INDArray a = (transA ? Nd4j.rand(dt, k, 3) : Nd4j.rand(dt, 3, k)).dup(orderA);
                                    INDArray b = (transB ? Nd4j.rand(dt, n, k) : Nd4j.rand(dt, k, n)).dup(orderB);
                                    INDArray c = Nd4j.rand(dt, 4, n).dup(orderC);
                                    INDArray aRow = transA ? a.getColumn(1).reshape(1, k)
                                            : a.getRow(1).reshape(1, k);
                                    INDArray expected = aRow.mmul(transB ? b.transpose() : b);
                                    if (beta == 1.0) {
                                        expected.addi(c.getRow(2).reshape(1, n));
                                    } else {
                                        c.getRow(2).assign(Double.NaN);
                                    }
                                    INDArray before = c.dup(orderC);
                                    Mat aMat = transA ? Mat.of(a).cols(1, 1) : Mat.rows(a, 1, 1);
                                    gemm(impl).gemm(aMat, transA, Mat.of(b), transB, Mat.rows(c, 2, 1), beta);
                                    String what = impl + " " + dt + " A " + orderA + (transA ? "^T" : "") + " B "
                                            + orderB + (transB ? "^T" : "") + " C " + orderC + " beta " + beta;
                                    assertTrue(expected.equalsWithEps(c.getRow(2).reshape(1, n), 1e-5),
                                            what + ": " + c.getRow(2) + " vs " + expected);
                                    for (int r : new int[]{0, 1, 3}) {
                                        assertTrue(before.getRow(r).equals(c.getRow(r)), what + ": row " + r
                                                + " changed");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Float products of a few rows large enough that recurrent4j's OpenBLAS path splits them into column blocks: into a
     * column block of a wider result (ld > n), B a column block of a wider matrix or transposed column-major, beta 0
     * and 1, a last block narrower than the others.
     */
    @org.junit.jupiter.api.Test
    void splitSmallProductsEqualOneProduct() {
        int m = 32;
        int k = 128;
        int n = 500;   // blocks of 128 and a last one of 116
        assertTrue(OpenBlasGemm.smallChunk(Mat.of(Nd4j.zeros(DataType.FLOAT, m, n)), false, false, m, n, k) > 0,
                "this product is split");
        INDArray a = Nd4j.rand(DataType.FLOAT, m, k).subi(0.5);
        INDArray wide = Nd4j.rand(DataType.FLOAT, k, n + 24).subi(0.5);
        INDArray b = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(10, 10 + n));
        INDArray bT = b.dup('c').transpose();   // [n, k] column-major: B^T in name, B in memory, so still split
        for (double beta : new double[]{0.0, 1.0}) {
            for (boolean transB : new boolean[]{false, true}) {
                INDArray c = Nd4j.rand(DataType.FLOAT, m, n + 30).subi(0.5);
                INDArray expected = c.dup();
                INDArray block = expected.get(NDArrayIndex.all(), NDArrayIndex.interval(7, 7 + n));
                block.assign(block.mul(beta).add(a.mmul(b)));
                new OpenBlasGemm().gemm(Mat.of(a), false, transB ? Mat.of(bT) : Mat.of(wide).cols(10, n), transB,
                        Mat.of(c).cols(7, n), beta);
                assertTrue(expected.equalsWithEps(c, 1e-4), "beta " + beta + ", transB " + transB);
            }
        }
    }
}
