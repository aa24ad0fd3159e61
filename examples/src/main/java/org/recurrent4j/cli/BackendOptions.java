package org.recurrent4j.cli;

import org.recurrent4j.backend.BackendChoice;
import org.recurrent4j.backend.BackendDecision;
import org.recurrent4j.backend.Backends;
import picocli.CommandLine.Option;

/** {@code --backend} and {@code --verbose}, shared by every command. */
public final class BackendOptions {

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda", defaultValue = "${env:RECURRENT4J_BACKEND:-auto}",
            description = "auto (CUDA where a usable GPU is, else CPU), cpu or cuda. Default: ${DEFAULT-VALUE} "
                    + "(environment variable RECURRENT4J_BACKEND).")
    String backend;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    /** Chooses the backend and makes ND4J start on it; call before anything touches ND4J. */
    public BackendDecision activate() {
        return Backends.activate(BackendChoice.parse(backend));
    }
}
