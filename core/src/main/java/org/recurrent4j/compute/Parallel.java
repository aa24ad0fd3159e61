package org.recurrent4j.compute;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a step's gate arithmetic over the batch rows across threads. Rows are independent, so the result does not
 * depend on the split.
 */
public final class Parallel {

    /** Below this many cells per step, one thread is faster than a hand-off. */
    public static final int MIN_CELLS = 2048;

    @FunctionalInterface
    public interface RowRange {
        public void run(int from, int to);
    }

    /**
     * Threads for the gate arithmetic, {@code -Drecurrent4j.threads=N}; 1 by default. On 2 cores a second thread
     * measured no gain: OpenBLAS's worker threads spin-wait after each GEMM and hold the other core (bench, LSTM
     * train 32x50x100x128: 70-80 ms with 2 threads against 52-87 ms with 1, interleaved runs). Machines with more
     * cores than BLAS threads may gain.
     */
    private static final int THREADS = Math.max(1, Integer.getInteger("recurrent4j.threads", 1));

    private Parallel() {
    }

    /** Runs {@code body} over rows {@code [0, rows)}, in chunks on several cores where the work is large enough. */
    public static void rows(int rows, int cellsPerRow, RowRange body) {
        int chunks = Math.min(THREADS, rows);
        if (chunks <= 1 || (long) rows * cellsPerRow < MIN_CELLS) {
            body.run(0, rows);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) rows * c / chunks);
            int to = (int) ((long) rows * (c + 1) / chunks);
            tasks[c - 1] = ForkJoinPool.commonPool().submit(() -> body.run(from, to));
        }
        body.run(0, rows / chunks);
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
