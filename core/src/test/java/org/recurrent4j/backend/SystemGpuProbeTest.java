package org.recurrent4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemGpuProbeTest {

    @TempDir
    Path dir;

    @Test
    void parsesNvidiaSmiRows() {
        List<GpuInfo> gpus = SystemGpuProbe.parseSmi("0, NVIDIA H100 80GB HBM3, 9.0\n1, NVIDIA A100-SXM4-40GB, 8.0\n");
        assertEquals(2, gpus.size());
        assertEquals("sm_90", gpus.get(0).smArch());
        assertEquals(new GpuInfo(1, "NVIDIA A100-SXM4-40GB", 8, 0), gpus.get(1));
    }

    @Test
    void skipsLinesThatAreNotGpus() {
        assertTrue(SystemGpuProbe.parseSmi("WARNING: infoROM is corrupted\n").isEmpty());
    }

    @Test
    void noDriverFileMeansNoDriver() {
        GpuSurvey s = new SystemGpuProbe(dir.resolve("missing"), List.of("true")).survey();
        assertFalse(s.hasDriver());
        assertTrue(s.problem().contains("no NVIDIA driver"), s.problem());
    }

    @Test
    void driverWithAFakeSmiListsItsGpus() throws Exception {
        Path version = dir.resolve("version");
        Files.writeString(version, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.65.06  Sun Jul 27 2025\n");
        GpuSurvey s = new SystemGpuProbe(version, List.of("echo", "0, NVIDIA H100 80GB HBM3, 9.0")).survey();
        assertEquals("580.65.06", s.driverVersion());
        assertEquals(List.of(new GpuInfo(0, "NVIDIA H100 80GB HBM3", 9, 0)), s.gpus());
    }

    @Test
    void driverWithoutNvidiaSmiSaysSo() throws Exception {
        Path version = dir.resolve("version");
        Files.writeString(version, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.65.06\n");
        GpuSurvey s = new SystemGpuProbe(version, List.of(dir.resolve("no-such-smi").toString())).survey();
        assertTrue(s.hasDriver());
        assertTrue(s.gpus().isEmpty());
        assertTrue(s.problem().contains("nvidia-smi"), s.problem());
    }
}
