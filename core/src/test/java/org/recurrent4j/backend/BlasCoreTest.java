package org.recurrent4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BlasCoreTest {

    private static final String ZEN5 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 26
            model\t\t: 2
            flags\t\t: fpu sse sse2 avx fma avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16

            processor\t: 1
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            flags\t\t: fpu sse
            """;

    private static final String HASWELL = """
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            flags\t\t: fpu sse sse2 avx fma avx2
            """;

    @Test
    void readsTheFirstProcessor() {
        BlasCore.Cpu cpu = BlasCore.Cpu.parse(ZEN5);
        assertEquals("AuthenticAMD", cpu.vendor());
        assertEquals(26, cpu.family());
        assertTrue(cpu.avx512());
        assertTrue(cpu.avx2());
        BlasCore.Cpu older = BlasCore.Cpu.parse(HASWELL);
        assertFalse(older.avx512());
        assertTrue(older.avx2());
    }

    @Test
    void asksForSkylakeXKernelsOnlyWhereTheCpuHasAvx512() {
        assertEquals("SkylakeX", BlasCore.decide(null, BlasCore.Cpu.parse(ZEN5)).requested());
        assertNull(BlasCore.decide(null, BlasCore.Cpu.parse(HASWELL)).requested());
        assertNull(BlasCore.decide("", null).requested());
        // one AVX-512 subset missing: no SkylakeX kernels
        assertNull(BlasCore.decide(null, BlasCore.Cpu.parse(ZEN5.replace(" avx512bw", ""))).requested());
    }

    @Test
    void theUsersSettingWins() {
        BlasCore.Choice c = BlasCore.decide(" Haswell ", BlasCore.Cpu.parse(ZEN5));
        assertEquals("Haswell", c.requested());
        assertTrue(c.source().contains("OPENBLAS_CORETYPE=Haswell"), c.source());
        assertEquals(BlasCore.Origin.USER, c.origin());
        assertEquals(BlasCore.Origin.RECURRENT4J, BlasCore.decide(null, BlasCore.Cpu.parse(ZEN5)).origin());
        assertEquals(BlasCore.Origin.OPENBLAS, BlasCore.decide(null, BlasCore.Cpu.parse(HASWELL)).origin());
    }

    @Test
    void warnsWithTheFixWhereOpenBlasRunsKernelsOlderThanTheCpu() {
        Map<String, String> slow = BlasCore.describe("Barcelona", null, BlasCore.Cpu.parse(ZEN5));
        assertTrue(slow.get("blas kernels").startsWith("Barcelona"), slow.toString());
        assertTrue(slow.get("blas warning").contains("OPENBLAS_CORETYPE=SkylakeX"), slow.toString());
        Map<String, String> avx2 = BlasCore.describe("Prescott", null, BlasCore.Cpu.parse(HASWELL));
        assertTrue(avx2.get("blas warning").contains("OPENBLAS_CORETYPE=Haswell"), avx2.toString());
        assertNull(BlasCore.describe("SkylakeX", null, BlasCore.Cpu.parse(ZEN5)).get("blas warning"));
        assertNull(BlasCore.describe("Haswell", null, BlasCore.Cpu.parse(HASWELL)).get("blas warning"));
    }

    @Test
    void warnsWhereAvx2KernelsRunOnAnAvx512Cpu() {
        BlasCore.Cpu zen5 = BlasCore.Cpu.parse(ZEN5);
        Map<String, String> asked = BlasCore.describe("Haswell", BlasCore.decide("Haswell", zen5), zen5);
        String w = asked.get("blas warning");
        assertTrue(w.contains("OPENBLAS_CORETYPE=Haswell in the environment"), w);
        assertTrue(w.contains("Unset OPENBLAS_CORETYPE"), w);
        Map<String, String> detected = BlasCore.describe("Zen", BlasCore.decide(null, null), zen5);
        assertTrue(detected.get("blas warning").contains("Set OPENBLAS_CORETYPE=SkylakeX"), detected.toString());
        assertFalse(detected.get("blas warning").contains("Unset"), detected.toString());
        assertNull(BlasCore.describe("Haswell", BlasCore.decide("Haswell", null), BlasCore.Cpu.parse(HASWELL))
                .get("blas warning"));
    }

    @Test
    void setsVariablesNativeCodeReads() {
        String name = "RECURRENT4J_TEST_" + System.nanoTime();
        assertNull(NativeEnvironment.get(name));
        assertTrue(NativeEnvironment.set(name, "one"));
        assertEquals("one", NativeEnvironment.get(name));
        assertTrue(NativeEnvironment.set(name, "two"));
        assertEquals("two", NativeEnvironment.get(name));
        // the rest of the environment is kept
        String path = System.getenv("PATH");
        if (path != null) {
            assertEquals(path, NativeEnvironment.get("PATH"));
        }
    }
}
