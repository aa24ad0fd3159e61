package org.recurrent4j.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.nd4j.common.config.ND4JClassLoading;

/**
 * Chooses the backend at run time, for library users and the command line alike.
 *
 * <pre>{@code
 * BackendDecision d = Backends.activate(BackendChoice.AUTO);   // before the first use of Nd4j
 * System.out.println(d.summary());                              // "cpu" on a laptop
 * }</pre>
 *
 * Call {@link #activate} before anything touches {@code Nd4j}: ND4J picks its backend once, on first use.
 */
public final class Backends {

    private static volatile BackendDecision active;

    private Backends() {
    }

    /** The CUDA paths on the classpath: ND4J's CUDA backend and those that backend modules register. */
    public static List<CudaPath> cudaPaths() {
        List<CudaPath> paths = new ArrayList<>();
        paths.add(new Nd4jCudaPath());
        for (CudaPath p : ServiceLoader.load(CudaPath.class, Backends.class.getClassLoader())) {
            paths.add(p);
        }
        return paths;
    }

    /** Decides for this machine without activating anything. */
    public static BackendDecision decide(BackendChoice choice) {
        return new BackendSelector(cudaPaths()).select(choice, new SystemGpuProbe().survey());
    }

    /**
     * Decides and makes ND4J start on the chosen backend. Also asks OpenBLAS for the kernels that suit this CPU
     * ({@link BlasCore#chooseBeforeLoad}), which has to happen before ND4J loads it as well.
     *
     * @throws BackendUnavailableException where CUDA was asked for and cannot run, with the reason
     * @throws IllegalStateException       where a different backend was activated earlier in this JVM
     */
    public static synchronized BackendDecision activate(BackendChoice choice) {
        BlasCore.chooseBeforeLoad();
        BackendDecision decision = decide(choice);
        if (active != null) {
            if (!active.nd4jBackendClass().equals(decision.nd4jBackendClass())) {
                throw new IllegalStateException("backend " + active.summary() + " is already active in this JVM; "
                        + "ND4J cannot switch to " + decision.summary() + " without a restart");
            }
            return active;
        }
        ClassLoader parent = ND4JClassLoading.getNd4jClassloader();
        if (parent == null) {
            parent = Backends.class.getClassLoader();
        }
        ND4JClassLoading.setNd4jClassloader(new BackendServiceFilter(parent, decision.nd4jBackendClass()));
        active = decision;
        return decision;
    }

    /** The decision made by {@link #activate}, or null where none was made. */
    public static BackendDecision active() {
        return active;
    }
}
