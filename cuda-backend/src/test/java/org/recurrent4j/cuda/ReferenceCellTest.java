package org.recurrent4j.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.backend.BackendChoice;
import org.recurrent4j.backend.Backends;
import org.recurrent4j.engine.ForwardPass;
import org.recurrent4j.engine.RecurrentKernel;
import org.recurrent4j.engine.RnnWeights;
import org.recurrent4j.engine.Sequence;

/**
 * The plain reference that the GPU check compares against equals the CPU kernels in double precision (which the
 * fixture tests hold equal to PyTorch): forward and every gradient, with a mask, initial states and truncation.
 */
class ReferenceCellTest {

    @BeforeAll
    static void cpu() {
        Backends.activate(BackendChoice.CPU);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void equalsTheCpuKernels(Cell cell) {
        Random rnd = new Random(40 + cell.ordinal());
        int steps = 4;
        int batch = 3;
        int nIn = 5;
        int hidden = 6;
        CellWeights w = GpuCheck.randomWeights(rnd, cell, nIn, hidden, true);
        float[] x = GpuRecurrentEmulatedTest.random(rnd, steps * batch * nIn);
        float[] mask = GpuRecurrentEmulatedTest.mask(steps, batch, new int[]{4, 1, 3});
        float[][] init = new float[cell.states][];
        for (int s = 0; s < cell.states; s++) {
            init[s] = GpuRecurrentEmulatedTest.random(rnd, batch * hidden);
        }
        float[] dY = GpuRecurrentEmulatedTest.random(rnd, steps * batch * hidden);
        for (int backSteps : new int[]{0, 2}) {
            ReferenceCell ref = new ReferenceCell(cell);
            ReferenceCell.Output out = ref.forward(w, x, steps, batch, mask, init);
            ReferenceCell.Gradients g = ref.backward(dY, backSteps);

            RecurrentKernel k = CpuKernels.of(cell);
            DataType dt = DataType.DOUBLE;
            RnnWeights weights = CpuKernels.weights(w, dt);
            Sequence seq = CpuKernels.sequence(x, steps, batch, nIn, mask, dt);
            INDArray[] initial = new INDArray[cell.states];
            for (int s = 0; s < cell.states; s++) {
                initial[s] = CpuKernels.matrix(init[s], batch, hidden, dt);
            }
            ForwardPass pass = k.forward(weights, seq, initial, true);
            RnnWeights grads = CpuKernels.zeros(w, dt);
            INDArray dX = Nd4j.zeros(dt, steps * batch, nIn);
            k.backward(pass, CpuKernels.matrix(dY, steps * batch, hidden, dt), backSteps, weights, grads, dX);

            String at = cell + " backSteps " + backSteps + ": ";
            close(at + "y", out.y(), CpuKernels.doubles(pass.output()));
            for (int s = 0; s < cell.states; s++) {
                close(at + "final state", out.finalState()[s], CpuKernels.doubles(pass.finalState()[s]));
            }
            close(at + "dW", g.w(), CpuKernels.doubles(grads.w()));
            close(at + "dR", g.rw(), CpuKernels.doubles(grads.rw()));
            close(at + "db", g.b(), CpuKernels.doubles(grads.b()));
            if (cell.hasRecurrentBias()) {
                close(at + "drb", g.rb(), CpuKernels.doubles(grads.rb()));
            }
            close(at + "dX", g.dx(), CpuKernels.doubles(dX));
        }
    }

    private static void close(String what, double[] actual, double[] expected) {
        double diff = 0.0;
        double scale = 0.0;
        for (int i = 0; i < actual.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(actual.length == expected.length && scale > 0 && diff <= 1e-12 * scale,
                what + ": max difference " + diff + " at scale " + scale);
    }
}
