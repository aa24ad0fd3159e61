package org.recurrent4j.backend;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The thread choice the command line makes, made for library users too: a plain DL4J program that uses recurrent4j's
 * layers, with no set-up call, gets it when its first recurrent4j layer is created (and again on each new thread that
 * runs one, as OpenMP keeps its count per thread). The OpenBLAS kernel choice, which has to come before ND4J loads
 * OpenBLAS, is made by {@code recurrent4j-cpu}'s hook that ND4J instantiates while it looks for its backends.
 *
 * <p>The user's choice wins, and nothing is changed where there is one: the system property
 * {@value #PROPERTY} ({@code auto}, a count, or {@code nd4j} to leave ND4J's defaults), the environment variables
 * {@code RECURRENT4J_THREADS} or {@code OMP_NUM_THREADS}, or a call of {@link CpuThreads#apply} / {@link Backends#activate}
 * (what the command line does).
 */
public final class LibraryDefaults {

    /** The system property that sets or opts out of the thread choice. */
    public static final String PROPERTY = "recurrent4j.threads";

    private static volatile Integer threads;
    private static final ThreadLocal<Boolean> APPLIED = new ThreadLocal<>();

    private LibraryDefaults() {
    }

    /**
     * The thread count to apply: 0 for none (the user chose, or ND4J does not run on the CPU), else
     * {@link CpuThreads#auto} or the count the property or variable gives.
     */
    static int decide(String property, String recurrent4jEnv, String ompEnv, boolean cliActivated, boolean cpuBackend,
                      int cores) {
        if (cliActivated || !cpuBackend) {
            return 0;
        }
        String v = property != null ? property : recurrent4jEnv;
        if (v == null) {
            return ompEnv != null && !ompEnv.isBlank() ? 0 : CpuThreads.auto(cores);
        }
        return v.trim().equalsIgnoreCase("nd4j") ? 0 : CpuThreads.parse(v);
    }

    /** Applies the thread choice on the calling thread, once per thread; cheap after the first call. */
    public static void onThread() {
        if (APPLIED.get() != null) {
            return;
        }
        APPLIED.set(Boolean.TRUE);
        Integer n = threads;
        if (n == null) {
            synchronized (LibraryDefaults.class) {
                if (threads == null) {
                    threads = decide(System.getProperty(PROPERTY), System.getenv("RECURRENT4J_THREADS"),
                            System.getenv("OMP_NUM_THREADS"), Backends.active() != null,
                            Nd4j.getBackend().getClass().getName().equals(BackendDecision.ND4J_CPU_BACKEND),
                            Runtime.getRuntime().availableProcessors());
                }
                n = threads;
            }
        }
        if (n > 0) {
            CpuThreads.apply(n);
        }
    }
}
