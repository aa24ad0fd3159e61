package org.recurrent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages depend one way (DESIGN.md): a package may use only packages of a lower rank, so that, for one,
 * {@code conf} makes {@code layers} and {@code layers} never reads {@code conf}. Reads the main sources' imports and
 * fully qualified names (comments left out).
 */
class LayeringTest {

    private static final Map<String, Integer> RANK = Map.of(
            "compute", 0, "io", 0, "backend", 0,
            "cells", 1,
            "engine", 2,
            "layers", 3,
            "conf", 4,
            "interop", 5, "tagging", 5);

    private static final Pattern USE = Pattern.compile("\\borg\\.recurrent4j\\.([a-z]+)\\.[A-Z]");

    @Test
    void everyPackageUsesOnlyLowerOnes() throws IOException {
        Path root = Path.of("src/main/java/org/recurrent4j");
        assertTrue(Files.isDirectory(root), "run from the core module: " + root.toAbsolutePath());
        List<String> wrong = new ArrayList<>();
        int files = 0;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : (Iterable<Path>) all.filter(p -> p.toString().endsWith(".java"))::iterator) {
                files++;
                String pkg = root.relativize(f).getName(0).toString();
                Integer rank = RANK.get(pkg);
                if (rank == null) {
                    wrong.add(f + ": package '" + pkg + "' has no rank in this test; give it one");
                    continue;
                }
                String code = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
                Matcher m = USE.matcher(code);
                while (m.find()) {
                    String used = m.group(1);
                    Integer usedRank = RANK.get(used);
                    if (!used.equals(pkg) && (usedRank == null || usedRank >= rank)) {
                        wrong.add(f + " (" + pkg + ") uses " + used);
                    }
                }
            }
        }
        assertTrue(files > 50, "read only " + files + " files under " + root);
        assertEquals(List.of(), wrong);
    }
}
