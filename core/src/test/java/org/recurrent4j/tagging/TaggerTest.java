package org.recurrent4j.tagging;

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
    void pretrainedVectorsStartTheWordEmbeddings() throws Exception {
        Path vectors = dir.resolve("vectors.txt");
        Files.writeString(vectors, "3 5\napple 0.1 0.2 0.3 0.4 0.5\nshares -1 -2 -3 -4 -5\nunused 9 9 9 9 9\n");
        PretrainedEmbeddings pe = PretrainedEmbeddings.load(vectors);
        assertEquals(5, pe.dimension());
        TaggerConfig c = small(1);
        c.wordDim = 5;
        Features f = Features.fit(data(), c);
        org.deeplearning4j.nn.graph.ComputationGraph net = TaggerNetwork.build(c, f);
        assertEquals(2, pe.apply(net, TaggerNetwork.WORD_EMBEDDING, f.words()));
        org.nd4j.linalg.api.ndarray.INDArray w = net.getLayer(TaggerNetwork.WORD_EMBEDDING).getParam("W");
        assertTrue(w.getRow(f.words().indexOf("apple")).equalsWithEps(
                org.nd4j.linalg.factory.Nd4j.createFromArray(0.1f, 0.2f, 0.3f, 0.4f, 0.5f), 1e-6));
        assertTrue(w.getRow(f.words().indexOf("shares")).equalsWithEps(
                org.nd4j.linalg.factory.Nd4j.createFromArray(-1f, -2f, -3f, -4f, -5f), 1e-6));

        c.embeddings = vectors.toString();
        c.wordDim = 50;   // training takes the file's size
        Tagger t = TaggerTrainer.train(data(), data().subList(0, 4), c, new TaggerTrainer.Listener() { });
        assertEquals(5, t.network().getLayer(TaggerNetwork.WORD_EMBEDDING).getParam("W").size(1));
    }

    @Test
    void vectorsInAnotherFormatAreNamed() throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "apple one two\n");
        IOException e = assertThrows(IOException.class, () -> PretrainedEmbeddings.load(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> PretrainedEmbeddings.load(dir.resolve("none.txt")));
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
