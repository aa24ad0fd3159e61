package org.recurrent4j.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Which of OpenBLAS's kernel sets (its "core type") runs ND4J's and recurrent4j's matrix products on the CPU.
 *
 * <p>ND4J 1.0.0-M2.1 ships OpenBLAS 0.3.19, which picks its kernels from the CPU's model when it loads. It does not
 * know CPUs newer than itself: on an AMD Zen 5 (family 26) it takes its SSE2 "Barcelona" kernels, and even the AVX2
 * "Haswell" ones that a hand-set {@code OPENBLAS_CORETYPE} gives run at about half the speed of its AVX-512
 * "SkylakeX" kernels there. Measured with one thread, float, on a 2-core Zen 5: a 1600x100x512 product took
 * 3.8-5.7 ms with Barcelona, 1.6 ms with Haswell and 0.8 ms with SkylakeX; a step's 32x128x512 product 120-170, 68
 * and 40 us.
 *
 * <p>So before OpenBLAS loads, {@link #chooseBeforeLoad} asks for SkylakeX on CPUs with AVX-512, which is what newer
 * OpenBLAS releases choose for AVX-512 CPUs they do not know. {@code OPENBLAS_CORETYPE} set by the user wins. The
 * command line calls it first thing; a program embedding recurrent4j calls it at the top of {@code main}, before any
 * ND4J class is used, or sets {@code OPENBLAS_CORETYPE} itself.
 */
public final class BlasCore {

    /** The variable OpenBLAS reads at load time. */
    public static final String ENV = "OPENBLAS_CORETYPE";

    /** OpenBLAS's kernel tables by the name its {@code OPENBLAS_CORETYPE} takes, newest first. */
    private static final String[] CORES = {"SapphireRapids", "Cooperlake", "SkylakeX", "Zen", "Haswell", "Excavator",
            "Steamroller", "Piledriver", "Bulldozer", "Sandybridge", "Bobcat", "Barcelona", "Nehalem", "Dunnington",
            "Penryn", "Core2", "Atom", "Nano", "Opteron_SSE3", "Opteron", "Athlon", "Banias", "Prescott", "Northwood",
            "Coppermine", "Katmai"};

    /** Kernel sets that use neither AVX2 nor AVX-512. */
    private static final Set<String> PRE_AVX2 = Set.of("Barcelona", "Nehalem", "Dunnington", "Penryn", "Core2", "Atom",
            "Nano", "Opteron_SSE3", "Opteron", "Athlon", "Banias", "Prescott", "Northwood", "Coppermine", "Katmai",
            "Bobcat", "Sandybridge", "Bulldozer", "Piledriver", "Steamroller");

    /** Kernel sets that use AVX2 but not AVX-512. */
    private static final Set<String> AVX2_ONLY = Set.of("Haswell", "Zen", "Excavator");

    private static volatile Choice choice;

    private BlasCore() {
    }

    /** What the CPU offers, as Linux lists it in {@code /proc/cpuinfo}. */
    public record Cpu(String vendor, int family, Set<String> flags) {

        /** The first processor of a {@code /proc/cpuinfo} text. */
        public static Cpu parse(String cpuinfo) {
            String vendor = "";
            int family = -1;
            Set<String> flags = new TreeSet<>();
            for (String line : cpuinfo.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    if (line.isBlank() && !flags.isEmpty()) {
                        break;   // end of the first processor
                    }
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                switch (key) {
                    case "vendor_id" -> vendor = value;
                    case "cpu family" -> family = parseInt(value);
                    case "flags" -> flags.addAll(Arrays.asList(value.toLowerCase(Locale.ROOT).split("\\s+")));
                    default -> {
                    }
                }
            }
            return new Cpu(vendor, family, flags);
        }

        /** This machine's CPU; null where {@code /proc/cpuinfo} cannot be read (not Linux). */
        public static Cpu current() {
            try {
                return parse(Files.readString(Path.of("/proc/cpuinfo")));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** The AVX-512 subsets OpenBLAS's SkylakeX kernels use, enabled by the operating system. */
        public boolean avx512() {
            return flags.containsAll(Set.of("avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"));
        }

        public boolean avx2() {
            return flags.contains("avx2") && flags.contains("fma");
        }

        private static int parseInt(String s) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /** Who decided the kernel set. */
    public enum Origin {
        /** {@code OPENBLAS_CORETYPE} was set in the environment before Java started. */
        USER,
        /** recurrent4j set it for this CPU ({@link #preferred}). */
        RECURRENT4J,
        /** Nobody: OpenBLAS detects the CPU itself. */
        OPENBLAS
    }

    /**
     * The kernel set and where it came from.
     *
     * @param requested the core type asked for, null where OpenBLAS detects its own
     * @param origin    who asked for it
     * @param source    why, in words for reports: the user's variable, recurrent4j's choice, or OpenBLAS's detection
     */
    public record Choice(String requested, Origin origin, String source) {
    }

    /** The kernel set recurrent4j asks for on {@code cpu}: SkylakeX where it has AVX-512, else none. */
    public static String preferred(Cpu cpu) {
        return cpu != null && cpu.avx512() ? "SkylakeX" : null;
    }

    /**
     * Decides the kernel set from the user's {@code OPENBLAS_CORETYPE} (given as {@code userSetting}) and the CPU.
     * Pure: {@link #chooseBeforeLoad} applies it.
     */
    public static Choice decide(String userSetting, Cpu cpu) {
        if (userSetting != null && !userSetting.isBlank()) {
            return new Choice(userSetting.trim(), Origin.USER, ENV + "=" + userSetting.trim() + " in the environment");
        }
        String want = preferred(cpu);
        if (want == null) {
            return new Choice(null, Origin.OPENBLAS, "OpenBLAS's own detection" + (cpu == null ? "" : " (no AVX-512 on this CPU)"));
        }
        return new Choice(want, Origin.RECURRENT4J, "chosen by recurrent4j for this AVX-512 CPU (" + ENV + " overrides)");
    }

    /**
     * Sets {@code OPENBLAS_CORETYPE} in the process's native environment where the user has not, before OpenBLAS
     * loads. Does nothing once OpenBLAS is loaded: its kernels are fixed then. Returns what was decided; calling it again
     * returns the first decision.
     */
    public static synchronized Choice chooseBeforeLoad() {
        if (choice != null) {
            return choice;
        }
        String user = NativeEnvironment.get(ENV);
        Choice c = decide(user, Cpu.current());
        if (c.requested() != null && user == null) {
            if (loaded()) {
                c = new Choice(null, Origin.OPENBLAS, "OpenBLAS's own detection (it was loaded before recurrent4j could choose)");
            } else if (!NativeEnvironment.set(ENV, c.requested())) {
                c = new Choice(null, Origin.OPENBLAS,
                        "OpenBLAS's own detection (this platform's environment cannot be set from Java)");
            }
        }
        choice = c;
        return c;
    }

    /** The decision {@link #chooseBeforeLoad} made in this process; null where it was not called. */
    public static Choice choice() {
        return choice;
    }

    /**
     * The kernel set OpenBLAS runs, read from its tables ({@code gotoblas} points at one of {@code gotoblas_<CORE>});
     * null where OpenBLAS is not loaded or does not export them.
     */
    public static String active() {
        try {
            Pointer table = Loader.addressof("gotoblas");
            if (table == null) {
                return null;
            }
            Pointer current = new PointerPointer<>(table).get(0);
            if (current == null) {
                return null;
            }
            for (String core : CORES) {
                Pointer p = Loader.addressof("gotoblas_" + core.toUpperCase(Locale.ROOT));
                if (p != null && p.address() == current.address()) {
                    return core;
                }
            }
            return null;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /**
     * A line for reports: the kernels OpenBLAS runs and why, and a warning with the fix where they are older than the
     * CPU ({@code active} null: OpenBLAS not loaded).
     */
    public static Map<String, String> describe(String active, Choice choice, Cpu cpu) {
        Map<String, String> m = new LinkedHashMap<>();
        String why = choice == null ? "OpenBLAS's own detection" : choice.source();
        m.put("blas kernels", (active == null ? "unknown" : active) + " (" + why + ")");
        if (active != null && PRE_AVX2.contains(active) && cpu != null && cpu.avx2()) {
            String fix = cpu.avx512() ? "SkylakeX" : "Haswell";
            m.put("blas warning", "OpenBLAS runs its " + active + " kernels on a CPU with "
                    + (cpu.avx512() ? "AVX-512" : "AVX2") + ": matrix products are 2-7x slower than they could be. "
                    + "Set " + ENV + "=" + fix + " before starting Java.");
        } else if (active != null && AVX2_ONLY.contains(active) && cpu != null && cpu.avx512()) {
            boolean users = choice != null && choice.origin() == Origin.USER;
            m.put("blas warning", "OpenBLAS runs its " + active + " (AVX2) kernels on a CPU with AVX-512"
                    + (users ? ", as " + ENV + "=" + choice.requested() + " in the environment asks" : "")
                    + ": matrix products take about twice as long as with its SkylakeX kernels (a 32x512x512 "
                    + "product 480 against 208 us on a Zen 5). " + (users ? "Unset " + ENV + " (recurrent4j then "
                    + "chooses SkylakeX) or set " + ENV + "=SkylakeX" : "Set " + ENV + "=SkylakeX")
                    + " before starting Java.");
        }
        return m;
    }

    /** Whether OpenBLAS is in the process already. */
    private static boolean loaded() {
        try {
            return Loader.addressof("gotoblas") != null;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
