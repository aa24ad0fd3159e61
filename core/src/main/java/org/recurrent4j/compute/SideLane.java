package org.recurrent4j.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A second core for the large GEMMs of a pass. The recurrence itself is sequential: step t needs step t-1. But the
 * input projection of later steps does not wait on the recurrence, and the weight gradients of steps already
 * backpropagated do not either; a kernel hands those to its lane in blocks of steps, and the lane runs them on
 * another core while the kernel's own thread goes on with the recurrence.
 *
 * <p>A pass makes its own lane. A task may name one it runs after: a chain of such tasks runs one at a time in its
 * order, so GEMMs that accumulate into one array need no locks. The lane runs tasks in the order submitted; the
 * caller, when it comes to wait for a task or for the whole lane, runs those the lane has not started, so the end of
 * a pass, where the lane is behind (a backward pass gives it more GEMMs than the recurrence has), is shared between
 * the two cores. The blocks are the same whether or not a second core runs them ({@link #blockSteps}), and so are
 * the sums, in their chains' order: results do not depend on the machine or on which thread ran what. Where there is one core, or
 * GEMMs do not go straight to single-threaded OpenBLAS, or {@code -Drecurrent4j.overlap=false}, tasks run at once on
 * the caller's thread.
 *
 * <p>One worker thread serves all lanes. Within a pass it polls for tasks instead of sleeping between them: waking a
 * sleeping thread cost 150 us a hand-over on average here, up to 5 ms, because Linux woke it on the caller's core and
 * the caller waited (LSTM training step, batch 32, 50 steps, hidden 128: 7 hand-overs per backward took 1.5-2.7 ms).
 * It sleeps after {@link #SPIN_NANOS} without work, so one wake-up a pass remains.
 */
public final class SideLane {

    /** Rows of a block: big enough that a block's GEMMs run near full speed, small enough to start early. */
    public static final int BLOCK_ROWS = 256;

    /**
     * How long the worker polls after its last task before it sleeps: longer than the gap between two blocks of a
     * pass (0.1-1 ms), shorter than that between passes, where DL4J's other layers run. Polling through those too (20
     * ms) made a GRU training step 5-15% slower in {@code bench} runs than parking there (1 ms), and no faster for
     * the LSTM.
     */
    public static final long SPIN_NANOS = 1_000_000L;

    /** Whether lanes run tasks on another thread at all; tests switch it to compare the two. */
    private static volatile boolean enabled = Runtime.getRuntime().availableProcessors() >= 2
            && Boolean.parseBoolean(System.getProperty("recurrent4j.overlap", "true"));

    private final boolean concurrent;
    /** The tasks submitted since the last drain or settle. */
    private final List<Task> tasks = new ArrayList<>();

    /** Threads running inside {@link #serially}: their lanes run every task at once, on the thread itself. */
    private static final ThreadLocal<Boolean> SERIAL = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** A lane for one pass whose GEMMs go through {@code gemm}. */
    public SideLane(Gemm gemm) {
        this.concurrent = enabled && gemm.threadSafe() && !SERIAL.get();
    }

    /**
     * Runs {@code body} with the lanes it makes running their tasks on this thread: for a pass that has a core of its
     * own already (the two directions of a bidirectional layer, each on one core).
     */
    public static void serially(Runnable body) {
        Boolean was = SERIAL.get();
        SERIAL.set(Boolean.TRUE);
        try {
            body.run();
        } finally {
            SERIAL.set(was);
        }
    }

    /** True inside {@link #serially}: the pass has a core of its own and no second one to give its work to. */
    public static boolean inSerially() {
        return SERIAL.get();
    }

    /** Turns the second thread on or off for lanes made from now on. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** How the CPU kernels use the cores, and why, for reports. */
    public static String describe(Gemm gemm) {
        if (!enabled) {
            return Runtime.getRuntime().availableProcessors() < 2 ? "one thread (one core)"
                    : "one thread (-Drecurrent4j.overlap=false)";
        }
        if (!gemm.threadSafe()) {
            return "one thread (the side lane needs BLAS at one thread; --threads 1 sets that)";
        }
        return "the caller's thread, and a second core for half the rows of a batch of 8 or more, the input projection"
                + " and the weight gradients";
    }

    /**
     * Wakes the worker where it sleeps, for a caller about to hand it work: a sleeping thread takes from 0.15 up to 5
     * ms to run, so a caller that wakes it before preparing the work finds it running when the work is ready.
     */
    public static void wake() {
        if (enabled) {
            Worker.INSTANCE.keepAwake();
        }
    }

    /**
     * {@link #wake} where a pass over {@code steps} steps of {@code batch} rows will hand the lane work: its input
     * projection has more than one block ({@link #blockSteps}), its rows run in halves ({@link Parallel#inHalves}),
     * or a backward pass follows ({@code training}). Else the worker stays asleep: woken for nothing, it polls a
     * whole core for {@link #SPIN_NANOS} after each pass, which at batch 1 (a sentence tagged at a time, 0.3-0.5 ms a
     * pass) held the second core all the time, and gave the caller nothing.
     */
    public static void wakeFor(int steps, int batch, boolean training) {
        if (training || steps > blockSteps(batch) || Parallel.inHalves(batch, Gemm.get())) {
            wake();
        }
    }

    /** True where tasks run on another thread. */
    public boolean concurrent() {
        return concurrent;
    }

    /** Steps per block for a batch of {@code batch} sequences: about {@link #BLOCK_ROWS} rows, at least one step. */
    public static int blockSteps(int batch) {
        return Math.max(1, (BLOCK_ROWS + batch - 1) / batch);
    }

    /**
     * Runs {@code body} after the task {@code before} (null: after none), on the lane or, where the caller comes to
     * wait before the lane has started it, on the caller's thread. A chain of such tasks (each after the last) runs in
     * its order, one at a time, whichever thread runs each: for GEMMs that accumulate into one array.
     */
    public Task submitAfter(Task before, Runnable body) {
        Task task = new Task(body, before);
        tasks.add(task);
        if (concurrent) {
            Worker.INSTANCE.add(task);
        } else {
            task.claimAndRun();
        }
        return task;
    }

    /** Runs {@code body}, which depends on no other task, as {@link #submitAfter} does. */
    public Task submitIndependent(Runnable body) {
        return submitAfter(null, body);
    }

    /**
     * Waits for every task submitted so far, throwing the first failure among them in the order submitted. Meanwhile
     * the caller runs what the lane has not started: each time the first task not taken whose predecessor has run,
     * so that the two threads share the end of a pass (a backward pass's weight gradients, in three chains: dW, dR,
     * and dX, whose blocks are independent).
     */
    public void drain() {
        while (true) {
            Task next = null;
            boolean untaken = false;
            for (Task task : tasks) {
                if (!task.claimed.get()) {
                    untaken = true;
                    if (task.ready()) {
                        next = task;
                        break;
                    }
                }
            }
            if (next == null) {
                if (!untaken) {
                    break;
                }
                Thread.yield();   // every task left waits for one under way
            } else {
                next.claimAndRun();
            }
        }
        Throwable failure = null;
        for (Task task : tasks) {
            task.waitDone();
            if (failure == null) {
                failure = task.failure;
            }
        }
        tasks.clear();
        Task.rethrow(failure);
    }

    /**
     * Waits for every task submitted so far and drops their failures: for the way out of a pass that failed on the
     * caller's thread, so that no task still writes into arrays the next pass reuses.
     */
    public void settle() {
        for (Task task : tasks) {
            task.waitDone();
        }
        tasks.clear();
    }

    /** One task of a lane. */
    public static final class Task {
        private final Runnable body;
        /** The task this one runs after; null once that has run, or if none. */
        private volatile Task before;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private Throwable failure;
        private volatile boolean done;

        private Task(Runnable body, Task before) {
            this.body = body;
            this.before = before;
        }

        /** True where the task this one runs after has run. */
        private boolean ready() {
            Task b = before;
            return b == null || b.done;
        }

        /**
         * Runs the task here, after the one it runs after, unless some thread has claimed it already. A thread claims
         * tasks in the order submitted, so the one before is taken already and this wait ends.
         */
        private void claimAndRun() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            Task b = before;
            if (b != null) {
                b.waitDone();
                before = null;   // lets a finished chain be collected
            }
            try {
                body.run();
            } catch (Throwable e) {
                failure = e;
            }
            done = true;
        }

        /** Waits until this task has run, running it here if no thread has started it; throws its failure. */
        public void await() {
            claimAndRun();
            waitDone();
            rethrow(failure);
        }

        private static void rethrow(Throwable failure) {
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }

        private void waitDone() {
            for (int spins = 0; !done; spins++) {
                if ((spins & 63) == 63) {
                    Thread.yield();   // lets the worker run should it share this core
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static final class Worker implements Runnable {
        static final Worker INSTANCE = start();

        private final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
        private volatile long awakeUntil;
        private volatile boolean sleeping;
        private Thread thread;

        private static Worker start() {
            Worker w = new Worker();
            w.thread = new Thread(w, "recurrent4j-side-lane");
            w.thread.setDaemon(true);
            w.thread.start();
            return w;
        }

        public void keepAwake() {
            awakeUntil = System.nanoTime() + SPIN_NANOS;
            if (sleeping) {
                LockSupport.unpark(thread);
            }
        }

        public void add(Task task) {
            queue.add(task);
            keepAwake();
        }

        @Override
        public void run() {
            while (true) {
                Task task = queue.poll();
                if (task != null) {
                    task.claimAndRun();   // does nothing where the caller took it over
                    awakeUntil = Math.max(awakeUntil, System.nanoTime() + SPIN_NANOS);
                } else if (System.nanoTime() - awakeUntil < 0) {
                    Thread.yield();   // gives the core back at once should the scheduler have put a caller here
                } else {
                    sleeping = true;
                    if (queue.isEmpty() && System.nanoTime() - awakeUntil >= 0) {
                        LockSupport.park(this);
                    }
                    sleeping = false;
                }
            }
        }
    }
}
