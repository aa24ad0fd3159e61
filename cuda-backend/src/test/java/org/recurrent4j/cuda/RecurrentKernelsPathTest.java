package org.recurrent4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recurrent4j.backend.BackendChoice;
import org.recurrent4j.backend.BackendDecision;
import org.recurrent4j.backend.BackendSelector;
import org.recurrent4j.backend.Backends;
import org.recurrent4j.backend.CudaPath;
import org.recurrent4j.backend.GpuInfo;
import org.recurrent4j.backend.GpuSurvey;
import org.recurrent4j.backend.Nd4jCudaPath;

/** Which GPUs the CUDA kernels' path takes, and what the choice says where it cannot run. */
class RecurrentKernelsPathTest {

    private static final GpuInfo H100 = new GpuInfo(0, "NVIDIA H100 80GB HBM3", 9, 0);
    private static final GpuInfo A100 = new GpuInfo(0, "NVIDIA A100-SXM4-40GB", 8, 0);
    private static final GpuInfo T4 = new GpuInfo(0, "Tesla T4", 7, 5);

    @Test
    void isRegisteredBesideNd4jsPath() {
        assertTrue(Backends.cudaPaths().stream().anyMatch(p -> p instanceof RecurrentKernelsPath));
    }

    @Test
    void takesHopperWhereNd4jCannotRunAndLeavesNd4jOnTheCpu() {
        assumeTrue(CudaDevice.hasKernels(), "built without nvcc");
        List<CudaPath> paths = List.of(new Nd4jCudaPath(), new RecurrentKernelsPath(() -> null));
        BackendDecision d = new BackendSelector(paths).select(BackendChoice.AUTO, survey(H100));
        assertTrue(d.cuda());
        assertEquals(RecurrentKernelsPath.NAME, d.path());
        assertEquals(BackendDecision.ND4J_CPU_BACKEND, d.nd4jBackendClass());
        assertEquals("cuda: recurrent4j kernels on NVIDIA H100 80GB HBM3 (sm_90) (ND4J on CPU)", d.summary());
        assertTrue(d.notTaken().stream().anyMatch(r -> r.startsWith("ND4J CUDA 11.6: ") && r.contains("sm_86")),
                d.notTaken().toString());
    }

    @Test
    void declinesGpusOlderThanAmpereWithTheReason() {
        String why = new RecurrentKernelsPath().unavailableReason(T4);
        assertTrue(why.contains("sm_80") && why.contains("Tesla T4"), why);
        assertNull(CudaDevice.hasKernels() ? new RecurrentKernelsPath(() -> null).unavailableReason(A100) : null);
    }

    @Test
    void aGpuThatDoesNotOpenFallsBackToTheCpuWithTheReason() {
        assumeTrue(CudaDevice.hasKernels(), "built without nvcc");
        String why = "the GPU kernels did not load on NVIDIA H100 80GB HBM3 (sm_90) (CUDA_ERROR_NO_BINARY_FOR_GPU)";
        List<CudaPath> paths = List.of(new Nd4jCudaPath(), new RecurrentKernelsPath(() -> why));
        BackendDecision d = new BackendSelector(paths).select(BackendChoice.AUTO, survey(H100));
        assertEquals("cpu", d.summary());
        assertTrue(d.notTaken().contains("cuda: recurrent4j kernels: " + why), d.notTaken().toString());
    }

    @Test
    void cudaOnAMachineWithoutADriverNamesTheReason() {
        GpuSurvey none = GpuSurvey.noDriver("no NVIDIA driver is loaded (/proc/driver/nvidia/version is missing)");
        List<CudaPath> paths = Backends.cudaPaths();
        Exception e = assertThrows(RuntimeException.class,
                () -> new BackendSelector(paths).select(BackendChoice.CUDA, none));
        assertTrue(e.getMessage().contains("no NVIDIA driver is loaded"), e.getMessage());
        assertEquals("cpu", new BackendSelector(paths).select(BackendChoice.AUTO, none).summary());
    }

    @Test
    void openingTheGpuWithoutADriverSaysSo() {
        assumeTrue(!new java.io.File("/proc/driver/nvidia/version").exists(), "this machine has an NVIDIA driver");
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class, () -> CudaDevice.open(0));
        assertTrue(e.getMessage().contains("libcuda.so.1") || e.getMessage().contains("without its GPU kernels"),
                e.getMessage());
    }

    private static GpuSurvey survey(GpuInfo gpu) {
        return new GpuSurvey("580.95", List.of(gpu), null);
    }
}
