package org.recurrent4j.compute;

import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code C = op(A) op(B) + beta C}. On ND4J's CPU backend the kernels call OpenBLAS directly: ND4J's own
 * {@code Nd4j.gemm} spends about 0.35 ms per call in op set-up, seven times the arithmetic of a 32x128x512 step
 * product. Elsewhere (ND4J's CUDA backend) they go through ND4J.
 */
public interface Gemm {

    public void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, double beta);

    /**
     * True where a second thread may call {@link #gemm} at the same time on disjoint outputs and gain from it:
     * OpenBLAS set to one thread, which computes in the caller's thread. Not ND4J's op path (workspaces and device
     * contexts are per thread), nor OpenBLAS with its own worker threads, which would compete for the cores.
     */
    default boolean threadSafe() {
        return false;
    }

    /** The implementation for the running ND4J backend. */
    public static Gemm get() {
        return Holder.INSTANCE;
    }

    public final class Holder {
        static final Gemm INSTANCE = choose();

        private Holder() {
        }

        private static Gemm choose() {
            String backend = Nd4j.getBackend().getClass().getName();
            if (backend.equals("org.nd4j.linalg.cpu.nativecpu.CpuBackend") && !Boolean.getBoolean("recurrent4j.nd4jGemm")) {
                try {
                    return new OpenBlasGemm();
                } catch (Throwable e) {
                    // OpenBLAS's Java binding or natives missing: ND4J's gemm still works
                }
            }
            return new Nd4jGemm();
        }
    }
}
