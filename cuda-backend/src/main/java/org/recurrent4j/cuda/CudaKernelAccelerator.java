package org.recurrent4j.cuda;

import org.recurrent4j.backend.BackendDecision;
import org.recurrent4j.kernels.ElmanKernel;
import org.recurrent4j.kernels.GruKernel;
import org.recurrent4j.kernels.KernelAccelerator;
import org.recurrent4j.kernels.LstmKernel;
import org.recurrent4j.kernels.RecurrentKernel;

/** Puts the recurrent layers on recurrent4j's CUDA kernels where the active backend is {@link RecurrentKernelsPath}. */
public final class CudaKernelAccelerator implements KernelAccelerator {

    @Override
    public RecurrentKernel accelerate(RecurrentKernel cpu, BackendDecision decision) {
        if (!decision.cuda() || !RecurrentKernelsPath.NAME.equals(decision.path())) {
            return null;
        }
        Cell cell = cellOf(cpu);
        return cell == null ? null : new GpuRecurrentKernel(cpu, cell, CudaDevice::shared);
    }

    /** The cell a CPU kernel computes; null for a kernel these CUDA kernels do not cover. */
    static Cell cellOf(RecurrentKernel cpu) {
        if (cpu instanceof LstmKernel) {
            return Cell.LSTM;
        }
        if (cpu instanceof GruKernel g) {
            return g.resetAfter() ? Cell.GRU : Cell.GRU_RESET_BEFORE;
        }
        if (cpu instanceof ElmanKernel e) {
            return switch (e.activation()) {
                case TANH -> Cell.RNN_TANH;
                case RELU -> Cell.RNN_RELU;
                case IDENTITY -> Cell.RNN_IDENTITY;
            };
        }
        return null;
    }
}
