package org.recurrent4j.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides between the CPU and the CUDA paths from facts alone (a GPU survey and the paths on the classpath), so the
 * decision is testable on any machine and is made before ND4J starts.
 */
public final class BackendSelector {

    private final List<CudaPath> cudaPaths;

    public BackendSelector(List<CudaPath> cudaPaths) {
        this.cudaPaths = cudaPaths.stream().sorted(Comparator.comparingInt(CudaPath::priority).reversed()).toList();
    }

    /**
     * @throws BackendUnavailableException where {@code choice} is {@link BackendChoice#CUDA} and no CUDA path can run
     */
    public BackendDecision select(BackendChoice choice, GpuSurvey survey) {
        if (choice == BackendChoice.CPU) {
            return cpu(choice, List.of("cuda: not tried (--backend cpu)"));
        }
        List<String> reasons = new ArrayList<>();
        if (!survey.hasDriver() || survey.gpus().isEmpty()) {
            reasons.add(survey.problem() != null ? survey.problem() : "no GPU found");
        } else if (cudaPaths.isEmpty()) {
            reasons.add("no CUDA path is on the classpath: depend on recurrent4j-cuda");
        } else {
            GpuInfo gpu = survey.gpus().get(0);
            for (CudaPath path : cudaPaths) {
                String why = path.unavailableReason(gpu);
                if (why == null) {
                    List<String> notTaken = new ArrayList<>(reasons);
                    notTaken.add("cpu: a usable GPU was found");
                    return new BackendDecision(choice, true, path.name(), gpu.toString(), path.nd4jBackendClass(),
                            notTaken);
                }
                reasons.add(path.name() + ": " + why);
            }
        }
        if (choice == BackendChoice.CUDA) {
            throw new BackendUnavailableException("--backend cuda cannot run here: " + String.join("; ", reasons)
                    + ". Use --backend cpu (or auto) to run on the CPU.");
        }
        return cpu(choice, reasons.stream().map(r -> "cuda: " + r).toList());
    }

    private static BackendDecision cpu(BackendChoice choice, List<String> notTaken) {
        return new BackendDecision(choice, false, "ND4J CPU", "CPU", BackendDecision.ND4J_CPU_BACKEND, notTaken);
    }
}
