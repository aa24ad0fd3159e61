package org.recurrent4j.backend;

import java.util.List;

/**
 * The backend chosen for this run and why the others were not taken.
 *
 * @param choice           what was asked for
 * @param cuda             true where a GPU path was taken
 * @param path             the path taken, for example {@code CPU} or {@code ND4J CUDA 11.6}
 * @param device           the device it runs on, for example {@code NVIDIA A100 (sm_80)} or {@code CPU}
 * @param nd4jBackendClass the ND4J backend class that must start
 * @param notTaken         one line for each backend or path that was not taken, with the reason
 */
public record BackendDecision(BackendChoice choice, boolean cuda, String path, String device,
                              String nd4jBackendClass, List<String> notTaken) {

    public static final String ND4J_CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";

    public BackendDecision {
        notTaken = List.copyOf(notTaken);
    }

    /**
     * One line for reports: {@code cpu}, {@code cuda: ND4J CUDA 11.6 on NVIDIA A100 (sm_80)}, or for a CUDA path that
     * leaves ND4J on the CPU {@code cuda: recurrent4j kernels on NVIDIA H100 (sm_90) (ND4J on CPU)}.
     */
    public String summary() {
        if (!cuda) {
            return "cpu";
        }
        return "cuda: " + path + " on " + device + (ND4J_CPU_BACKEND.equals(nd4jBackendClass) ? " (ND4J on CPU)" : "");
    }
}
