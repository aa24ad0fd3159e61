import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.backend.BlasCore;
import org.recurrent4j.backend.LibraryDefaults;
import org.recurrent4j.compute.Gemm;
import org.recurrent4j.compute.Mat;

/**
 * One float matrix product C += A B, M x K times K x N, on ND4J's OpenBLAS at one thread with the kernel set
 * recurrent4j chooses: as one OpenBLAS call, and as recurrent4j's kernels call it (which splits small products into
 * column blocks that OpenBLAS runs without packing): microseconds per call and GFLOP/s. Beside
 * tools/torch_gemm.py it shows how the BLAS each side links compares on this machine.
 *
 * <pre>java -cp examples/target/recurrent4j.jar tools/GemmSpeed.java 32 128 512</pre>
 */
public class GemmSpeed {
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: java -cp examples/target/recurrent4j.jar tools/GemmSpeed.java M K N");
            System.exit(2);
        }
        BlasCore.chooseBeforeLoad();
        LibraryDefaults.onThread();
        int m = Integer.parseInt(args[0]);
        int k = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        INDArray a = Nd4j.rand(DataType.FLOAT, m, k);
        INDArray b = Nd4j.rand(DataType.FLOAT, k, n);
        INDArray c = Nd4j.zeros(DataType.FLOAT, m, n);
        Gemm gemm = Gemm.get();
        Mat ma = Mat.of(a);
        Mat mb = Mat.of(b);
        Mat mc = Mat.of(c);
        FloatPointer pa = new FloatPointer(a.data().addressPointer());
        FloatPointer pb = new FloatPointer(b.data().addressPointer());
        FloatPointer pc = new FloatPointer(c.data().addressPointer());
        time("one OpenBLAS call", m, k, n, () -> openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans,
                openblas.CblasNoTrans, m, n, k, 1f, pa, k, pb, n, 1f, pc, n));
        time("recurrent4j's Gemm", m, k, n, () -> gemm.gemm(ma, false, mb, false, mc, 1.0));
    }

    private static void time(String what, int m, int k, int n, Runnable product) {
        long iters = Math.max(200, (long) (4e9 / (2.0 * m * k * n)));
        for (long i = 0; i < iters / 4; i++) {
            product.run();
        }
        long t0 = System.nanoTime();
        for (long i = 0; i < iters; i++) {
            product.run();
        }
        double us = (System.nanoTime() - t0) / 1e3 / iters;
        System.out.printf("%s (ND4J's OpenBLAS, %s kernels) %dx%dx%d: %.2f us, %.1f GFLOP/s%n",
                what, BlasCore.active(), m, k, n, us, 2.0 * m * k * n / us / 1e3);
    }
}
