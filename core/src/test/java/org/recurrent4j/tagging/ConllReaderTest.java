package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConllReaderTest {

    @TempDir
    Path dir;

    Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsSentencesSkippingDocstartWithTabsOrSpaces() throws Exception {
        Path f = file("a.conll", "-DOCSTART- -X- O O\n\nApple NNP B-NP B-ORG\nshares NNS I-NP O\n\n\n"
                + "I\tPRP\tB-NP\tO\nate   VBD  B-VP  O\napples\tNNS\tB-NP\tB-FRUIT\n");
        List<Sentence> s = new ConllReader().read(f);
        assertEquals(2, s.size());
        assertEquals(List.of("Apple", "shares"), s.get(0).tokens());
        assertEquals(List.of("B-ORG", "O"), s.get(0).tags());
        assertEquals(3, s.get(0).line());
        assertEquals(List.of("O", "O", "B-FRUIT"), s.get(1).tags());
        assertEquals(7, s.get(1).line());
    }

    @Test
    void columnsAreChosenByIndex() throws Exception {
        Path f = file("pos.conll", "Apple NNP B-ORG\nfell VBD O\n");
        List<Sentence> s = new ConllReader(0, 1, null).read(f);
        assertEquals(List.of("NNP", "VBD"), s.get(0).tags());
    }

    @Test
    void aTokenWithoutATagIsAnErrorNamingFileAndLine() throws Exception {
        Path f = file("bad.conll", "Apple B-ORG\nshares O\n\nI O\nate\n");
        ConllFormatException e = assertThrows(ConllFormatException.class, () -> new ConllReader().read(f));
        assertTrue(e.getMessage().startsWith(f + ":5: "), e.getMessage());
        assertTrue(e.getMessage().contains("'ate'"), e.getMessage());
    }

    @Test
    void aTagOutsideTheSchemeIsAnErrorNamingTheLine() throws Exception {
        Path f = file("bioes.conll", "Apple S-ORG\n");
        ConllFormatException e = assertThrows(ConllFormatException.class, () -> new ConllReader().read(f));
        assertTrue(e.getMessage().startsWith(f + ":1: tag 'S-ORG' is not valid in BIO"), e.getMessage());
        assertEquals(List.of("S-ORG"), new ConllReader(0, -1, TagScheme.BIOES).read(f).get(0).tags());
        Path x = file("x.conll", "Apple X-ORG\n");
        e = assertThrows(ConllFormatException.class, () -> new ConllReader(0, -1, TagScheme.BIOES,
                "IOB1, BIO or BIOES (--scheme auto)").read(x));
        assertTrue(e.getMessage().startsWith(x + ":1: tag 'X-ORG' is not valid in IOB1, BIO or BIOES (--scheme auto)"),
                e.getMessage());
    }

    @Test
    void emptyAndMissingFiles() throws Exception {
        Path empty = file("empty.conll", "\n-DOCSTART- O\n\n");
        ConllFormatException e = assertThrows(ConllFormatException.class, () -> new ConllReader().read(empty));
        assertTrue(e.getMessage().contains("no sentences"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> new ConllReader().read(dir.resolve("none.conll")));
    }

    @Test
    void theDataVecReaderYieldsTokenTagSteps() throws Exception {
        Path f = file("a.conll", "Apple B-ORG\nfell O\n\napple B-FRUIT\n");
        ConllSequenceRecordReader r = new ConllSequenceRecordReader(f, new ConllReader());
        List<Sentence> back = ConllSequenceRecordReader.sentences(r);
        assertEquals(2, back.size());
        assertEquals(List.of("Apple", "fell"), back.get(0).tokens());
        assertEquals(List.of("B-FRUIT"), back.get(1).tags());
    }

    @Test
    void theRealConll2003SampleOfOpenNlpParses() throws Exception {
        // the layout of CoNLL-2003: token POS chunk NER, -DOCSTART- lines, IOB1 tags
        Path f = file("eng.conll", "-DOCSTART- -X- -X- O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP "
                + "I-MISC\ncall NN I-NP O\n. . O O\n");
        List<Sentence> s = new ConllReader(0, 3, TagScheme.IOB1).read(f);
        assertEquals(List.of("B-ORG", "O", "B-MISC", "O", "O"), TagScheme.BIO.convert(s.get(0).tags()));
    }

    /** OpenNLP's copies of the CoNLL-2003 English and German files as published: 4 or 5 columns, IOB1 tags. */
    @Test
    void conll2003AsPublishedReadsWithItsChunks() throws Exception {
        Path en = dir.resolve("en.conll");
        try (var in = getClass().getResourceAsStream("/opennlp/tools/formats/conll2003-en.sample")) {
            Files.copy(in, en);
        }
        List<Sentence> s = new ConllReader().read(en);
        assertEquals(2, s.size(), "-DOCSTART- is a document boundary, not a sentence");
        assertEquals(List.of("EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."),
                s.get(0).tokens());
        // IOB1: I- opens a chunk after O; the chunks read as conlleval reads them
        assertEquals(List.of(new Span("ORG", 0, 1), new Span("MISC", 2, 3), new Span("MISC", 6, 7)),
                TagScheme.spans(s.get(0).tags()));
        assertEquals(List.of(new Span("PER", 0, 2)), TagScheme.spans(s.get(1).tags()));
        assertEquals(List.of("B-ORG", "O", "B-MISC", "O", "O", "O", "B-MISC", "O", "O"),
                TagScheme.BIO.convert(s.get(0).tags()));
        assertEquals(List.of("S-ORG", "O", "S-MISC", "O", "O", "O", "S-MISC", "O", "O"),
                TagScheme.BIOES.convert(s.get(0).tags()));

        Path de = dir.resolve("de.conll");
        try (var in = getClass().getResourceAsStream("/opennlp/tools/formats/conll2003-de.sample")) {
            Files.copy(in, de);
        }
        List<Sentence> d = new ConllReader().read(de);
        assertEquals("Erzählung", d.get(0).tokens().get(2), "UTF-8 read as UTF-8");
        assertEquals(List.of(new Span("PER", 0, 2), new Span("MISC", 5, 8)), TagScheme.spans(d.get(1).tags()));
    }

    @Test
    void byteOrderMarkLineEndsAndALastLineWithoutNewlineReadAlike() throws Exception {
        List<Sentence> plain = new ConllReader().read(file("plain.conll", "Apple\tB-ORG\nfell\tO\n\nI\tO\n"));
        Path bom = dir.resolve("bom.conll");
        Files.write(bom, ("\uFEFFApple\tB-ORG\r\nfell\tO\r\n\r\nI\tO").getBytes(StandardCharsets.UTF_8));
        assertEquals(plain, new ConllReader().read(bom));
    }

    @Test
    void anotherEncodingIsNamedWithTheLineOfTheFirstBadByte() throws Exception {
        Path latin1 = dir.resolve("latin1.conll");
        Files.write(latin1, "Paris\tB-LOC\n\nCaf\u00e9\tO\n".getBytes(StandardCharsets.ISO_8859_1));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> new ConllReader().read(latin1));
        assertTrue(e.getMessage().contains(latin1 + " line 3") && e.getMessage().contains("iconv"), e.getMessage());
    }

    @Test
    void tabSeparatedTokensMayHoldSpaces() throws Exception {
        List<Sentence> s = new ConllReader().read(file("sp.conll", "New York\tNNP\tB-LOC\nis\tVBZ\tO\n"));
        assertEquals(List.of("New York", "is"), s.get(0).tokens());
        assertEquals(List.of("B-LOC", "O"), s.get(0).tags());
    }

    @Test
    void aLineWithOtherColumnsThanTheFirstIsNamed() throws Exception {
        Path f = file("cols.conll", "EU NNP I-NP I-ORG\nrejects VBZ I-VP\n");
        ConllFormatException e = assertThrows(ConllFormatException.class, () -> new ConllReader().read(f));
        assertTrue(e.getMessage().contains(f + ":2:") && e.getMessage().contains("3 columns where line 1 has 4"),
                e.getMessage());
    }
}
