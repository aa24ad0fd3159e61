package org.recurrent4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.backend.BackendChoice;
import org.recurrent4j.backend.BackendDecision;
import org.recurrent4j.backend.Backends;
import org.recurrent4j.engine.ForwardPass;
import org.recurrent4j.engine.RecurrentKernel;
import org.recurrent4j.engine.RnnWeights;
import org.recurrent4j.engine.Sequence;

/**
 * The ND4J side of the CUDA path: the kernel a layer gets equals the CPU kernel of its cell in FP32 (run here on the
 * emulated device), hands double precision to the CPU kernel, and is chosen only under recurrent4j's CUDA path.
 */
class GpuRecurrentKernelTest {

    private static EmulatedDevice device;

    @BeforeAll
    static void start() throws Exception {
        Backends.activate(BackendChoice.CPU);
        device = EmulatedDevice.shared();
    }


    @ParameterizedTest
    @EnumSource(Cell.class)
    void equalsTheCpuKernelInFloat(Cell cell) {
        assumeTrue(device != null, EmulatedDevice.NO_COMPILER);
        Random rnd = new Random(70 + cell.ordinal());
        int steps = 4;
        int batch = 2;
        int nIn = 3;
        int hidden = 5;
        CellWeights w = GpuCheck.randomWeights(rnd, cell, nIn, hidden, true);
        float[] x = GpuRecurrentEmulatedTest.random(rnd, steps * batch * nIn);
        float[] mask = GpuRecurrentEmulatedTest.mask(steps, batch, new int[]{4, 2});
        DataType dt = DataType.FLOAT;
        RnnWeights weights = CpuKernels.weights(w, dt);
        Sequence seq = CpuKernels.sequence(x, steps, batch, nIn, mask, dt);
        INDArray dY = CpuKernels.matrix(GpuRecurrentEmulatedTest.random(rnd, steps * batch * hidden),
                steps * batch, hidden, dt);

        RecurrentKernel cpu = CpuKernels.of(cell);
        RecurrentKernel gpu = new GpuRecurrentKernel(CpuKernels.of(cell), cell, () -> device);
        assertEquals(cpu.gates(), gpu.gates());
        assertEquals(cpu.states(), gpu.states());
        ForwardPass want = cpu.forward(weights, seq, null, true);
        ForwardPass got = gpu.forward(weights, seq, null, true);
        close("y", got.output(), want.output());
        for (int s = 0; s < cell.states; s++) {
            close("final state", got.finalState()[s], want.finalState()[s]);
        }
        RnnWeights wantG = CpuKernels.zeros(w, dt);
        RnnWeights gotG = CpuKernels.zeros(w, dt);
        INDArray wantDx = Nd4j.zeros(dt, steps * batch, nIn);
        INDArray gotDx = Nd4j.zeros(dt, steps * batch, nIn);
        cpu.backward(want, dY, 0, weights, wantG, wantDx);
        gpu.backward(got, dY, 0, weights, gotG, gotDx);
        close("dW", gotG.w(), wantG.w());
        close("dR", gotG.rw(), wantG.rw());
        close("db", gotG.b(), wantG.b());
        if (cell.hasRecurrentBias()) {
            close("drb", gotG.rb(), wantG.rb());
        }
        close("dX", gotDx, wantDx);
    }

    @Test
    void doublePrecisionRunsOnTheCpuKernel() {
        AtomicInteger opened = new AtomicInteger();
        RecurrentKernel gpu = new GpuRecurrentKernel(CpuKernels.of(Cell.LSTM), Cell.LSTM, () -> {
            opened.incrementAndGet();
            return device;
        });
        Random rnd = new Random(3);
        CellWeights w = GpuCheck.randomWeights(rnd, Cell.LSTM, 2, 3, true);
        RnnWeights weights = CpuKernels.weights(w, DataType.DOUBLE);
        Sequence seq = CpuKernels.sequence(GpuRecurrentEmulatedTest.random(rnd, 2 * 2 * 2), 2, 2, 2, null,
                DataType.DOUBLE);
        ForwardPass pass = gpu.forward(weights, seq, null, true);
        assertNull(pass.record(), "a CPU kernel's pass");
        gpu.backward(pass, Nd4j.ones(DataType.DOUBLE, 4, 3), 0, weights, CpuKernels.zeros(w, DataType.DOUBLE),
                Nd4j.zeros(DataType.DOUBLE, 4, 2));
        assertEquals(0, opened.get(), "no device opened for double precision");
    }

    @Test
    void theAcceleratorTakesOnlyRecurrentKernelsPath() {
        CudaKernelAccelerator a = new CudaKernelAccelerator();
        BackendDecision ours = new BackendDecision(BackendChoice.AUTO, true, RecurrentKernelsPath.NAME,
                "NVIDIA H100 (sm_90)", BackendDecision.ND4J_CPU_BACKEND, List.of());
        BackendDecision nd4j = new BackendDecision(BackendChoice.AUTO, true, "ND4J CUDA 11.6",
                "NVIDIA A100 (sm_80)", "org.nd4j.linalg.jcublas.JCublasBackend", List.of());
        BackendDecision cpu = new BackendDecision(BackendChoice.AUTO, false, "ND4J CPU", "CPU",
                BackendDecision.ND4J_CPU_BACKEND, List.of());
        for (Cell cell : Cell.values()) {
            org.recurrent4j.cells.Cell declared = CpuKernels.declaration(cell);
            RecurrentKernel k = a.accelerate(declared, CpuKernels.of(cell), ours, "layer");
            assertInstanceOf(GpuRecurrentKernel.class, k, cell.toString());
            assertSame(cell, CudaKernelAccelerator.cellOf(declared));
            assertNull(a.accelerate(declared, CpuKernels.of(cell), nd4j, "layer"));
            assertNull(a.accelerate(declared, CpuKernels.of(cell), cpu, "layer"));
        }
        // a cell without CUDA kernels is refused under this path, naming the layer, the cell and the way out
        org.recurrent4j.cells.Cell projected = new org.recurrent4j.cells.LstmCell(8);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> a.accelerate(projected, new org.recurrent4j.engine.CellEngine(projected), ours, "Lstm 'enc'"));
        assertTrue(e.getMessage().startsWith("Lstm 'enc': recurrent4j's CUDA kernels do not compute the LSTM with "
                + "projection 8 cell"), e.getMessage());
        assertTrue(e.getMessage().contains("--backend cpu"), e.getMessage());
        assertNull(a.accelerate(projected, new org.recurrent4j.engine.CellEngine(projected), cpu, "Lstm 'enc'"));
        assertEquals("cuda: recurrent4j kernels on NVIDIA H100 (sm_90) (ND4J on CPU)", ours.summary());
    }

    private static void close(String what, INDArray actual, INDArray expected) {
        double[] a = CpuKernels.doubles(actual);
        double[] e = CpuKernels.doubles(expected);
        float[] af = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            af[i] = (float) a[i];
        }
        Compare.assertClose(what, af, e, GpuRecurrentEmulatedTest.TOLERANCE);
    }
}
