package org.recurrent4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * recurrent.cu and GpuRecurrent's launch sequence, run on the emulated device with every output poisoned first,
 * against the plain double-precision reference: forward and backward, every cell, with and without masks, initial
 * states, biases and truncated BPTT.
 */
class GpuRecurrentEmulatedTest {

    /** FP32 kernels against a double reference; the bound for the FP32 path. */
    static final double TOLERANCE = 1e-5;

    private static EmulatedDevice device;

    @BeforeAll
    static void startDevice() throws Exception {
        device = EmulatedDevice.shared();
        assumeTrue(device != null, EmulatedDevice.NO_COMPILER);
    }


    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Cell cell : Cell.values()) {
            cases.add(Arguments.of(cell, false, false, true, 0));
            cases.add(Arguments.of(cell, true, true, true, 0));
            cases.add(Arguments.of(cell, true, false, false, 0));
            cases.add(Arguments.of(cell, false, true, true, 2));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} mask={1} initial={2} bias={3} backSteps={4}")
    @MethodSource("cases")
    void matchesTheReference(Cell cell, boolean masked, boolean initial, boolean bias, int backSteps) {
        Random rnd = new Random(cell.ordinal() * 31L + (masked ? 7 : 0) + (initial ? 3 : 0) + backSteps);
        int steps = 5;
        int batch = 3;
        int nIn = 7;
        int hidden = 37;   // not a multiple of the GEMM tile, so edges are exercised
        CellWeights w = GpuCheck.randomWeights(rnd, cell, nIn, hidden, bias);
        float[] x = random(rnd, steps * batch * nIn);
        float[] mask = masked ? mask(steps, batch, new int[]{5, 2, 4}) : null;
        float[][] init = initial ? new float[][]{random(rnd, batch * hidden), random(rnd, batch * hidden)} : null;
        if (init != null && cell.states == 1) {
            init = new float[][]{init[0]};
        }
        float[] dY = random(rnd, steps * batch * hidden);

        ReferenceCell ref = new ReferenceCell(cell);
        ReferenceCell.Output want = ref.forward(w, x, steps, batch, mask, init);
        ReferenceCell.Gradients wantG = ref.backward(dY, backSteps);

        try (GpuRecurrent gpu = new GpuRecurrent(device, cell)) {
            gpu.poison(true);
            GpuRecurrent.Output got = gpu.forward(w, x, steps, batch, mask, init);
            Compare.assertClose("y", got.y(), want.y(), TOLERANCE);
            for (int s = 0; s < cell.states; s++) {
                Compare.assertClose("final state " + s, got.finalState()[s], want.finalState()[s], TOLERANCE);
            }
            GpuRecurrent.Gradients g = gpu.backward(w, dY, backSteps);
            Compare.assertClose("dW", g.weights().w(), wantG.w(), TOLERANCE);
            Compare.assertClose("dR", g.weights().rw(), wantG.rw(), TOLERANCE);
            Compare.assertClose("dX", g.dx(), wantG.dx(), TOLERANCE);
            if (bias) {
                Compare.assertClose("db", g.weights().b(), wantG.b(), TOLERANCE);
            } else {
                assertNull(g.weights().b());
            }
            if (cell.hasRecurrentBias() && bias) {
                Compare.assertClose("drb", g.weights().rb(), wantG.rb(), TOLERANCE);
            }
        }
    }

    @Test
    void aSecondPassOfAnotherShapeReusesTheLayer() {
        Random rnd = new Random(5);
        CellWeights w = GpuCheck.randomWeights(rnd, Cell.LSTM, 4, 6, true);
        try (GpuRecurrent gpu = new GpuRecurrent(device, Cell.LSTM)) {
            gpu.poison(true);
            for (int[] shape : new int[][]{{6, 4}, {2, 9}, {3, 1}}) {
                float[] x = random(rnd, shape[0] * shape[1] * 4);
                ReferenceCell ref = new ReferenceCell(Cell.LSTM);
                Compare.assertClose("y " + shape[0] + "x" + shape[1],
                        gpu.forward(w, x, shape[0], shape[1], null, null).y(),
                        ref.forward(w, x, shape[0], shape[1], null, null).y(), TOLERANCE);
            }
        }
    }

    @Test
    void aPaddedStepKeepsTheStateAndOutputsZero() {
        Random rnd = new Random(9);
        CellWeights w = GpuCheck.randomWeights(rnd, Cell.GRU, 3, 5, true);
        float[] x = random(rnd, 4 * 2 * 3);
        float[] mask = mask(4, 2, new int[]{4, 1});
        try (GpuRecurrent gpu = new GpuRecurrent(device, Cell.GRU)) {
            GpuRecurrent.Output out = gpu.forward(w, x, 4, 2, mask, null);
            for (int t = 1; t < 4; t++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(0.0f, out.y()[(t * 2 + 1) * 5 + j], "padded output, step " + t);
                }
            }
            // the second sequence's final state is its output at its only live step, step 0
            for (int j = 0; j < 5; j++) {
                assertEquals(out.y()[5 + j], out.finalState()[0][5 + j], "final state of the padded sequence");
            }
        }
    }

    @Test
    void backwardBeforeForwardAndWrongShapesAreRefused() {
        Random rnd = new Random(1);
        CellWeights w = GpuCheck.randomWeights(rnd, Cell.RNN_TANH, 2, 3, true);
        try (GpuRecurrent gpu = new GpuRecurrent(device, Cell.RNN_TANH)) {
            assertThrows(IllegalStateException.class, () -> gpu.backward(w, new float[6], 0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> gpu.forward(w, new float[5], 2, 2, null, null));
            assertTrue(e.getMessage().contains("[4, 2]"), e.getMessage());
            CellWeights lstm = GpuCheck.randomWeights(rnd, Cell.LSTM, 2, 3, true);
            e = assertThrows(IllegalArgumentException.class, () -> gpu.forward(lstm, new float[8], 2, 2, null, null));
            assertTrue(e.getMessage().contains("1 gate blocks"), e.getMessage());
        }
    }

    @Test
    void theGpuCheckPassesOnCorrectKernels() {
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        GpuCheck check = new GpuCheck(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        check.correctness(device, new int[][]{GpuCheck.CHECK_SHAPES[0]});   // the larger size is slow emulated
        String text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, check.failed(), text);
        assertEquals(Cell.values().length * 2 * 2, check.passed(), text);
        assertTrue(text.contains("PASS backward LSTM"), text);
    }

    @Test
    void theGpuCheckProfileRuns() {
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        GpuCheck check = new GpuCheck(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        check.profile(device, new int[][]{{40, 33, 35, 1, 0}, {7, 9, 5, 0, 1}}, 1);
        String text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("PROF kernel launch") && text.contains("PROF gemm 40x33x35 A^T")
                && text.contains("PROF gemm 7x9x5 B^T"), text);
        assertEquals(0, check.failed());
    }

    @Test
    void theEmulatorRejectsAnUnknownKernel() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> device.launch("no_such_kernel", 1, 1, 1, 1));
        assertTrue(e.getMessage().contains("no kernel named no_such_kernel"), e.getMessage());
        assertNotNull(device.name());
    }

    /** Inputs, states and output gradients of N(0, 0.64) entries. */
    static float[] random(Random rnd, int n) {
        return GpuCheck.random(rnd, n, 0.8f);
    }

    /** A time-major mask of right-padded sequences of the given lengths. */
    static float[] mask(int steps, int batch, int[] lengths) {
        float[] m = new float[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                m[t * batch + b] = t < lengths[b] ? 1.0f : 0.0f;
            }
        }
        return m;
    }
}
