package org.recurrent4j.backend;

/**
 * One way of running on an NVIDIA GPU: ND4J's own CUDA backend, or recurrent4j's CUDA kernels beside ND4J's CPU
 * backend. Implementations are found with {@link java.util.ServiceLoader}, so a backend module adds its path by
 * being on the classpath.
 */
public interface CudaPath {

    /** A short name for reports, for example {@code ND4J CUDA 11.6}. */
    String name();

    /** The ND4J backend class this path runs ND4J on. */
    String nd4jBackendClass();

    /** Null where this path can run on {@code gpu}; otherwise why not, and what to do about it. */
    String unavailableReason(GpuInfo gpu);

    /** Orders paths when several could run: the higher is tried first. */
    default int priority() {
        return 0;
    }
}
