package org.recurrent4j.engine;

import org.recurrent4j.cells.LstmCell;
import org.recurrent4j.compute.Gemm;
import org.recurrent4j.compute.SideLane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.backend.LibraryDefaults;

/** The two directions of a bidirectional layer: the reversal, and the same numbers on one core or two. */
class TwoDirectionsTest {

    private final boolean wasEnabled = SideLane.enabled();

    @AfterEach
    void restore() {
        SideLane.setEnabled(wasEnabled);
    }

    @Test
    void theReversalSwapsEachSequencesLiveStepsAndLeavesPaddingInPlace() {
        // rows t*B+b, B = 2. Right-padded: sequence 1 is live at t = 0, 1 only
        int[] padded = TwoDirections.reversal(new Sequence(Nd4j.zeros(6, 1), 3, 2, new double[]{1, 1, 1, 1, 1, 0}));
        assertArrayEquals(new int[]{4, 3, 2, 1, 0, 5}, padded);
        // a hole: sequence 1 live at t = 0, 2, 3 of 4
        int[] holed = TwoDirections.reversal(new Sequence(Nd4j.zeros(8, 1), 4, 2,
                new double[]{1, 1, 1, 0, 1, 1, 1, 1}));
        assertArrayEquals(new int[]{6, 7, 4, 3, 2, 5, 0, 1}, holed);
        int[] whole = TwoDirections.reversal(new Sequence(Nd4j.zeros(6, 1), 3, 2, null));
        assertArrayEquals(new int[]{4, 5, 2, 3, 0, 1}, whole);
        for (int[] swap : new int[][]{padded, holed, whole}) {
            for (int r = 0; r < swap.length; r++) {
                assertEquals(r, swap[swap[r]], "an involution");
            }
        }
    }

    @Test
    void sameNumbersWithTheDirectionsOnOneCoreOrOnTwo() {
        LibraryDefaults.onThread();
        SideLane.setEnabled(true);
        Assumptions.assumeTrue(new SideLane(Gemm.get()).concurrent(), "needs two cores and BLAS at one thread");
        int steps = 40;
        int batch = 16;
        int nIn = 7;
        int h = 32;
        Nd4j.getRandom().setSeed(5);
        RnnWeights wf = weights(nIn, h);
        RnnWeights wb = weights(nIn, h);
        RnnWeights gf = weights(nIn, h);
        RnnWeights gb = weights(nIn, h);
        INDArray x = Nd4j.rand(DataType.FLOAT, (long) steps * batch, nIn).subi(0.5);
        double[] mask = new double[steps * batch];
        for (int b = 0; b < batch; b++) {
            int len = 1 + (b * 7) % steps;
            for (int t = 0; t < len; t++) {
                mask[t * batch + b] = 1;
            }
        }
        Sequence in = new Sequence(x, steps, batch, mask);
        INDArray dY = Nd4j.rand(DataType.FLOAT, (long) steps * batch, 2L * h).subi(0.5);
        INDArray[][] results = new INDArray[2][];
        for (int run = 0; run < 2; run++) {
            SideLane.setEnabled(run == 1);
            TwoDirections two = new TwoDirections(new CellEngine(new LstmCell()), new CellEngine(new LstmCell()));
            INDArray y = two.forward(wf, wb, in, true).dup();
            INDArray dX = Nd4j.create(DataType.FLOAT, (long) steps * batch, nIn);
            two.backward(dY, wf, wb, gf, gb, dX);
            results[run] = new INDArray[]{y, dX, gf.w().dup(), gf.rw().dup(), gf.b().dup(), gb.w().dup(),
                gb.rw().dup(), gb.b().dup()};
        }
        for (int i = 0; i < results[0].length; i++) {
            assertEquals(results[0][i], results[1][i], "array " + i);
        }
        assertNotEquals(0.0, results[0][6].norm2Number().doubleValue(), "the backward direction has gradients");
        assertTrue(results[0][0].getRow(0).getDouble(h) != 0.0, "the backward direction has output");
    }

    private static RnnWeights weights(int nIn, int h) {
        return new RnnWeights(Nd4j.rand(DataType.FLOAT, nIn, 4L * h).subi(0.5).dup('f'),
                Nd4j.rand(DataType.FLOAT, h, 4L * h).subi(0.5).dup('f'),
                Nd4j.rand(DataType.FLOAT, 1, 4L * h).subi(0.5), null);
    }
}
