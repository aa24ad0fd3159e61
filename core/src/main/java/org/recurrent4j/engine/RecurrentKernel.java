package org.recurrent4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward and backward math of one recurrent cell type over whole sequences. Runtime layers call this interface;
 * a kernel knows nothing of DL4J's configuration classes.
 *
 * <p>Every implementation is fused the same way: the inputs of all steps are projected by one GEMM, each step does one
 * recurrent GEMM and one pass of Java arithmetic over its gates, and backward gathers the gate gradients of all steps
 * and gets each weight gradient from one GEMM.
 *
 * <p>A kernel keeps its working memory between calls: the pass that {@link #forward} returns is valid until the next
 * {@code forward} call on the same kernel, so each layer owns its own kernel instance.
 */
public interface RecurrentKernel {

    /**
     * The layout this package's kernels write their output in: column-major {@code [T*B, H]}, so that each unit's
     * outputs over time and batch are contiguous. That is DL4J's 'f' layout of {@code [B, T, H]}, which its
     * {@code RnnOutputLayer} reshapes to 2-D without a copy, where a row-major output costs three transposing copies
     * per training step (an LSTM step at batch 32, 50 steps, hidden 128 took 34.0 ms with them, 32.9 ms without).
     */
    char Y_ORDER = 'f';

    /** Gate blocks in the weight matrices: Elman 1, GRU 3, LSTM 4. */
    int gates();

    /** State arrays carried between steps: h, or h and c for the LSTM. */
    int states();

    /**
     * Runs the sequences.
     *
     * @param initial         null for zero initial states, else {@link #states()} arrays of shape {@code [B, H]}
     * @param keepForBackward false for inference; the pass then holds only what the output needs
     */
    ForwardPass forward(RnnWeights w, Sequence in, INDArray[] initial, boolean keepForBackward);

    /**
     * Backpropagates through a pass made with {@code keepForBackward}.
     *
     * @param dY        gradient of the loss with respect to the output, {@code [T*B, H]}, time-major, row-major or
     *                  column-major
     * @param backSteps truncated BPTT: only the last {@code backSteps} steps are backpropagated; 0 or less for all
     * @param grads     gradient arrays, shaped as {@code w}, overwritten
     * @param dX        gradient with respect to the input, {@code [T*B, nIn]}, row-major or column-major, overwritten
     */
    void backward(ForwardPass pass, INDArray dY, int backSteps, RnnWeights w, RnnWeights grads, INDArray dX);

    /**
     * True where two instances may run at the same time on two threads of the host: the CPU kernels, whose working
     * memory is their own and whose GEMMs go to BLAS from the calling thread. A bidirectional layer then runs its two
     * directions on two cores.
     */
    default boolean concurrentOnHost() {
        return false;
    }
}
