package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's project, as a user makes one: a separate Maven project whose only dependency is {@code recurrent4j-cpu}
 * from the local repository, holding every Java example of the README verbatim, compiled and run (in the project's
 * directory, with the Keras example's {@code model.keras} there). The build's own jars (packaged before this module's
 * tests run) are installed into the local repository first.
 */
class ReadmeUserProjectTest {

    static final String VERSION = "0.1.0-SNAPSHOT";

    @TempDir
    Path project;

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("README.md")) ? here : here.getParent();
    }

    /** Runs a command; its output goes to a file, which the failure message quotes. */
    static String run(Path dir, long minutes, String... command) throws Exception {
        Path log = Files.createTempFile("recurrent4j-user", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        Files.delete(log);
        assertTrue(done, String.join(" ", command) + " did not finish in " + minutes + " minutes:\n" + out);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    static String mvn() {
        return System.getProperty("os.name").toLowerCase().contains("win") ? "mvn.cmd" : "mvn";
    }

    /** The README's ```java blocks. */
    static List<String> javaExamples(Path readme) throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(readme));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void everyJavaExampleOfTheReadmeCompilesAndRunsInAProjectThatDependsOnlyOnRecurrent4jCpu() throws Exception {
        Path root = root();
        Path coreJar = root.resolve("core/target/recurrent4j-core-" + VERSION + ".jar");
        Path cpuJar = root.resolve("cpu-backend/target/recurrent4j-cpu-" + VERSION + ".jar");
        assertTrue(Files.exists(coreJar) && Files.exists(cpuJar), "run this test through 'mvn verify' from the "
                + "repository root, which packages " + coreJar + " and " + cpuJar + " first");
        String mvn = mvn();
        run(root, 5, mvn, "-q", "-B", "install:install-file", "-Dfile=pom.xml", "-DpomFile=pom.xml");
        run(root, 5, mvn, "-q", "-B", "install:install-file", "-Dfile=" + coreJar, "-DpomFile=core/pom.xml");
        run(root, 5, mvn, "-q", "-B", "install:install-file", "-Dfile=" + cpuJar, "-DpomFile=cpu-backend/pom.xml");

        List<String> examples = javaExamples(root.resolve("README.md"));
        assertTrue(examples.size() >= 3, "README Java examples: " + examples.size());
        List<String> classes = new ArrayList<>();
        Path src = Files.createDirectories(project.resolve("src/main/java"));
        for (String code : examples) {
            Matcher m = Pattern.compile("public class (\\w+)").matcher(code);
            assertTrue(m.find() && code.contains("public static void main"),
                    "every README Java example is a complete program with its imports:\n" + code);
            classes.add(m.group(1));
            Files.writeString(src.resolve(m.group(1) + ".java"), code, StandardCharsets.UTF_8);
        }
        // the Keras example's model.keras, in the project's directory where the program runs
        Files.copy(root.resolve("core/src/test/resources/keras/k3_embedding_mask_gru.keras"),
                project.resolve("model.keras"));
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId><artifactId>readme-user</artifactId><version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>org.recurrent4j</groupId><artifactId>recurrent4j-cpu</artifactId>
                      <version>%s</version>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId>
                        <version>3.13.0</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(VERSION));
        run(project, 10, mvn, "-q", "-B", "compile", "dependency:build-classpath",
                "-Dmdep.outputFile=cp.txt", "-Dmdep.includeScope=runtime");
        String cp = project.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(project.resolve("cp.txt")).trim();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String c : classes) {
            String out = run(project, 5, java, "-cp", cp, c);
            assertTrue(!out.isBlank() && !out.contains("Exception"), c + " printed:\n" + out);
        }
    }
}
