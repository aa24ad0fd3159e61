package org.recurrent4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.tagging.Features;
import org.recurrent4j.tagging.Tagger;
import org.recurrent4j.tagging.TaggerTrainer;

/**
 * {@code train-spark} as a user runs it: a model that loads, from a directory of CoNLL files on {@code local[2]};
 * bad input (a malformed line in a training file, read on an executor; a missing path; a bad configuration; an
 * unknown training master; an output directory that does not exist) exits with 1 and a message naming the file, line
 * or option, and writes no model.
 */
class TrainSparkTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        SparkTestContext.get();   // the tests' context, which TrainSpark's getOrCreate finds
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int status = TrainSpark.run(args);
            return new Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static Path config(Path dir) throws Exception {
        return Files.writeString(dir.resolve("tagger.json"), """
                {"hidden": 16, "wordDim": 16, "charFilters": 8, "charDim": 8, "batch": 16, "seed": 5}
                """);
    }

    private static List<String> args(Path train, Path dev, Path out, Path config, String... more) {
        List<String> a = new ArrayList<>(List.of("--spark-master", "local[2]", "--train", train.toString(), "--out",
                out.toString(), "--config", config.toString(), "--epochs", "1"));
        if (dev != null) {
            a.addAll(List.of("--dev", dev.toString()));
        }
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void aDirectoryOfConllFilesTrainsAModelThatLoads(@TempDir Path dir) throws Exception {
        // the training data as two files of a directory, each read whole on an executor
        List<String> lines = Files.readAllLines(SparkTaggerTest.APPLE.resolve("train.conll"));
        int cut = lines.subList(0, lines.size() / 2).lastIndexOf("");
        Path data = Files.createDirectories(dir.resolve("train"));
        Files.write(data.resolve("a.conll"), lines.subList(0, cut + 1));
        Files.write(data.resolve("b.conll"), lines.subList(cut + 1, lines.size()));
        Path model = dir.resolve("model.zip");
        Run r = run(args(data, SparkTaggerTest.APPLE.resolve("dev.conll"), model, config(dir)).toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("epoch 1: loss") && r.out().contains("wrote " + model), r.out());
        Tagger t = Tagger.load(model);
        assertEquals(16, t.config().hidden);
        assertEquals(1, t.config().epochs);
        // the words and tags of both files: those of a fit over the whole file (words of equal count may come in
        // another order: repartitioning leaves the sentences in no particular one)
        Features whole = Features.fit(TaggerTrainer.inTrainingScheme(SparkTaggerTest.read("train.conll"), t.config()),
                t.config());
        assertEquals(whole.tags(), t.features().tags());
        assertEquals(new java.util.TreeSet<>(whole.words().entries()), new java.util.TreeSet<>(t.features().words()
                .entries()));
    }

    @Test
    void badInputExitsWithOneNamingItAndWritesNoModel(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model.zip");
        Path cfg = config(dir);
        Path good = SparkTaggerTest.APPLE.resolve("dev.conll");

        Path malformed = dir.resolve("bad.conll");
        Files.writeString(malformed, "Apple\tB-ORG\nis\tO\n\nthree\tcolumns\there\n");
        Run r = run(args(malformed, null, model, cfg).toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("bad.conll:4:"), r.err());   // file:line, read on an executor

        r = run(args(dir.resolve("missing"), null, model, cfg).toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("missing"), r.err());

        Path badConfig = Files.writeString(dir.resolve("bad.json"), "{\"hiden\": 16}");
        r = run(args(good, null, model, badConfig).toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("bad.json") && r.err().contains("hiden"), r.err());

        r = run(args(good, null, model, cfg, "--training-master", "gossip").toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("--training-master"), r.err());

        r = run(args(good, null, dir.resolve("no/such/dir/model.zip"), cfg).toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("--out"), r.err());

        // the training data itself, or a file inside its directory, as --out: refused, the data intact
        Path data = Files.copy(good, dir.resolve("train.conll"));
        byte[] before = Files.readAllBytes(data);
        r = run(args(data, null, data, cfg).toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("also the input"), r.err());
        Path trainDir = Files.createDirectories(dir.resolve("corpus"));
        Files.copy(good, trainDir.resolve("a.conll"));
        r = run(args(trainDir, null, trainDir.resolve("m.zip"), cfg).toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("inside the --train directory"), r.err());
        assertFalse(Files.exists(trainDir.resolve("m.zip")));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(data)), "the training data is intact");

        // gradient sharing reports no loss: without dev sentences nothing chooses the epoch
        r = run(args(good, null, model, cfg, "--training-master", "sharing").toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("--dev"), r.err());

        r = run(args(good, dir.resolve("nope.conll"), model, cfg).toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("nope.conll") && r.err().contains("--dev: no such file"), r.err());

        r = run(args(good, null, model, cfg, "--partitions", "0").toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("--partitions"), r.err());

        assertFalse(Files.exists(model), "no model is written on bad input");
        assertTrue(r.err().lines().noneMatch(l -> l.strip().startsWith("at ")), "no stack trace: " + r.err());
    }
}
