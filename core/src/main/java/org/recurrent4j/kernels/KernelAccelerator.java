package org.recurrent4j.kernels;

import org.recurrent4j.backend.BackendDecision;

/**
 * Runs a cell's kernel somewhere faster than this package's CPU kernels, a GPU for example. Implementations are
 * found with {@link java.util.ServiceLoader}, so a backend module adds one by being on the classpath; the runtime
 * layers ask them through {@link Kernels#forLayer}.
 */
public interface KernelAccelerator {

    /**
     * A kernel with the same math as {@code cpu}, or null where this accelerator does not run under {@code decision}
     * or does not know the cell. The kernel may hand work it cannot do (double precision, say) back to {@code cpu}.
     */
    RecurrentKernel accelerate(RecurrentKernel cpu, BackendDecision decision);
}
