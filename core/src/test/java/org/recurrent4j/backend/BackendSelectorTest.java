package org.recurrent4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendSelectorTest {

    static final GpuInfo H100 = new GpuInfo(0, "NVIDIA H100 80GB HBM3", 9, 0);
    static final GpuInfo A100 = new GpuInfo(0, "NVIDIA A100-SXM4-40GB", 8, 0);
    static final GpuInfo L4 = new GpuInfo(0, "NVIDIA L4", 8, 9);
    static final GpuInfo K20 = new GpuInfo(0, "Tesla K20", 3, 5);

    /** ND4J's CUDA path, with or without its natives on the classpath. */
    static CudaPath nd4j(boolean natives) {
        return new CudaPath() {
            final Nd4jCudaPath real = new Nd4jCudaPath();

            @Override
            public String name() {
                return real.name();
            }

            @Override
            public String nd4jBackendClass() {
                return real.nd4jBackendClass();
            }

            @Override
            public String unavailableReason(GpuInfo gpu) {
                String archOnly = real.unavailableReason(gpu);
                if (archOnly != null && archOnly.contains("sm_37..sm_86")) {
                    return archOnly;
                }
                return natives ? null : "natives missing: build with 'mvn -Pcuda-natives package'";
            }
        };
    }

    static GpuSurvey with(GpuInfo gpu) {
        return new GpuSurvey("580.65", List.of(gpu), null);
    }

    @Test
    void cpuIsTakenWhenAskedEvenWithAUsableGpu() {
        BackendDecision d = new BackendSelector(List.of(nd4j(true))).select(BackendChoice.CPU, with(A100));
        assertFalse(d.cuda());
        assertEquals(BackendDecision.ND4J_CPU_BACKEND, d.nd4jBackendClass());
        assertTrue(d.notTaken().get(0).contains("--backend cpu"));
    }

    @Test
    void autoTakesCudaOnASupportedGpu() {
        BackendDecision d = new BackendSelector(List.of(nd4j(true))).select(BackendChoice.AUTO, with(A100));
        assertTrue(d.cuda());
        assertEquals("org.nd4j.linalg.jcublas.JCublasBackend", d.nd4jBackendClass());
        assertEquals("cuda: ND4J CUDA 11.6 on NVIDIA A100-SXM4-40GB (sm_80)", d.summary());
    }

    @Test
    void adaRunsTheAmpereCodeOfNd4jCuda() {
        assertTrue(new BackendSelector(List.of(nd4j(true))).select(BackendChoice.AUTO, with(L4)).cuda());
    }

    @Test
    void autoFallsBackToCpuWithoutDriverAndSaysWhy() {
        BackendDecision d = new BackendSelector(List.of(nd4j(true)))
                .select(BackendChoice.AUTO, GpuSurvey.noDriver("no NVIDIA driver is loaded"));
        assertFalse(d.cuda());
        assertEquals(List.of("cuda: no NVIDIA driver is loaded"), d.notTaken());
    }

    @Test
    void hopperIsDeclinedByNd4jCudaWithTheArchitectureNamed() {
        BackendDecision d = new BackendSelector(List.of(nd4j(true))).select(BackendChoice.AUTO, with(H100));
        assertFalse(d.cuda());
        assertTrue(d.notTaken().get(0).contains("sm_90"), d.notTaken().toString());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> new BackendSelector(List.of(nd4j(true))).select(BackendChoice.CUDA, with(H100)));
        assertTrue(e.getMessage().contains("sm_37..sm_86") && e.getMessage().contains("--backend cpu"),
                e.getMessage());
    }

    @Test
    void olderThanKeplerIsDeclined() {
        assertFalse(new BackendSelector(List.of(nd4j(true))).select(BackendChoice.AUTO, with(K20)).cuda());
    }

    @Test
    void cudaWithoutNativesFailsWithTheBuildFix() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> new BackendSelector(List.of(nd4j(false))).select(BackendChoice.CUDA, with(A100)));
        assertTrue(e.getMessage().contains("-Pcuda-natives"), e.getMessage());
    }

    @Test
    void cudaWithoutAnyPathOnTheClasspathSaysWhichModuleToAdd() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> new BackendSelector(List.of()).select(BackendChoice.CUDA, with(A100)));
        assertTrue(e.getMessage().contains("recurrent4j-cuda"), e.getMessage());
    }

    @Test
    void theRealNd4jCudaPathFindsNoNativesInThisBuild() {
        String why = new Nd4jCudaPath().unavailableReason(A100);
        assertTrue(why != null && (why.contains("-Pcuda-natives") || why.contains("recurrent4j-cuda")), why);
    }

    @Test
    void choicesParseAndBadOnesAreNamed() {
        assertEquals(BackendChoice.CUDA, BackendChoice.parse(" CUDA "));
        assertEquals(BackendChoice.AUTO, BackendChoice.parse(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendChoice.parse("gpu"));
        assertTrue(e.getMessage().contains("'gpu'") && e.getMessage().contains("auto, cpu or cuda"));
    }
}
