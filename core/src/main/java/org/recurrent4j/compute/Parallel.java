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
        rows(0, rows, cellsPerRow, body);
    }

    /** Runs {@code body} over rows {@code [first, end)}, as {@link #rows(int, int, RowRange)}. */
    public static void rows(int first, int end, int cellsPerRow, RowRange body) {
        int rows = end - first;
        int chunks = Math.min(THREADS, rows);
        if (chunks <= 1 || (long) rows * cellsPerRow < MIN_CELLS) {
            body.run(first, end);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = first + (int) ((long) rows * c / chunks);
            int to = first + (int) ((long) rows * (c + 1) / chunks);
            tasks[c - 1] = ForkJoinPool.commonPool().submit(() -> body.run(from, to));
        }
        body.run(first, first + rows / chunks);
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    /**
     * Batches of at least this many rows run their recurrence as two halves of rows (LSTM inference, batch 32, 50
     * steps, hidden 128, bench on the 2-core Zen 5: see the README's speed table).
     */
    public static final int HALVES_MIN_ROWS = 8;

    /** {@code -Drecurrent4j.halves=false} runs every recurrence as one, to measure what the halves gain. */
    private static final boolean HALVES = Boolean.parseBoolean(System.getProperty("recurrent4j.halves", "true"));

    /**
     * Whether a recurrence over {@code rows} batch rows runs as two halves ({@link #halves}): at least
     * {@link #HALVES_MIN_ROWS} rows, GEMMs that two threads may call at once, and a pass that is not one of two run
     * side by side ({@link SideLane#serially}: a bidirectional layer's directions, which take a core each already). It
     * depends on nothing else (not on the cores there are; {@code -Drecurrent4j.halves=false} turns it off), so
     * results are the same on one core and on two.
     */
    public static boolean inHalves(int rows, Gemm gemm) {
        return HALVES && rows >= HALVES_MIN_ROWS && gemm.threadSafe() && !SideLane.inSerially();
    }

    /**
     * Runs {@code body} over rows {@code [0, rows)}: where {@link #inHalves}, as {@code [rows/2, rows)} on the side
     * lane's core and {@code [0, rows/2)} on the caller's at the same time (one after the other where the lane has no
     * core of its own), else at once. The rows of a recurrence are independent: each half reads and writes only its
     * own rows, and its step products are GEMMs over its rows only, so the halves never wait on each other.
     */
    public static void halves(int rows, Gemm gemm, RowRange body) {
        if (!inHalves(rows, gemm)) {
            body.run(0, rows);
            return;
        }
        int half = rows / 2;
        SideLane lane = new SideLane(gemm);
        try {
            SideLane.Task other = lane.submitIndependent(() -> body.run(half, rows));
            body.run(0, half);
            other.await();
        } finally {
            lane.settle();
        }
    }
}
