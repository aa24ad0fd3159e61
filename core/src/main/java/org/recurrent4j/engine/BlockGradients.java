package org.recurrent4j.engine;

import org.recurrent4j.compute.Blocks;
import org.recurrent4j.compute.SideLane;

/**
 * The weight gradients of a backward pass, computed in blocks of steps as the recurrence finishes them: each block's
 * GEMMs go to a {@link SideLane} while the caller's thread goes on with earlier steps. Blocks are counted from the
 * last step down, so the one left when the recurrence ends, which nothing overlaps, is the smallest. A block's
 * gradients of the input weights, and of the two column halves of the recurrent weights, accumulate: three chains, each
 * in block order; its input gradients (its own rows of dX) depend on no other block. When the recurrence ends, the
 * caller takes what the lane has not started: the recurrent weights' halves are two chains so that both cores can
 * finish them (Elman, hidden 512: that chain alone was most of what was left).
 */
final class BlockGradients {

    /** The GEMMs of rows {@code [row, row+rows)}; {@code first} is true for the first block, which sets, not adds. */
    @FunctionalInterface
    interface Block {
        void run(long row, int rows, boolean first);
    }

    /** The GEMMs of rows {@code [row, row+rows)} that write those rows only. */
    @FunctionalInterface
    interface Rows {
        void run(long row, int rows);
    }

    private final SideLane lane;
    private final int steps;
    private final int batch;
    private final int end;
    private final int blockSteps;
    private final Block inputWeights;
    private final Block[] recurrentWeights;
    private final Rows inputs;
    private SideLane.Task lastInputWeights;
    private final SideLane.Task[] lastRecurrentWeights;
    /** The lowest step already handed over. */
    private int top;
    private boolean first = true;

    /** For a pass over {@code steps} steps of which backward computes {@code [end, steps)}. */
    BlockGradients(SideLane lane, int steps, int batch, int end, Block inputWeights, Block[] recurrentWeights,
                   Rows inputs) {
        this.lane = lane;
        this.steps = steps;
        this.batch = batch;
        this.end = end;
        this.blockSteps = SideLane.blockSteps(batch);
        this.inputWeights = inputWeights;
        this.recurrentWeights = recurrentWeights.clone();
        this.lastRecurrentWeights = new SideLane.Task[recurrentWeights.length];
        this.inputs = inputs;
        this.top = steps;
    }

    /** Call when the gradients of step {@code t} are written; steps go down from {@code steps - 1}. */
    void stepDone(int t) {
        if ((steps - t) % blockSteps == 0 || t == end) {
            handOver(t);
        }
    }

    /**
     * Hands over what is left (the zero gradients of steps that truncated BPTT cut off, or an empty block for an
     * empty sequence, which still sets the gradients) and waits for all blocks.
     */
    void finish() {
        if (top > 0 || first) {
            handOver(0);
        }
        lane.drain();
    }

    private void handOver(int from) {
        long row = (long) from * batch;
        int rows = (int) ((long) top * batch - row);
        boolean isFirst = first;
        lastInputWeights = lane.submitAfter(lastInputWeights, () -> inputWeights.run(row, rows, isFirst));
        for (int k = 0; k < recurrentWeights.length; k++) {
            Block part = recurrentWeights[k];
            lastRecurrentWeights[k] = lane.submitAfter(lastRecurrentWeights[k], () -> part.run(row, rows, isFirst));
        }
        lane.submitIndependent(() -> inputs.run(row, rows));
        first = false;
        top = from;
    }
}
