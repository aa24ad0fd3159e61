package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaggerTest {

    @TempDir
    Path dir;

    static List<Sentence> data() {
        List<Sentence> s = new ArrayList<>();
        String[][] patterns = {
                {"I ate an apple .", "O O O B-FRUIT O"},
                {"Apple shares rose .", "B-ORG O O O"},
                {"Apple pie is sweet .", "B-FRUIT O O O O"},
                {"She works at Google .", "O O O B-ORG O"},
        };
        for (int i = 0; i < 8; i++) {
            for (String[] p : patterns) {
                s.add(new Sentence(List.of(p[0].split(" ")), List.of(p[1].split(" ")), 0));
            }
        }
        return s;
    }

    static TaggerConfig small(long seed) {
        TaggerConfig c = new TaggerConfig();
        c.hidden = 8;
        c.wordDim = 8;
        c.affixDim = 4;
        c.epochs = 2;
        c.batch = 8;
        c.seed = seed;
        return c;
    }

    @Test
    void theSameSeedGivesTheSameModelAndSaveLoadKeepsIt() throws Exception {
        Tagger a = TaggerTrainer.train(data(), data().subList(0, 4), small(5), new TaggerTrainer.Listener() { });
        Tagger b = TaggerTrainer.train(data(), data().subList(0, 4), small(5), new TaggerTrainer.Listener() { });
        assertEquals(a.network().params(), b.network().params());

        Path f = dir.resolve("m.zip");
        a.save(f);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "only the model, no temporary file");
        }
        Tagger back = Tagger.load(f);
        assertEquals(a.network().params(), back.network().params());
        assertEquals(a.features().tags(), back.features().tags());
        assertEquals(a.predict(data()), back.predict(data()));
        assertEquals(a.config().hidden, back.config().hidden);
    }

    @Test
    void everyWordTheVectorsHaveGetsItsVectorSeenInTrainingOrNot() throws Exception {
        Path vectors = dir.resolve("vectors.txt");
        Files.writeString(vectors, "3 5\napple 0.1 0.2 0.3 0.4 0.5\nshares -1 -2 -3 -4 -5\npear 9 8 7 6 5\n");
        TaggerConfig c = small(1);
        c.embeddings = vectors.toString();
        c.wordDim = 50;   // training takes the file's size
        Tagger t = TaggerTrainer.train(data(), data().subList(0, 4), c, new TaggerTrainer.Listener() { });
        assertEquals(5, t.network().getLayer(TaggerNetwork.WORD_EMBEDDING).getParam("W").size(1));
        Features f = t.features();
        assertFalse(f.words().contains("pear"), "pear is not a training word");
        org.nd4j.linalg.dataset.api.MultiDataSet mds = f.encode(List.of(
                new Sentence(List.of("Pear", "shares", "unknown"), null, 0)), false);
        int vin = f.inputs().indexOf("vectors");
        org.nd4j.linalg.api.ndarray.INDArray v = mds.getFeatures(vin);   // [1, 5, 3]
        assertArrayEquals(new float[]{9, 8, 7, 6, 5}, v.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .toFloatVector(), "an unseen word's vector, looked up lower-cased");
        assertArrayEquals(new float[5], v.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(2))
                .toFloatVector(), "zero where the vectors lack the word");
        assertEquals(1, mds.getFeatures(0).getInt(0, 0, 0), "pear is the unknown word to the trained embeddings");
        // training words the vectors have start at their vector: their correction starts at 0 (and moves little)
        org.nd4j.linalg.api.ndarray.INDArray w = t.network().getLayer(TaggerNetwork.WORD_EMBEDDING).getParam("W");
        assertTrue(w.getRow(f.words().indexOf("shares")).norm2Number().doubleValue() < 0.5);

        Path m = dir.resolve("m.zip");
        t.save(m);
        Tagger back = Tagger.load(m);
        assertArrayEquals(new float[]{9, 8, 7, 6, 5}, back.features().vectors().vector("pear"));
        List<Sentence> unseen = List.of(new Sentence(List.of("I", "ate", "a", "pear", "."), null, 0));
        assertEquals(t.predict(unseen), back.predict(unseen));
    }

    @Test
    void trainingWordsSeenOnceThatTheVectorsHaveShareTheUnknownWordsCorrection() {
        WordVectors v = WordVectors.of(new java.util.LinkedHashMap<>(java.util.Map.of(
                "kiwi", new float[]{1, 2}, "apple", new float[]{3, 4})));
        List<Sentence> train = List.of(
                new Sentence(List.of("apple", "kiwi", "zorblax"), List.of("B-FRUIT", "B-FRUIT", "O"), 0),
                new Sentence(List.of("apple", "pie"), List.of("B-FRUIT", "O"), 0));
        Features f = Features.fit(train, small(1), v);
        assertTrue(f.words().contains("apple"), "seen twice: a correction of its own");
        assertFalse(f.words().contains("kiwi"), "seen once, has a vector: the unknown word's correction");
        assertTrue(f.words().contains("zorblax") && f.words().contains("pie"), "no vector: a row of its own");
        assertTrue(Features.fit(train, small(1)).words().contains("kiwi"), "without vectors every word has a row");
    }

    @Test
    void malformedVectorsAreNamed() throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "apple 1 2\npear one two\n");
        TaggerConfig c = small(1);
        c.embeddings = bad.toString();
        IOException e = assertThrows(IOException.class, () -> TaggerTrainer.train(data(), data(), c,
                new TaggerTrainer.Listener() { }, TaggerTrainer.Control.none()));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("line 2"), e.getMessage());
        c.embeddings = dir.resolve("none.txt").toString();
        assertThrows(NoSuchFileException.class, () -> TaggerTrainer.train(data(), data(), c,
                new TaggerTrainer.Listener() { }, TaggerTrainer.Control.none()));
    }

    @Test
    void aMissingModelIsNamed() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Tagger.load(dir.resolve("no.zip")));
        assertTrue(e.getMessage().contains("no.zip"));
    }

    @Test
    void aCorruptModelIsNamed() throws Exception {
        Path f = dir.resolve("corrupt.zip");
        Files.write(f, new byte[]{'P', 'K', 3, 4, 1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> Tagger.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());

        Path other = dir.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(other))) {
            z.putNextEntry(new ZipEntry("something.txt"));
            z.write(1);
            z.closeEntry();
        }
        e = assertThrows(IOException.class, () -> Tagger.load(other));
        assertTrue(e.getMessage().contains("not a recurrent4j tagger model"), e.getMessage());

        Path dl4j = dir.resolve("dl4j.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(dl4j))) {
            z.putNextEntry(new ZipEntry("configuration.json"));
            z.write('{');
            z.closeEntry();
        }
        e = assertThrows(IOException.class, () -> Tagger.load(dl4j));
        assertTrue(e.getMessage().contains("is a DL4J model") && e.getMessage().contains("ModelSerializer"),
                e.getMessage());
    }

    @Test
    void anotherFormatVersionIsRefused() throws Exception {
        Path f = dir.resolve("v.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry(Tagger.META));
            z.write("{\"format_version\": 99}".getBytes());
            z.closeEntry();
            z.putNextEntry(new ZipEntry(Tagger.NETWORK));
            z.write(1);
            z.closeEntry();
        }
        IOException e = assertThrows(IOException.class, () -> Tagger.load(f));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
    }

    @Test
    void batchesGroupSentencesOfSimilarLength() {
        List<List<Sentence>> b = TaggerTrainer.batches(data(), 8, new java.util.Random(1));
        for (List<Sentence> batch : b) {
            int min = batch.stream().mapToInt(Sentence::length).min().orElseThrow();
            int max = batch.stream().mapToInt(Sentence::length).max().orElseThrow();
            assertTrue(max - min <= 1, "lengths " + min + ".." + max);
        }
        assertFalse(b.isEmpty());
    }
}
