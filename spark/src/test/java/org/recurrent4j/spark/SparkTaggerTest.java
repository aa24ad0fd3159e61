package org.recurrent4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.tagging.EntityEvaluation;
import org.recurrent4j.tagging.Features;
import org.recurrent4j.tagging.Sentence;
import org.recurrent4j.tagging.Tagger;
import org.recurrent4j.tagging.TaggerConfig;
import org.recurrent4j.tagging.TaggerTrainer;

/**
 * The tagger trained on Spark ({@code local[2]}, parameter averaging) from an RDD of the bundled apple data's CoNLL
 * sentences: its vocabularies are a single-machine fit's, it learns, and its saved model, reloaded, gives the command
 * line's {@code evaluate} and {@code tag} exactly what the trained tagger gives.
 */
class SparkTaggerTest {

    static final Path APPLE = Path.of("../examples/src/main/resources/org/recurrent4j/data/apple");
    static final Path CLI = Path.of("../examples/target/recurrent4j.jar");

    static List<Sentence> read(String file) throws Exception {
        Path p = APPLE.resolve(file);
        return TrainSpark.read(p.toString(), Files.newInputStream(p), 0, -1, true, "auto");
    }

    static TaggerConfig small() {
        TaggerConfig c = new TaggerConfig();
        c.hidden = 32;
        c.wordDim = 32;
        c.charFilters = 16;
        c.charDim = 16;
        c.epochs = 4;
        c.batch = 16;
        c.patience = 4;
        c.seed = 3;
        return c;
    }

    /** Runs the command-line jar; its standard output, after checking that it exited with 0. */
    static String cli(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", CLI.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(dir.resolve("err.txt").toFile())
                .start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), cmd + ": " + Files.readString(dir.resolve("err.txt")));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainedFromAnRddSavedAndReloadedTheCommandLineGivesItsResults(@TempDir Path dir, TestReporter reporter)
            throws Exception {
        assertTrue(Files.isRegularFile(CLI), CLI.toAbsolutePath() + " is missing: run the tests through 'mvn verify' "
                + "from the project's root, which packages the command line before this module");
        JavaSparkContext sc = SparkTestContext.get();
        List<Sentence> train = read("train.conll");
        List<Sentence> dev = read("dev.conll");
        List<Sentence> test = read("test.conll");
        TaggerConfig c = small();
        Tagger tagger = SparkTaggerTrainer.train(sc.parallelize(train, 2), dev, c,
                SparkTraining.parameterAveraging(c.batch, 2), new TaggerTrainer.Listener() {
                    @Override
                    public void epochDone(TaggerTrainer.EpochReport r) {
                        reporter.publishEntry("epoch " + r.epoch(), "loss " + r.loss() + ", dev F1 " + r.devScore());
                    }
                });

        // the vocabularies counted on the executors are those of a fit over the list
        Features local = Features.fit(TaggerTrainer.inTrainingScheme(train, c), c);
        assertEquals(local.words().entries(), tagger.features().words().entries());
        assertEquals(local.chars().entries(), tagger.features().chars().entries());
        assertEquals(local.tags(), tagger.features().tags());

        EntityEvaluation e = tagger.evaluate(test);
        reporter.publishEntry("test", e.toJson());
        assertTrue(e.micro().f1() > 0.5, "test micro F1 " + e.micro().f1() + " after " + c.epochs + " epochs");

        Path model = dir.resolve("model.zip");
        tagger.save(model);
        Tagger reloaded = Tagger.load(model);
        assertEquals(e.toJson(), reloaded.evaluate(test).toJson(), "reloaded");
        String viaCli = cli(dir, "evaluate", "--model", model.toString(), "--data",
                APPLE.resolve("test.conll").toAbsolutePath().toString(), "--json").strip();
        assertEquals(e.toJson().strip(), viaCli, "evaluate");

        Path text = dir.resolve("sentences.txt");
        List<String> lines = test.stream().map(s -> String.join(" ", s.tokens())).toList();
        Files.write(text, lines, StandardCharsets.UTF_8);
        StringWriter expected = new StringWriter();
        try (PrintWriter w = new PrintWriter(expected)) {
            List<List<String>> tags = tagger.predict(test);
            for (int i = 0; i < test.size(); i++) {
                for (int j = 0; j < test.get(i).length(); j++) {
                    w.println(test.get(i).tokens().get(j) + "\t" + tags.get(i).get(j));
                }
                w.println();
            }
        }
        String tagged = cli(dir, "tag", "--pretokenized", "--model", model.toString(), text.toString());
        assertFalse(tagged.isBlank());
        assertEquals(expected.toString(), tagged, "tag");
    }
}
