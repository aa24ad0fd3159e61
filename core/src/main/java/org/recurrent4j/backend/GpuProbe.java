package org.recurrent4j.backend;

/** Finds the NVIDIA driver and GPUs of this machine without touching ND4J. */
@FunctionalInterface
public interface GpuProbe {
    GpuSurvey survey();
}
