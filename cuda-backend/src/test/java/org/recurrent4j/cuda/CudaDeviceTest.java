package org.recurrent4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** On a machine with an NVIDIA GPU (skipped elsewhere): the kernels on the real device, as the GPU check runs them. */
class CudaDeviceTest {

    @Test
    void everyKernelMatchesTheReferenceOnTheGpu() {
        assumeTrue(new File("/proc/driver/nvidia/version").exists(), "no NVIDIA driver on this machine");
        assumeTrue(CudaDevice.hasKernels(), "built without nvcc: no GPU kernels");
        try (CudaDevice gpu = CudaDevice.open(0)) {
            assertTrue(gpu.computeCapability() >= CudaDevice.MIN_COMPUTE_CAPABILITY, gpu.name());
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            GpuCheck check = new GpuCheck(new PrintStream(log, true, StandardCharsets.UTF_8));
            check.correctness(gpu, GpuCheck.CHECK_SHAPES);
            String text = log.toString(StandardCharsets.UTF_8);
            assertEquals(0, check.failed(), text);
            assertEquals(Cell.values().length * GpuCheck.CHECK_SHAPES.length * 2 * 2, check.passed(), text);
        }
    }
}
