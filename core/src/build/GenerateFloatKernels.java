import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the float twins of the CPU kernels (StepKernelF, LstmKernelF, ElmanKernelF, GruKernelF) from their double
 * sources, so that the gate arithmetic has one source and runs in float arithmetic for float networks: no conversion
 * between ND4J's float buffers and double work arrays, and twice the SIMD lanes. The build runs it before compiling
 * ({@code core/pom.xml}, phase generate-sources); it is a single-file program for {@code java} 11+:
 *
 * <pre>java core/src/build/GenerateFloatKernels.java SOURCE_DIR OUTPUT_DIR</pre>
 *
 * <p>The rules, applied to each source in order:
 * <ol>
 *   <li>lines from {@code // double-only:begin} to {@code // double-only:end} go (the double kernel's hand-over to
 *       its float twin);</li>
 *   <li>the kernel classes and {@code GateMath} get an {@code F} (but {@code ElmanKernel.Activation} stays);</li>
 *   <li>{@code double} becomes {@code float}, and a decimal literal gets an {@code f};</li>
 *   <li>the scratch and memory helpers that return double arrays become their float forms.</li>
 * </ol>
 * A source that would keep a {@code double} after this fails the build, so a rule cannot be silently missed.
 */
public final class GenerateFloatKernels {

    static final List<String> SOURCES = List.of("StepKernel", "LstmKernel", "ElmanKernel", "GruKernel");

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java GenerateFloatKernels.java SOURCE_DIR OUTPUT_DIR");
            System.exit(2);
        }
        Path src = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        for (String name : SOURCES) {
            Path from = src.resolve(name + ".java");
            String text = Files.readString(from, StandardCharsets.UTF_8);
            String generated = generate(name, text);
            Path to = out.resolve(name + "F.java");
            Path tmp = out.resolve(name + "F.java.tmp");
            Files.writeString(tmp, generated, StandardCharsets.UTF_8);
            Files.move(tmp, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static String generate(String name, String text) {
        String s = Pattern.compile("(?m)^[ \\t]*// double-only:begin\\R(?s:.*?)^[ \\t]*// double-only:end\\R")
                .matcher(text).replaceAll("");
        if (s.contains("double-only")) {
            throw new IllegalStateException(name + ".java: a double-only marker without its pair");
        }
        for (String cls : List.of("StepKernel", "LstmKernel", "GruKernel", "GateMath")) {
            s = s.replaceAll("\\b" + cls + "\\b", cls + "F");
        }
        s = s.replaceAll("\\bElmanKernel\\b(?!\\.Activation)", "ElmanKernelF");
        s = s.replaceAll("\\bpublic final class\\b", "final class");
        s = s.replaceAll("\\bdouble\\b", "float");
        s = s.replaceAll("(?<![\\w.])(\\d+\\.\\d+)(?![\\w.])", "$1f");
        s = s.replace("scratch.array(", "scratch.floatArray(")
                .replace("scratch.zeroedArray(", "scratch.zeroedFloatArray(")
                .replace("Mem.values(", "Mem.floatValues(");
        Matcher left = Pattern.compile("\\bdouble\\b|\\bDouble\\b").matcher(s);
        if (left.find()) {
            throw new IllegalStateException(name + ".java: '" + left.group() + "' left in the float twin");
        }
        int pkg = s.indexOf("\n", s.indexOf("package ")) + 1;
        return s.substring(0, pkg) + "\n// Generated from " + name + ".java by core/src/build/GenerateFloatKernels.java:"
                + " edit that source, not this file.\n" + s.substring(pkg);
    }
}
