package org.recurrent4j.engine;

import org.recurrent4j.compute.Gemm;
import org.recurrent4j.compute.SideLane;

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
     * The kernel of a layer running {@code cell}: the first {@link KernelAccelerator} that takes it under the backend
     * {@link Backends#activate} chose, else the CPU engine (also where no backend was activated).
     *
     * @param layer names the layer in messages
     * @throws UnsupportedOperationException where the chosen accelerator has no kernel for the cell (the message says
     *                                       which and what to do)
     */
    public static RecurrentKernel forLayer(org.recurrent4j.cells.Cell cell, String layer) {
        RecurrentKernel cpu = new CellEngine(cell);
        BackendDecision decision = Backends.active();
        if (decision == null || !decision.cuda()) {
            return cpu;
        }
        for (KernelAccelerator a : ServiceLoader.load(KernelAccelerator.class, Kernels.class.getClassLoader())) {
            RecurrentKernel k = a.accelerate(cell, cpu, decision, layer);
            if (k != null) {
                return k;
            }
        }
        return cpu;
    }
}
