package org.recurrent4j.backend;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many threads ND4J's CPU ops and its BLAS use. The recurrent kernels call BLAS between passes of Java gate
 * arithmetic; BLAS's and ND4J's worker threads spin-wait after each call, and on a machine with two cores they take
 * the core the Java thread needs. There one thread for both made a training step 1.5x faster (LSTM, batch 32, 50
 * steps, hidden 128: 58-72 -> 41-42 ms; DL4J's own LSTM 505 -> 121-190 ms).
 *
 * <pre>{@code
 * Backends.activate(BackendChoice.AUTO);
 * CpuThreads.apply(CpuThreads.parse("auto"));   // 1 on two cores, ND4J's default elsewhere
 * }</pre>
 */
public final class CpuThreads {

    private CpuThreads() {
    }

    /** The count {@code auto} picks: 1 where there are at most two cores (measured), else 0, ND4J's own default. */
    public static int auto(int cores) {
        return cores <= 2 ? 1 : 0;
    }

    /**
     * Parses {@code auto} or a positive count.
     *
     * @throws IllegalArgumentException naming the value and what is accepted
     */
    public static int parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return auto(Runtime.getRuntime().availableProcessors());
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--threads must be auto or a positive number, got '" + value + "'");
    }

    /**
     * Sets ND4J's op threads and its BLAS threads to {@code n}, and OpenMP's for the calling thread; {@code n <= 0}
     * leaves ND4J's defaults. Call after {@link Backends#activate} (this starts ND4J), from the thread that will train.
     *
     * <p>OpenMP's count matters because some of libnd4j's ops (softmax among them, in every {@code RnnOutputLayer})
     * open OpenMP regions with OpenMP's own default, one thread per core, whatever ND4J's op count says. After each
     * region OpenMP's worker spins: on two cores it took 40-45% of the second core through a training step, the core
     * that the kernels' side lane runs on. OpenMP keeps this count per thread; {@code OMP_NUM_THREADS} sets it for
     * all threads where it is in the environment before ND4J starts.
     */
    public static void apply(int n) {
        if (n <= 0) {
            return;
        }
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
        if (Nd4j.getBackend().getClass().getName().equals("org.nd4j.linalg.cpu.nativecpu.CpuBackend")) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        }
    }
}
