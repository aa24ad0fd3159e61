package org.recurrent4j.cuda;

import java.util.function.Supplier;
import org.recurrent4j.backend.BackendDecision;
import org.recurrent4j.backend.CudaPath;
import org.recurrent4j.backend.GpuInfo;

/**
 * The CUDA path of recurrent4j's own kernels: the recurrent layers on the GPU, everything else on ND4J's CPU backend.
 * It runs on every GPU from sm_80 on, Hopper and newer included, where ND4J's released CUDA build cannot. ND4J's
 * own CUDA path goes first where it can run (up to sm_86, with its natives), since it puts the whole network on the
 * GPU.
 */
public final class RecurrentKernelsPath implements CudaPath {

    public static final String NAME = "recurrent4j kernels";
    static final String JCUDA_NATIVES = "/lib/libJCudaDriver-12.0.0-linux-x86_64.so";

    private final Supplier<String> openGpu;

    /** The path as the backend choice finds it: it opens the GPU to be sure the kernels load before choosing it. */
    public RecurrentKernelsPath() {
        this(RecurrentKernelsPath::tryOpen);
    }

    /** @param openGpu opens the GPU and returns null, or returns why it could not */
    RecurrentKernelsPath(Supplier<String> openGpu) {
        this.openGpu = openGpu;
    }

    private static String tryOpen() {
        try {
            CudaDevice.shared();
            return null;
        } catch (CudaUnavailableException e) {
            return e.getMessage();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String nd4jBackendClass() {
        return BackendDecision.ND4J_CPU_BACKEND;
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public String unavailableReason(GpuInfo gpu) {
        if (gpu.ccNumber() < CudaDevice.MIN_COMPUTE_CAPABILITY) {
            return "its kernels are built for sm_80 and newer, and " + gpu + " is older";
        }
        if (!CudaDevice.hasKernels()) {
            return "this build of recurrent4j-cuda has no GPU kernels (nvcc was not found when it was built): "
                    + "rebuild with nvcc on the PATH or CUDA_HOME set";
        }
        if (RecurrentKernelsPath.class.getResource(JCUDA_NATIVES) == null) {
            return "JCuda's driver binding has no natives for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + " here (it ships " + JCUDA_NATIVES + ")";
        }
        return openGpu.get();
    }
}
