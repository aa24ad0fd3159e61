package org.recurrent4j.cuda;

import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.engine.ForwardPass;
import org.recurrent4j.engine.RecurrentKernel;
import org.recurrent4j.engine.RnnWeights;
import org.recurrent4j.engine.Sequence;

/**
 * A layer's kernel on the GPU while ND4J runs on the CPU (the Hopper case): inputs and weights are copied to the
 * device, the pass runs there in FP32 and keeps its activations there for backward, and the output and gradients
 * come back into ND4J's arrays. Double-precision layers (gradient checks) run on {@code cpu}, the CPU kernel of the
 * same cell, since the CUDA kernels are FP32.
 */
final class GpuRecurrentKernel implements RecurrentKernel {

    private final RecurrentKernel cpu;
    private final Cell cell;
    private final Supplier<? extends Device> device;
    private GpuRecurrent gpu;

    GpuRecurrentKernel(RecurrentKernel cpu, Cell cell, Supplier<? extends Device> device) {
        this.cpu = cpu;
        this.cell = cell;
        this.device = device;
    }

    @Override
    public int gates() {
        return cpu.gates();
    }

    @Override
    public int states() {
        return cpu.states();
    }

    @Override
    public ForwardPass forward(RnnWeights w, Sequence in, INDArray[] initial, boolean keepForBackward) {
        if (w.w().dataType() != DataType.FLOAT) {
            return cpu.forward(w, in, initial, keepForBackward);
        }
        if (gpu == null) {
            gpu = new GpuRecurrent(device.get(), cell);
        }
        int steps = in.steps();
        int batch = in.batch();
        int hidden = (int) w.hidden();
        float[] mask = null;
        if (in.mask() != null) {
            mask = new float[in.mask().length];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = (float) in.mask()[i];
            }
        }
        float[][] init = null;
        if (initial != null) {
            init = new float[initial.length][];
            for (int s = 0; s < initial.length; s++) {
                init[s] = floats(initial[s]);
            }
        }
        GpuRecurrent.Output out = gpu.forward(weights(w), floats(in.x()), steps, batch, mask, init);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray y = Nd4j.createFromArray(out.y()).reshape('c', (long) steps * batch, hidden);
            INDArray[] last = new INDArray[out.finalState().length];
            for (int s = 0; s < last.length; s++) {
                last[s] = Nd4j.createFromArray(out.finalState()[s]).reshape('c', batch, hidden);
            }
            return ForwardPass.external(in, hidden, y, last, this);
        }
    }

    @Override
    public void backward(ForwardPass pass, INDArray dY, int backSteps, RnnWeights w, RnnWeights grads, INDArray dX) {
        if (pass.record() != this) {   // a double-precision pass, made by the CPU kernel
            cpu.backward(pass, dY, backSteps, w, grads, dX);
            return;
        }
        GpuRecurrent.Gradients g = gpu.backward(weights(w), floats(dY), backSteps);
        assign(grads.w(), g.weights().w());
        assign(grads.rw(), g.weights().rw());
        if (grads.b() != null) {
            assign(grads.b(), g.weights().b());
        }
        if (grads.rb() != null) {
            assign(grads.rb(), g.weights().rb());
        }
        assign(dX, g.dx());
    }

    private static CellWeights weights(RnnWeights w) {
        return new CellWeights((int) w.nIn(), (int) w.hidden(), floats(w.w()), floats(w.rw()),
                w.b() == null ? null : floats(w.b()), w.rb() == null ? null : floats(w.rb()));
    }

    /** The elements of {@code a} in row-major order, whatever its layout. */
    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').reshape(a.length()).toFloatVector();
    }

    private static void assign(INDArray target, float[] values) {
        target.assign(Nd4j.createFromArray(values).reshape('c', target.shape()).castTo(target.dataType()));
    }
}
