package org.recurrent4j.engine;

import org.recurrent4j.backend.BackendDecision;

/**
 * Runs a cell's kernel somewhere faster than this package's CPU kernels, a GPU for example. Implementations are
 * found with {@link java.util.ServiceLoader}, so a backend module adds one by being on the classpath; the runtime
 * layers ask them through {@link Kernels#forLayer}.
 */
public interface KernelAccelerator {

    /**
     * A kernel that computes {@code cell}, or null where this accelerator does not run under {@code decision}. The
     * kernel may hand work it cannot do (double precision, say) to {@code cpu}, the CPU engine of the same cell.
     *
     * @param layer names the layer in messages
     * @throws UnsupportedOperationException where this accelerator runs under {@code decision} but has no kernel for
     *                                       the cell: the message names the cell and what to do instead. A layer is
     *                                       never quietly computed elsewhere than the backend chosen.
     */
    RecurrentKernel accelerate(org.recurrent4j.cells.Cell cell, RecurrentKernel cpu, BackendDecision decision,
                               String layer);
}
