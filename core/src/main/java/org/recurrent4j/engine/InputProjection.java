package org.recurrent4j.engine;

import org.recurrent4j.compute.Gemm;
import org.recurrent4j.compute.Mat;
import org.recurrent4j.compute.Mem;
import org.recurrent4j.compute.Parallel;
import org.recurrent4j.compute.Scratch;
import org.recurrent4j.compute.SideLane;

import java.util.function.BiFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The input projection {@code z = x W + b} of a forward pass. Where the batch's rows run as one recurrence, it is
 * computed in blocks of steps: the first block on the caller's thread, the others on a {@link SideLane} while the
 * recurrence runs, so a step waits only for its own block (and runs it itself where the lane has not started it).
 * Where the rows run in two halves ({@link Parallel#halves}), the whole projection comes first, its blocks shared by
 * the two cores, so that the halves, which then each take a core, never wait on it.
 */
final class InputProjection {

    private final int blockSteps;
    private final SideLane.Task[] blocks;

    private InputProjection(int blockSteps, int count) {
        this.blockSteps = blockSteps;
        this.blocks = new SideLane.Task[count];
    }

    /**
     * Runs a forward pass of {@code gates} gate blocks: its projection goes into the scratch array {@code name}, and
     * {@code pass} gets that array and the projection under way. The pass's lane is settled on the way out, failure or
     * not, so that nothing still writes into the array when the next pass reuses it.
     */
    static ForwardPass around(Scratch scratch, String name, RnnWeights w, Sequence in, int gates,
                              BiFunction<INDArray, InputProjection, ForwardPass> pass) {
        INDArray z = scratch.get(name, w.w().dataType(), (long) in.steps() * in.batch(), gates * w.hidden());
        SideLane lane = new SideLane(Gemm.get());
        try {
            InputProjection p = start(lane, in, w.w(), w.b(), z);
            if (Parallel.inHalves(in.batch(), Gemm.get())) {   // all of it first, the blocks shared by the two cores
                lane.drain();
            }
            return pass.apply(z, p);
        } finally {
            lane.settle();
        }
    }

    /**
     * Starts projecting the inputs of {@code in} into the row-major {@code z} ({@code [T*B, w.columns]}): rows of
     * {@code z} become {@code x W}, plus {@code b} where it is not null.
     */
    private static InputProjection start(SideLane lane, Sequence in, INDArray w, INDArray b, INDArray z) {
        int batch = in.batch();
        int steps = in.steps();
        int blockSteps = SideLane.blockSteps(batch);
        InputProjection p = new InputProjection(blockSteps, Math.max(1, (steps + blockSteps - 1) / blockSteps));
        double[] bias = b == null ? null : Mem.values(b);
        Mat x = Mat.of(in.x());
        Mat wm = Mat.of(w);
        Mat zm = Mat.of(z);
        Runnable[] tasks = new Runnable[p.blocks.length];
        for (int k = 0; k < tasks.length; k++) {
            long row = (long) k * blockSteps * batch;
            int rows = (int) (Math.min((long) (k + 1) * blockSteps, steps) * batch - row);
            tasks[k] = () -> project(x, wm, zm, z, bias, row, rows);
        }
        for (int k = 1; k < tasks.length; k++) {
            p.blocks[k] = lane.submitIndependent(tasks[k]);
        }
        tasks[0].run();   // the caller needs it first: no hand-off
        return p;
    }

    private static void project(Mat x, Mat w, Mat zm, INDArray z, double[] bias, long row, int count) {
        if (bias != null) {
            Mem.fillRows(z, row, count, bias);
        }
        Gemm.get().gemm(x.rows(row, count), false, w, false, zm.rows(row, count), bias != null ? 1.0 : 0.0);
    }

    /** Waits until the rows of step {@code t} are projected, projecting them here if the lane has not begun. */
    void awaitStep(int t) {
        if (t % blockSteps == 0 && t > 0) {
            blocks[t / blockSteps].await();
        }
    }
}
