package org.recurrent4j.kernels;

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
    void tasksRunInTheOrderGivenOnAnotherThread() {
        SideLane.setEnabled(true);
        SideLane lane = new SideLane(THREAD_SAFE);
        assertTrue(lane.concurrent());
        List<Integer> order = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int k = i;
            lane.submit(() -> {
                order.add(k);
                threads.add(Thread.currentThread().getName());
            });
        }
        lane.drain();
        for (int i = 0; i < 200; i++) {
            assertEquals(i, order.get(i));
        }
        assertNotEquals(Thread.currentThread().getName(), threads.get(0));
    }

    @Test
    void withTheLaneOffTasksRunAtOnceOnTheCaller() {
        SideLane.setEnabled(false);
        SideLane lane = new SideLane(THREAD_SAFE);
        Thread caller = Thread.currentThread();
        AtomicBoolean ranHere = new AtomicBoolean();
        lane.submit(() -> ranHere.set(Thread.currentThread() == caller));
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
        lane.submit(() -> { });
        SideLane.Task failing = lane.submit(() -> {
            throw boom;
        });
        SideLane.Task after = lane.submit(() -> { });
        lane.submitIndependent(() -> {
            throw later;
        });
        after.await();   // a task that ran reports nothing of another's
        assertSame(boom, assertThrows(IllegalStateException.class, failing::await));
        assertSame(boom, assertThrows(IllegalStateException.class, lane::drain), "the first in the order submitted");

        lane.submit(() -> {
            throw boom;
        });
        lane.settle();   // the way out of a pass that failed itself: waits, does not throw
        lane.drain();    // nothing left
    }

    @Test
    void theCallerRunsIndependentTasksTheLaneHasNotStartedTheLastFirst() throws InterruptedException {
        SideLane.setEnabled(true);
        SideLane lane = new SideLane(THREAD_SAFE);
        Thread caller = Thread.currentThread();
        java.util.concurrent.CountDownLatch laneBusy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        lane.submit(() -> {   // holds the lane until the caller has waited for the one below
            laneBusy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ran.add("ordered 1 " + (Thread.currentThread() == caller ? "caller" : "lane"));
        });
        laneBusy.await();
        SideLane.Task awaited = lane.submitIndependent(
                () -> ran.add("independent 1 " + (Thread.currentThread() == caller ? "caller" : "lane")));
        awaited.await();
        assertEquals(List.of("independent 1 caller"), ran, "awaited before the lane got to it: run by the caller");

        lane.submit(() -> ran.add("ordered 2 " + (Thread.currentThread() == caller ? "caller" : "lane")));
        for (int k = 2; k <= 3; k++) {
            String name = "independent " + k;
            lane.submitIndependent(() -> ran.add(name + " " + (Thread.currentThread() == caller ? "caller" : "lane")));
        }
        release.countDown();
        lane.drain();
        assertTrue(ran.containsAll(List.of("ordered 1 lane", "ordered 2 lane")), ran.toString());
        assertTrue(ran.indexOf("ordered 1 lane") < ran.indexOf("ordered 2 lane"), ran.toString());
        assertEquals(5, ran.size(), "each task ran once: " + ran);
        int three = Math.max(ran.indexOf("independent 3 caller"), ran.indexOf("independent 3 lane"));
        int two = Math.max(ran.indexOf("independent 2 caller"), ran.indexOf("independent 2 lane"));
        assertTrue(three >= 0 && two >= 0, ran.toString());
        if (ran.contains("independent 2 caller")) {   // the caller started from the end
            assertTrue(ran.contains("independent 3 caller") && three < two, ran.toString());
        }
    }

    /** Steps not a multiple of a block (8 steps of 32 rows), truncated BPTT, and a mask. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "gru-reset-before", "rnn"})
    void aPassGivesTheSameNumbersWithTheLaneOnAndOff(String cell) {
        Supplier<RecurrentKernel> kernel = () -> switch (cell) {
            case "lstm" -> new LstmKernel();
            case "gru" -> new GruKernel(true);
            case "gru-reset-before" -> new GruKernel(false);
            default -> new ElmanKernel(ElmanKernel.Activation.TANH);
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
