package org.recurrent4j.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recurrent4j.backend.LibraryDefaults;
import org.recurrent4j.cells.Cell;
import org.recurrent4j.cells.ElmanCell;
import org.recurrent4j.cells.Nonlinearity;
import org.recurrent4j.cells.GruCell;
import org.recurrent4j.cells.LstmCell;
import org.recurrent4j.compute.Gemm;
import org.recurrent4j.compute.Parallel;

/**
 * A batch large enough to run as two halves of rows ({@link Parallel#halves}) against each of its sequences run alone
 * (a batch of one, which runs as one): outputs, final states, input gradients, and weight gradients (the sums of the
 * sequences' own), for every cell, with masks that end early and that have holes, and initial states. The batch's
 * step products read a row-major copy of RW, the single sequences' the column-major parameters themselves.
 */
class HalvesTest {

    /** Enough steps that the batch's forward reads RW as a row-major copy, which a sequence alone does not. */
    static final int STEPS = 17;
    static final int BATCH = 11;   // odd: halves of 5 and 6 rows
    static final int NIN = 5;
    static final int H = 6;

    @BeforeAll
    static void oneBlasThread() {
        LibraryDefaults.onThread();
    }

    static List<Object[]> cells() {
        return List.of(new Object[]{"lstm", new LstmCell(), DataType.DOUBLE},
                new Object[]{"lstm, float", new LstmCell(), DataType.FLOAT},
                new Object[]{"lstm with projection", new LstmCell(4), DataType.DOUBLE},
                new Object[]{"gru, reset after", new GruCell(true), DataType.DOUBLE},
                new Object[]{"gru, reset before", new GruCell(false), DataType.DOUBLE},
                new Object[]{"gru, float", new GruCell(true), DataType.FLOAT},
                new Object[]{"elman relu", new ElmanCell(Nonlinearity.RELU), DataType.DOUBLE});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void aBatchInHalvesEqualsEachSequenceAlone(String name, Cell cell, DataType dt) {
        Assumptions.assumeTrue(Parallel.inHalves(BATCH, Gemm.get()), "halves need BLAS at one thread");
        Assumptions.assumeFalse(Parallel.inHalves(1, Gemm.get()));
        Nd4j.getRandom().setSeed(11);
        int p = cell.projection();
        int state = p > 0 ? p : H;
        int width = cell.gates() * H;
        RnnWeights w = weights(cell, dt, false);
        INDArray x = Nd4j.rand(dt, (long) STEPS * BATCH, NIN).subi(0.5);
        double[] mask = new double[STEPS * BATCH];
        for (int b = 0; b < BATCH; b++) {
            int len = 1 + (b * 5) % STEPS;
            for (int t = 0; t < len; t++) {
                mask[t * BATCH + b] = (b % 3 == 0 && t == len / 2 && len > 2) ? 0 : 1;   // some with a hole
            }
        }
        INDArray h0 = Nd4j.rand(dt, BATCH, state).subi(0.5);
        INDArray c0 = Nd4j.rand(dt, BATCH, H).subi(0.5);
        INDArray dY = Nd4j.rand(dt, (long) STEPS * BATCH, state).subi(0.5).dup('f');
        CellEngine engine = new CellEngine(cell);
        ForwardPass all = engine.forward(w, new Sequence(x, STEPS, BATCH, mask), initial(cell, h0, c0, 0, BATCH),
                true);
        INDArray y = all.output().dup();
        INDArray[] last = dup(all.finalState());
        RnnWeights g = weights(cell, dt, true);
        INDArray dX = Nd4j.create(dt, (long) STEPS * BATCH, NIN);
        engine.backward(all, dY, 0, w, g, dX);
        RnnWeights sum = weights(cell, dt, true);
        double tol = dt == DataType.DOUBLE ? 1e-10 : 2e-4;
        for (int b = 0; b < BATCH; b++) {
            INDArray xb = rowsOf(x, b);
            double[] mb = new double[STEPS];
            for (int t = 0; t < STEPS; t++) {
                mb[t] = mask[t * BATCH + b];
            }
            CellEngine one = new CellEngine(cell);
            ForwardPass pass = one.forward(w, new Sequence(xb, STEPS, 1, mb), initial(cell, h0, c0, b, b + 1), true);
            close(rowsOf(y, b), pass.output(), tol, name + ": output of sequence " + b);
            INDArray[] lastB = pass.finalState();
            for (int s = 0; s < lastB.length; s++) {
                close(last[s].getRow(b, true), lastB[s], tol, name + ": final state " + s + " of sequence " + b);
            }
            RnnWeights gb = weights(cell, dt, true);
            INDArray dXb = Nd4j.create(dt, STEPS, NIN);
            one.backward(pass, rowsOf(dY, b).dup('f'), 0, w, gb, dXb);
            close(rowsOf(dX, b), dXb, tol, name + ": input gradient of sequence " + b);
            sum.w().addi(gb.w());
            sum.rw().addi(gb.rw());
            sum.b().addi(gb.b());
            if (gb.rb() != null) {
                sum.rb().addi(gb.rb());
            }
            if (gb.whr() != null) {
                sum.whr().addi(gb.whr());
            }
        }
        close(g.w(), sum.w(), tol * 10, name + ": dW");
        close(g.rw(), sum.rw(), tol * 10, name + ": dRW");
        close(g.b(), sum.b(), tol * 10, name + ": db");
        if (g.rb() != null) {
            close(g.rb(), sum.rb(), tol * 10, name + ": dRB");
        }
        if (g.whr() != null) {
            close(g.whr(), sum.whr(), tol * 10, name + ": dWHR");
        }
        assertTrue(g.rw().norm2Number().doubleValue() > 0, "gradients reach the recurrent weights");
    }

    /**
     * Two user threads, each with its own network, running batches in halves at the same time: the one side-lane
     * worker serves both, and each gets what it gets alone.
     */
    @org.junit.jupiter.api.Test
    void twoThreadsInHalvesAtOnceGetWhatEachGetsAlone() throws Exception {
        Assumptions.assumeTrue(Parallel.inHalves(BATCH, Gemm.get()), "halves need BLAS at one thread");
        Nd4j.getRandom().setSeed(3);
        Cell cell = new LstmCell();
        RnnWeights[] w = {weights(cell, DataType.FLOAT, false), weights(cell, DataType.FLOAT, false)};
        INDArray[] x = {Nd4j.rand(DataType.FLOAT, (long) STEPS * BATCH, NIN).subi(0.5),
            Nd4j.rand(DataType.FLOAT, (long) STEPS * BATCH, NIN).subi(0.5)};
        INDArray[] alone = new INDArray[2];
        for (int k = 0; k < 2; k++) {
            alone[k] = new CellEngine(cell).forward(w[k], new Sequence(x[k], STEPS, BATCH, null), null, false)
                    .output().dup();
        }
        INDArray[][] together = new INDArray[2][200];
        Thread[] threads = new Thread[2];
        Throwable[] failure = new Throwable[2];
        for (int k = 0; k < 2; k++) {
            int kk = k;
            threads[k] = new Thread(() -> {
                try {
                    LibraryDefaults.onThread();
                    CellEngine engine = new CellEngine(cell);
                    for (int i = 0; i < together[kk].length; i++) {
                        together[kk][i] = engine.forward(w[kk], new Sequence(x[kk], STEPS, BATCH, null), null, false)
                                .output().dup();
                    }
                } catch (Throwable e) {
                    failure[kk] = e;
                }
            });
            threads[k].start();
        }
        for (Thread t : threads) {
            t.join(120_000);
            assertTrue(!t.isAlive(), "no deadlock");
        }
        for (int k = 0; k < 2; k++) {
            if (failure[k] != null) {
                throw new AssertionError("thread " + k, failure[k]);
            }
            for (INDArray y : together[k]) {
                org.junit.jupiter.api.Assertions.assertEquals(alone[k], y, "thread " + k);
            }
        }
    }

    private static INDArray[] initial(Cell cell, INDArray h0, INDArray c0, int from, int to) {
        INDArray h = h0.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
        return cell.states() == 2
                ? new INDArray[]{h, c0.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup()}
                : new INDArray[]{h};
    }

    private static INDArray[] dup(INDArray[] a) {
        INDArray[] d = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i].dup();
        }
        return d;
    }

    /** Rows t*B+b of a time-major [T*B, n] array, as [T, n]. */
    private static INDArray rowsOf(INDArray m, int b) {
        INDArray r = Nd4j.create(m.dataType(), STEPS, m.size(1));
        for (int t = 0; t < STEPS; t++) {
            r.putRow(t, m.getRow((long) t * BATCH + b));
        }
        return r;
    }

    private static void close(INDArray expected, INDArray actual, double tol, String what) {
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(actual.length());
        double diff = e.sub(a).amaxNumber().doubleValue();
        double scale = Math.max(1.0, e.amaxNumber().doubleValue());
        assertTrue(diff <= tol * scale, what + ": differs by " + diff);
    }

    private static RnnWeights weights(Cell cell, DataType dt, boolean zeros) {
        int p = cell.projection();
        int state = p > 0 ? p : H;
        int width = cell.gates() * H;
        int sep = cell.separateBlocks() * H;
        return new RnnWeights(make(dt, zeros, NIN, width), make(dt, zeros, state, width), make(dt, zeros, 1, width),
                sep > 0 ? make(dt, zeros, 1, sep) : null, p > 0 ? make(dt, zeros, H, p) : null);
    }

    private static INDArray make(DataType dt, boolean zeros, int rows, int cols) {
        return zeros ? Nd4j.zeros(dt, rows, cols).dup('f') : Nd4j.rand(dt, rows, cols).subi(0.5).dup('f');
    }
}
