package org.recurrent4j.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.recurrent4j.backend.BackendChoice;
import org.recurrent4j.backend.BackendDecision;
import org.recurrent4j.backend.Backends;
import org.recurrent4j.backend.CpuThreads;
import org.recurrent4j.backend.RuntimeReport;
import picocli.CommandLine.Option;

/** {@code --backend}, {@code --threads} and {@code --verbose}, shared by every command. */
public final class BackendOptions {

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda", defaultValue = "${env:RECURRENT4J_BACKEND:-auto}",
            description = "auto (CUDA where a usable GPU is, else CPU), cpu or cuda. Default: ${DEFAULT-VALUE} "
                    + "(environment variable RECURRENT4J_BACKEND).")
    String backend;

    @Option(names = "--threads", paramLabel = "auto|N", defaultValue = "${env:RECURRENT4J_THREADS:-auto}",
            description = "Threads for ND4J's CPU ops and BLAS: auto (1 on machines with at most 2 cores, where "
                    + "spinning worker threads cost a third of a training step; ND4J's default elsewhere) or a "
                    + "number. Default: ${DEFAULT-VALUE} (environment variable RECURRENT4J_THREADS).")
    String threads;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    /**
     * Chooses the backend, makes ND4J start on it and sets its CPU threads; call before anything touches ND4J. Warns
     * on standard error, once a process, where OpenBLAS runs kernels older than the CPU.
     */
    public BackendDecision activate() {
        return activate(true);
    }

    /**
     * As {@link #activate()}; {@code warnOnStderr} false for a command whose own report prints the BLAS warning
     * ({@code backend}, {@code bench}'s table), so that it is said once.
     */
    public BackendDecision activate(boolean warnOnStderr) {
        int n = CpuThreads.parse(threads);
        BackendDecision d = Backends.activate(BackendChoice.parse(backend));
        if (BackendDecision.ND4J_CPU_BACKEND.equals(d.nd4jBackendClass())) {
            CpuThreads.apply(n);
            String warning = RuntimeReport.blasKernels().get("blas warning");
            // kernels older than the CPU halve the speed of every matrix product; said once a process
            if (warnOnStderr && warning != null && !WARNED.getAndSet(true)) {
                System.err.println("recurrent4j: warning: " + warning);
            }
        }
        return d;
    }
}
