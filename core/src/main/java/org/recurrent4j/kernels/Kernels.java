package org.recurrent4j.kernels;

import java.util.ServiceLoader;
import org.recurrent4j.backend.BackendDecision;
import org.recurrent4j.backend.Backends;

/** Picks the kernel a runtime layer runs: an accelerated one where the active backend has one, else the CPU's. */
public final class Kernels {

    private Kernels() {
    }

    /**
     * How the CPU kernels use the cores as things stand (ND4J started): whether a second core takes their large
     * GEMMs, and if not, why. For reports.
     */
    public static String cpuThreads() {
        return SideLane.describe(Gemm.get());
    }

    /**
     * The kernel for a layer whose CPU kernel is {@code cpu}: the first {@link KernelAccelerator} that takes it under
     * the backend {@link Backends#activate} chose, else {@code cpu} itself (also where no backend was activated).
     */
    public static RecurrentKernel forLayer(RecurrentKernel cpu) {
        BackendDecision decision = Backends.active();
        if (decision == null || !decision.cuda()) {
            return cpu;
        }
        for (KernelAccelerator a : ServiceLoader.load(KernelAccelerator.class, Kernels.class.getClassLoader())) {
            RecurrentKernel k = a.accelerate(cpu, decision);
            if (k != null) {
                return k;
            }
        }
        return cpu;
    }
}
