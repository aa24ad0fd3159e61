package org.recurrent4j.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/** What ND4J actually runs on, read after it started: for the {@code backend} command and for logs. */
public final class RuntimeReport {

    private RuntimeReport() {
    }

    /** Starts ND4J where it has not started, and lists backend class, BLAS vendor, kernels and threads. */
    public static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nd4j backend", Nd4j.getBackend().getClass().getName());
        m.put("data type", Nd4j.defaultFloatingPointType().toString());
        m.put("blas vendor", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
        m.put("threads", Nd4j.getEnvironment().maxThreads() + " (master threads "
                + Nd4j.getEnvironment().maxMasterThreads() + ", BLAS threads " + Nd4j.factory().blas().getMaxThreads()
                + ")");
        m.put("cpu cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.putAll(blasKernels());
        return m;
    }

    /**
     * The OpenBLAS kernels ND4J's CPU backend runs, why, and a warning where they are older than the CPU; empty on
     * other backends.
     */
    public static Map<String, String> blasKernels() {
        if (!Nd4j.getBackend().getClass().getName().equals("org.nd4j.linalg.cpu.nativecpu.CpuBackend")) {
            return Map.of();
        }
        return BlasCore.describe(BlasCore.active(), BlasCore.choice(), BlasCore.Cpu.current());
    }

    /**
     * Checks that ND4J started on the backend the decision named: it did not where something used ND4J before
     * {@link Backends#activate} ran.
     */
    public static void verify(BackendDecision decision) {
        String running = Nd4j.getBackend().getClass().getName();
        if (!running.equals(decision.nd4jBackendClass())) {
            throw new IllegalStateException("ND4J runs " + running + " but " + decision.nd4jBackendClass()
                    + " was chosen: ND4J was used before Backends.activate(...)");
        }
    }
}
