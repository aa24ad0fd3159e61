import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the float twins of the double arithmetic (the cells, {@code CellF}, {@code LstmCellF}, ..., and the engine,
 * {@code CellEngineF}), so that the arithmetic has one source and runs in float for float networks: no conversion
 * between ND4J's float buffers and double work arrays, and twice the SIMD lanes. The build runs it before compiling
 * ({@code core/pom.xml}, phase generate-sources); it is a single-file program for {@code java} 11+:
 *
 * <pre>java core/src/build/GenerateFloatKernels.java SOURCE_ROOT OUTPUT_ROOT</pre>
 *
 * <p>Every source under {@code SOURCE_ROOT} with a line starting {@code // has-float-twin} gets a twin {@code NameF} in
 * the same package under {@code OUTPUT_ROOT}; a new cell needs no change here. The rules, applied to each in order:
 * <ol>
 *   <li>lines from {@code // double-only:begin} to {@code // double-only:end} go (declarations, and the double
 *       class's hand-over to its float twin);</li>
 *   <li>the classes that have twins, and {@code GateMath}, get an {@code F}, except before a nested type
 *       ({@code Cell.Parameter} stays);</li>
 *   <li>{@code double} becomes {@code float}, and a decimal literal gets an {@code f};</li>
 *   <li>the scratch and memory helpers that return double arrays become their float forms.</li>
 * </ol>
 * A twin that would keep a {@code double} after this fails the build, so a rule cannot be silently missed.
 */
public final class GenerateFloatKernels {

    static final String MARKER = "// has-float-twin";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java GenerateFloatKernels.java SOURCE_ROOT OUTPUT_ROOT");
            System.exit(2);
        }
        Path src = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java")).sorted()::iterator) {
                if (Files.readAllLines(p, StandardCharsets.UTF_8).stream().anyMatch(l -> l.startsWith(MARKER))) {
                    sources.add(p);
                }
            }
        }
        if (sources.isEmpty()) {
            throw new IllegalStateException("no source under " + src + " has a line '" + MARKER + "'");
        }
        if (Files.exists(out)) {   // twins of sources since removed or moved would not compile
            try (Stream<Path> old = Files.walk(out)) {
                for (Path p : (Iterable<Path>) old.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        List<String> twins = new ArrayList<>(List.of("GateMath"));
        for (Path p : sources) {
            twins.add(name(p));
        }
        for (Path from : sources) {
            String name = name(from);
            String generated = generate(name, Files.readString(from, StandardCharsets.UTF_8), twins);
            Path dir = out.resolve(src.relativize(from.getParent()));
            Files.createDirectories(dir);
            Path to = dir.resolve(name + "F.java");
            Path tmp = dir.resolve(name + "F.java.tmp");
            Files.writeString(tmp, generated, StandardCharsets.UTF_8);
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String name(Path p) {
        String f = p.getFileName().toString();
        return f.substring(0, f.length() - ".java".length());
    }

    static String generate(String name, String text, List<String> twins) {
        String s = Pattern.compile("(?m)^[ \\t]*// double-only:begin\\R(?s:.*?)^[ \\t]*// double-only:end\\R")
                .matcher(text).replaceAll("");
        if (s.contains("double-only")) {
            throw new IllegalStateException(name + ".java: a double-only marker without its pair");
        }
        s = s.replaceAll("(?m)^" + Pattern.quote(MARKER) + ".*\\R", "");
        for (String cls : twins) {
            s = s.replaceAll("\\b" + cls + "\\b(?!\\.[A-Z])", cls + "F");
        }
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
