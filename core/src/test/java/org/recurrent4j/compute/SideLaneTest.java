package org.recurrent4j.compute;

import org.recurrent4j.cells.LstmCell;
import org.recurrent4j.cells.GruCell;
import org.recurrent4j.cells.ElmanCell;
import org.recurrent4j.cells.Nonlinearity;
import org.recurrent4j.engine.CellEngine;
import org.recurrent4j.engine.RecurrentKernel;
import org.recurrent4j.engine.RnnWeights;
import org.recurrent4j.engine.Sequence;
import org.recurrent4j.engine.ForwardPass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The side lane runs a pass's blocks in order on another thread, lets the caller take over the independent ones it
 * has not started, reports their failures, and leaves every number of a pass as it is with the lane off.
 */
class SideLaneTest {

    /** A GEMM path the lane may run beside the caller, whatever OpenBLAS's thread count is in this JVM. */
    private static final Gemm THREAD_SAFE = new Gemm() {
        @Override
        public void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, double beta) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean threadSafe() {
            return true;
        }
    };

    private final boolean wasEnabled = SideLane.enabled();

    @AfterEach
    void restore() {
        SideLane.setEnabled(wasEnabled);
    }

    @Test
    void aChainRunsInItsOrderOneAtATimeWhicheverThreadRunsEach() {
        SideLane.setEnabled(true);
        SideLane lane = new SideLane(THREAD_SAFE);
        assertTrue(lane.concurrent());
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        SideLane.Task last = null;
        for (int i = 0; i < 200; i++) {
            int k = i;
            last = lane.submitAfter(last, () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(k);
                Thread.onSpinWait();
                running.decrementAndGet();
            });
            lane.submitIndependent(() -> { });   // work for the other thread between the chain's tasks
        }
        lane.drain();
        for (int i = 0; i < 200; i++) {
            assertEquals(i, order.get(i));
        }
        assertEquals(1, most.get(), "two tasks of one chain ran at once");
    }

    @Test
    void theLaneRunsTasksOnAnotherThreadWhileTheCallerGoesOn() throws InterruptedException {
        SideLane.setEnabled(true);
        SideLane lane = new SideLane(THREAD_SAFE);
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        String[] thread = new String[1];
        lane.submitIndependent(() -> {
            thread[0] = Thread.currentThread().getName();
            ran.countDown();
        });
        assertTrue(ran.await(10, java.util.concurrent.TimeUnit.SECONDS), "the lane did not run the task");
        assertEquals("recurrent4j-side-lane", thread[0]);
        lane.drain();
    }

    @Test
    void withTheLaneOffTasksRunAtOnceOnTheCaller() {
        SideLane.setEnabled(false);
        SideLane lane = new SideLane(THREAD_SAFE);
        Thread caller = Thread.currentThread();
        AtomicBoolean ranHere = new AtomicBoolean();
        lane.submitIndependent(() -> ranHere.set(Thread.currentThread() == caller));
        assertTrue(ranHere.get(), "ran on the caller before submit returned");
        SideLane.setEnabled(true);
        assertTrue(!new SideLane(new Nd4jGemm()).concurrent(), "ND4J's GEMM path stays on the caller's thread");
    }

    @Test
    void theReportSaysWhetherASecondCoreRunsAndWhyNot() {
        SideLane.setEnabled(true);
        assertTrue(SideLane.describe(THREAD_SAFE).contains("second core"), SideLane.describe(THREAD_SAFE));
        assertTrue(SideLane.describe(new Nd4jGemm()).contains("--threads 1"), SideLane.describe(new Nd4jGemm()));
        SideLane.setEnabled(false);
        assertTrue(SideLane.describe(THREAD_SAFE).startsWith("one thread ("), SideLane.describe(THREAD_SAFE));
    }

    @Test
    void aFailureReachesItsWaitAndTheDrainAndSettleDropsIt() {
        SideLane.setEnabled(true);
        SideLane lane = new SideLane(THREAD_SAFE);
        IllegalStateException boom = new IllegalStateException("block 2 failed");
        IllegalStateException later = new IllegalStateException("block 4 failed");
        SideLane.Task first = lane.submitAfter(null, () -> { });
        SideLane.Task failing = lane.submitAfter(first, () -> {
            throw boom;
        });
        SideLane.Task after = lane.submitAfter(failing, () -> { });
        lane.submitIndependent(() -> {
            throw later;
        });
        after.await();   // a task that ran reports nothing of another's
        assertSame(boom, assertThrows(IllegalStateException.class, failing::await));
        assertSame(boom, assertThrows(IllegalStateException.class, lane::drain), "the first in the order submitted");

        lane.submitIndependent(() -> {
            throw boom;
        });
        lane.settle();   // the way out of a pass that failed itself: waits, does not throw
        lane.drain();    // nothing left
    }

    @Test
    void theCallerTakesWhatTheLaneHasNotStartedKeepingEachChainInOrder() throws InterruptedException {
        SideLane.setEnabled(true);
        SideLane lane = new SideLane(THREAD_SAFE);
        Thread caller = Thread.currentThread();
        java.util.concurrent.CountDownLatch laneBusy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        SideLane.Task holder = lane.submitIndependent(() -> {   // holds the lane while the caller works
            laneBusy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        laneBusy.await();
        SideLane.Task awaited = lane.submitIndependent(
                () -> ran.add("independent " + (Thread.currentThread() == caller ? "caller" : "lane")));
        awaited.await();
        assertEquals(List.of("independent caller"), ran, "awaited before the lane got to it: run by the caller");

        SideLane.Task a1 = lane.submitAfter(null, () -> ran.add("a1"));
        lane.submitAfter(a1, () -> ran.add("a2"));
        SideLane.Task b1 = lane.submitAfter(holder, () -> ran.add("b1"));   // waits for the lane's task
        lane.submitAfter(b1, () -> ran.add("b2"));
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            release.countDown();
        });
        releaser.start();
        lane.drain();   // runs a1 and a2 while the lane is held, then b1 and b2 once it is free
        releaser.join();
        assertEquals(5, ran.size(), "each task ran once: " + ran);
        assertTrue(ran.indexOf("a1") < ran.indexOf("a2") && ran.indexOf("b1") < ran.indexOf("b2"), ran.toString());
        assertTrue(ran.indexOf("a2") < ran.indexOf("b1"), "the caller did not wait for the held chain: " + ran);
    }

    /** Steps not a multiple of a block (8 steps of 32 rows), truncated BPTT, and a mask. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "gru-reset-before", "rnn"})
    void aPassGivesTheSameNumbersWithTheLaneOnAndOff(String cell) {
        Supplier<RecurrentKernel> kernel = () -> switch (cell) {
            case "lstm" -> new CellEngine(new LstmCell());
            case "gru" -> new CellEngine(new GruCell(true));
            case "gru-reset-before" -> new CellEngine(new GruCell(false));
            default -> new CellEngine(new ElmanCell(Nonlinearity.TANH));
        };
        int blasThreads = Nd4j.factory().blas().getMaxThreads();
        Nd4j.factory().blas().setMaxThreads(1);   // where OpenBLAS computes in the caller's thread, the lane is on
        try {
            SideLane.setEnabled(true);
            assertTrue(new SideLane(Gemm.get()).concurrent());
            for (int backSteps : new int[]{0, 13}) {
                compare(cell, kernel, backSteps);
            }
        } finally {
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
    }

    private static void compare(String cell, Supplier<RecurrentKernel> kernel, int backSteps) {
        SideLane.setEnabled(false);
        INDArray[] off = pass(kernel.get(), backSteps);
        SideLane.setEnabled(true);
        INDArray[] on = pass(kernel.get(), backSteps);
        String[] names = {"output", "dW", "dR", "db", "dX"};
        for (int i = 0; i < off.length; i++) {
            assertArrayEquals(off[i].data().asFloat(), on[i].data().asFloat(),
                    cell + " backSteps " + backSteps + ": " + names[i]);
        }
    }

    /** Output, dW, dR, db, dX of one training pass at batch 32, 29 steps: four blocks, the last one short. */
    private static INDArray[] pass(RecurrentKernel k, int backSteps) {
        int batch = 32;
        int steps = 29;
        int nIn = 7;
        int hidden = 16;
        int width = k.gates() * hidden;
        Nd4j.getRandom().setSeed(11);
        RnnWeights w = new RnnWeights(Nd4j.rand(DataType.FLOAT, nIn, width).subi(0.5),
                Nd4j.rand(DataType.FLOAT, hidden, width).subi(0.5), Nd4j.rand(DataType.FLOAT, 1, width),
                k.gates() == 3 ? Nd4j.rand(DataType.FLOAT, 1, hidden) : null);
        RnnWeights grads = new RnnWeights(Nd4j.zeros(DataType.FLOAT, nIn, width),
                Nd4j.zeros(DataType.FLOAT, hidden, width), Nd4j.zeros(DataType.FLOAT, 1, width),
                k.gates() == 3 ? Nd4j.zeros(DataType.FLOAT, 1, hidden) : null);
        double[] mask = new double[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                mask[t * batch + b] = t < steps - b % 5 ? 1 : 0;   // right-padded sequences of five lengths
            }
        }
        Sequence in = new Sequence(Nd4j.rand(DataType.FLOAT, steps * batch, nIn), steps, batch, mask);
        ForwardPass p = k.forward(w, in, null, true);
        INDArray y = p.output().dup();
        INDArray dX = Nd4j.zeros(DataType.FLOAT, (long) steps * batch, nIn).dup('f');
        k.backward(p, Nd4j.rand(DataType.FLOAT, steps * batch, hidden), backSteps, w, grads, dX);
        return new INDArray[]{y, grads.w().dup(), grads.rw().dup(), grads.b().dup(), dX.dup()};
    }
}
