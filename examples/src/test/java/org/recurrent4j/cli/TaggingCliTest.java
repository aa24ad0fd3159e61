package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, evaluate, tag, data and demo as a user runs them, bad input included. */
class TaggingCliTest {

    @TempDir
    static Path dir;
    static Path model;

    static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    @BeforeAll
    static void trainOnce() {
        CliTest.Run r = run("data", "apple", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        model = dir.resolve("m.zip");
        r = run("train", "--train", dir.resolve("train.conll").toString(), "--dev", dir.resolve("dev.conll").toString(),
                "--test", dir.resolve("test.conll").toString(), "--model", model.toString(), "--bidirectional",
                "--epochs", "3", "--hidden", "32", "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch 1: loss"), r.out());
        assertTrue(r.out().contains("dev F1"), r.out());
        assertTrue(r.out().contains("FRUIT") && r.out().contains("ORG"), r.out());
    }

    @Test
    void dataAppleWritesThreeSplitsWithEnoughSentences() throws Exception {
        long sentences = 0;
        for (String s : new String[]{"train", "dev", "test"}) {
            Path p = dir.resolve(s + ".conll");
            assertTrue(Files.exists(p));
            sentences += Files.readAllLines(p).stream().filter(String::isBlank).count() - 1;
        }
        assertTrue(sentences >= 1500, "sentences: " + sentences);
    }

    @Test
    void evaluatePrintsJsonWithTheDocumentedFields() {
        CliTest.Run r = run("evaluate", "--model", model.toString(), "--data", dir.resolve("dev.conll").toString(),
                "--json", "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)\\{\"token_accuracy\":[0-9.]+,\"precision\":[0-9.]+,\"recall\":[0-9.]+,"
                + "\"f1\":[0-9.]+,\"per_type\":\\{\"FRUIT\":\\{.*\"ORG\":\\{.*\\}\\}\\s*"), r.out());
    }

    @Test
    void tagReadsLinesAndPrintsTokenTabTag() {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream("I like eating apple!\nApple shares fell.\n".getBytes()));
            CliTest.Run r = run("tag", "--model", model.toString(), "--backend", "cpu");
            assertEquals(0, r.code(), r.err());
            String[] sentences = r.out().split("\\R\\R");
            assertEquals(2, sentences.length, r.out());
            assertTrue(sentences[0].startsWith("I\tO"), r.out());
            assertTrue(sentences[0].contains("apple\tB-FRUIT"), r.out());
            assertTrue(sentences[0].trim().endsWith("!\tO"), r.out());
            assertTrue(sentences[1].contains("Apple\tB-ORG"), r.out());
            // the same tags written in the other schemes: a one-token chunk is S- in BIOES, I- in IOB1
            for (String[] scheme : new String[][]{{"BIOES", "apple\tS-FRUIT", "Apple\tS-ORG"},
                {"IOB1", "apple\tI-FRUIT", "Apple\tI-ORG"}}) {
                System.setIn(new ByteArrayInputStream("I like eating apple!\nApple shares fell.\n".getBytes()));
                CliTest.Run s = run("tag", "--model", model.toString(), "--backend", "cpu", "--output-scheme",
                        scheme[0]);
                assertEquals(0, s.code(), s.err());
                assertTrue(s.out().contains(scheme[1]) && s.out().contains(scheme[2]), s.out());
            }
            CliTest.Run bad = run("tag", "--model", model.toString(), "--output-scheme", "BILOU");
            assertTrue(bad.code() != 0 && bad.err().contains("--output-scheme"), bad.err());
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void aMalformedLineNamesFileAndLineAndLeavesNoModel() throws Exception {
        Path bad = dir.resolve("bad.conll");
        Files.writeString(bad, "Apple\tB-ORG\nshares\n");
        Path out = dir.resolve("never.zip");
        CliTest.Run r = run("train", "--train", bad.toString(), "--dev", bad.toString(), "--model", out.toString(),
                "--backend", "cpu");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(bad + ":2:"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void goldTagsTheModelNeverSawCountAsMissedEntitiesAsConllevalCountsThem() throws Exception {
        Path data = dir.resolve("misc.conll");
        Files.writeString(data, "Paris\tB-LOC\nis\tO\nnice\tO\n");
        CliTest.Run r = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json",
                "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"recall\":0.0"), r.out());
        assertTrue(r.out().matches("(?s).*\"LOC\":\\{[^}]*\"predicted\":0,\"gold\":1.*"), r.out());

        Path bioes = dir.resolve("bioes.conll");   // no --scheme: IOB1, IOB2 and BIOES files are all read
        Files.writeString(bioes, "EU\tS-ORG\nsays\tO\nPeter\tB-PER\nBlackburn\tE-PER\n");
        r = run("evaluate", "--model", model.toString(), "--data", bioes.toString(), "--json", "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\"PER\":\\{[^}]*\"gold\":1.*"), r.out());
    }

    @Test
    void anUnknownSchemeAndAMissingOrCorruptModelAreClearErrors() throws Exception {
        CliTest.Run r = run("evaluate", "--model", model.toString(), "--data", dir.resolve("dev.conll").toString(),
                "--scheme", "BILOU", "--backend", "cpu");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("unknown tag scheme 'BILOU'"), r.err());

        r = run("tag", "--model", dir.resolve("missing.zip").toString(), "--backend", "cpu");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("missing.zip"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        Path corrupt = dir.resolve("corrupt.zip");
        Files.writeString(corrupt, "not a model");
        r = run("evaluate", "--model", corrupt.toString(), "--data", dir.resolve("dev.conll").toString(),
                "--backend", "cpu");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("corrupt.zip"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void demoTagsTheArticlesTwoSentencesRight() {
        Path demoModel = dir.resolve("apple-ner.zip");
        // without the GloVe download, so that the tests need no network
        CliTest.Run r = run("demo", "--model", demoModel.toString(), "--embeddings", "none", "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("I like eating apple!  ->  I like eating apple/FRUIT !"), r.out());
        assertTrue(r.out().contains("The Apple is a great company!  ->  The Apple/ORG is a great company !"), r.out());
        assertTrue(r.out().contains("FRUIT") && r.out().contains("all "), r.out());
        assertTrue(Files.exists(demoModel));
    }

    @Test
    void tagReadsStrictUtf8AndKeepsOneBlockPerInputLine() throws Exception {
        Path in = dir.resolve("lines.txt");
        Files.write(in, "\uFEFFApple shares fell\n\nI ate an apple\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CliTest.Run r = run("tag", "--model", model.toString(), "--pretokenized", in.toString(), "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Apple\t"), "the byte-order mark is not a token: " + r.out());
        List<List<String>> blocks = blocks(r.out());
        assertEquals(List.of(List.of("Apple", "shares", "fell"), List.of(), List.of("I", "ate", "an", "apple")),
                blocks, "one block per input line, an empty one for the empty line: " + r.out());

        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "I ate an apple\nCaf\u00e9 apple\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        r = run("tag", "--model", model.toString(), latin1.toString(), "--backend", "cpu");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(latin1 + " line 2") && r.err().contains("iconv"), r.err());
        assertEquals("", r.out());
    }

    /** The tokens of each block of token-TAB-tag lines, a blank line ending each block. */
    static List<List<String>> blocks(String out) {
        List<List<String>> blocks = new java.util.ArrayList<>();
        List<String> current = new java.util.ArrayList<>();
        for (String line : out.lines().toList()) {
            if (line.isEmpty()) {
                blocks.add(current);
                current = new java.util.ArrayList<>();
            } else {
                current.add(line.split("\t")[0]);
            }
        }
        return blocks;
    }

    @Test
    void aModelPathThatIsADirectoryIsRefusedBeforeTraining() {
        CliTest.Run r = run("train", "--train", dir.resolve("train.conll").toString(), "--dev",
                dir.resolve("dev.conll").toString(), "--model", dir.toString(), "--backend", "cpu");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("is a directory"), r.err());
        assertFalse(r.out().contains("epoch 1"), r.out());
    }
}
