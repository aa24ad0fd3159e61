package org.recurrent4j.cuda;

import java.util.Arrays;
import org.recurrent4j.backend.BackendDecision;
import org.recurrent4j.engine.KernelAccelerator;
import org.recurrent4j.engine.RecurrentKernel;

/**
 * Puts the recurrent layers on recurrent4j's CUDA kernels where the active backend is {@link RecurrentKernelsPath}.
 * A cell is matched to its kernels by its declared {@code kind()}; a cell these kernels do not compute is refused,
 * never run elsewhere than the backend chosen.
 */
public final class CudaKernelAccelerator implements KernelAccelerator {

    @Override
    public RecurrentKernel accelerate(org.recurrent4j.cells.Cell cell, RecurrentKernel cpu, BackendDecision decision,
                                      String layer) {
        if (!decision.cuda() || !RecurrentKernelsPath.NAME.equals(decision.path())) {
            return null;
        }
        Cell gpu = cellOf(cell);
        if (gpu == null) {
            throw new UnsupportedOperationException(layer + ": recurrent4j's CUDA kernels do not compute the "
                    + cell.name() + " cell (they compute " + Arrays.toString(Cell.values()) + "): run this network "
                    + "on the CPU (--backend cpu on the command line, or Backends.activate(BackendChoice.CPU) before "
                    + "building it)");
        }
        return new GpuRecurrentKernel(cpu, gpu, CudaDevice::shared);
    }

    /** The CUDA kernels of a cell, by its declared kind; null where there are none. */
    static Cell cellOf(org.recurrent4j.cells.Cell cell) {
        return Cell.forKind(cell.kind());
    }
}
