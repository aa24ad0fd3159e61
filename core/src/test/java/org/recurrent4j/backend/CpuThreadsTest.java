package org.recurrent4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

class CpuThreadsTest {

    @Test
    void autoTakesOneThreadOnTwoCoresAndLeavesNd4jsDefaultOnMore() {
        assertEquals(1, CpuThreads.auto(1));
        assertEquals(1, CpuThreads.auto(2));
        assertEquals(0, CpuThreads.auto(8));
        assertEquals(CpuThreads.auto(Runtime.getRuntime().availableProcessors()), CpuThreads.parse(" AUTO "));
        assertEquals(3, CpuThreads.parse("3"));
    }

    @Test
    void aBadCountNamesTheValue() {
        for (String bad : new String[]{"0", "-2", "two", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuThreads.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("auto"), e.getMessage());
        }
    }

    @Test
    void applySetsNd4jsAndBlasThreadsAndZeroLeavesThem() {
        int ops = Nd4j.getEnvironment().maxThreads();
        int master = Nd4j.getEnvironment().maxMasterThreads();
        int blas = Nd4j.factory().blas().getMaxThreads();
        NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int omp = nativeOps.ompGetMaxThreads();
        try {
            CpuThreads.apply(1);
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
            assertEquals(1, nativeOps.ompGetMaxThreads(), "OpenMP's count for this thread");
            CpuThreads.apply(0);
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
        } finally {
            Nd4j.getEnvironment().setMaxThreads(ops);
            Nd4j.getEnvironment().setMaxMasterThreads(master);
            Nd4j.factory().blas().setMaxThreads(blas);
            nativeOps.setOmpNumThreads(omp);
        }
    }
}
