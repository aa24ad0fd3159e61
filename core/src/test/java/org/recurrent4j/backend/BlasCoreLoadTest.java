package org.recurrent4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The choice reaches OpenBLAS: a fresh JVM, with and without the user's OPENBLAS_CORETYPE. */
class BlasCoreLoadTest {

    private static Map<String, String> probe(String coreType) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BlasCoreProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(BlasCore.ENV);
        if (coreType != null) {
            pb.environment().put(BlasCore.ENV, coreType);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, p.exitValue(), out);
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("requested=") || line.startsWith("active=")) {
                m.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return m;
    }

    @Test
    void openBlasRunsTheKernelsChosenBeforeItLoaded() throws Exception {
        Map<String, String> m = probe(null);
        String want = BlasCore.preferred(BlasCore.Cpu.current());
        assertEquals(String.valueOf(want), m.get("requested"), m.toString());
        if (want != null) {
            assertEquals(want, m.get("active"), m.toString());
        }
    }

    @Test
    void theUsersOpenBlasCoreTypeWins() throws Exception {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "x86 core names; this is " + arch);
        BlasCore.Cpu cpu = BlasCore.Cpu.current();
        String mine = cpu != null && cpu.avx2() ? "Haswell" : "Prescott";
        Map<String, String> m = probe(mine);
        assertEquals(mine, m.get("requested"), m.toString());
        assertEquals(mine, m.get("active"), m.toString());
    }
}
