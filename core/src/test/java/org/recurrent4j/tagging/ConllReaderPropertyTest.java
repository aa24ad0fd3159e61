package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CoNLL reader on 300 deterministic mutations of valid files (OpenNLP's CoNLL-2003 English and German samples
 * and a tab-separated file): truncation, bytes flipped or inserted (bad UTF-8, tabs, carriage returns, newlines),
 * lines duplicated or deleted, columns added or removed, blank-line runs, stray -DOCSTART- lines. Each read runs
 * under a time limit and must give either exactly what a separate reference reading of the documented format gives,
 * or, where that reading finds the file malformed, an {@link IOException} naming the file and the same first bad
 * line. Never a hang, another exception, or a silent result that differs.
 */
class ConllReaderPropertyTest {

    @TempDir
    Path dir;

    /** The reference's verdict: the sentences, or the first bad line (0 for a fault of the whole file). */
    record Verdict(List<Sentence> sentences, int badLine) {
    }

    /**
     * The documented format, read apart from {@link ConllReader}: UTF-8 (a BOM on the first line and a CR before
     * each LF dropped), sentences separated by blank lines and by -DOCSTART- lines, columns split at tabs where a
     * line has one and at spaces otherwise, the same number of columns (at least two) on every token line, token
     * first and tag last.
     */
    static Verdict reference(byte[] file) {
        List<byte[]> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                lines.add(Arrays.copyOfRange(file, from, i));
                from = i + 1;
            }
        }
        if (from < file.length) {
            lines.add(Arrays.copyOfRange(file, from, file.length));
        }
        List<Sentence> out = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int start = 0;
        int columns = -1;
        for (int n = 1; n <= lines.size(); n++) {
            byte[] b = lines.get(n - 1);
            int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
            int off = n == 1 && len >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf
                    ? 3 : 0;
            String s;
            try {
                s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b, off, len - off)).toString();
            } catch (CharacterCodingException e) {
                return new Verdict(null, n);
            }
            String[] cols = s.isBlank() ? null : s.indexOf('\t') >= 0 ? s.strip().split("\t+") : s.strip().split(" +");
            if (cols == null || cols[0].equals("-DOCSTART-")) {
                if (!tokens.isEmpty()) {
                    out.add(new Sentence(tokens, tags, start));
                    tokens = new ArrayList<>();
                    tags = new ArrayList<>();
                }
                continue;
            }
            if (columns < 0) {
                columns = cols.length;
            }
            if (cols.length != columns || cols.length < 2) {
                return new Verdict(null, n);
            }
            if (tokens.isEmpty()) {
                start = n;
            }
            tokens.add(cols[0]);
            tags.add(cols[cols.length - 1]);
        }
        if (!tokens.isEmpty()) {
            out.add(new Sentence(tokens, tags, start));
        }
        return out.isEmpty() ? new Verdict(null, 0) : new Verdict(out, -1);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ConllReaderPropertyTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static final byte[][] INSERTS = {
        {'\t'}, {' '}, {'\r'}, {'\n'}, {'\n', '\n', '\n'}, {(byte) 0xc3, (byte) 0xa9}, {(byte) 0xff}, {(byte) 0xc3},
        {'X'}, "-DOCSTART- -X- O O\n".getBytes(StandardCharsets.UTF_8), {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
    };

    /** Offsets where lines start. */
    private static List<Integer> lineStarts(byte[] b) {
        List<Integer> s = new ArrayList<>(List.of(0));
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && i + 1 < b.length) {
                s.add(i + 1);
            }
        }
        return s;
    }

    private static int lineEnd(byte[] b, int start) {
        int e = start;
        while (e < b.length && b[e] != '\n') {
            e++;
        }
        return e;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] with) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, from);
        o.write(with, 0, with.length);
        o.write(b, to, b.length - to);
        return o.toByteArray();
    }

    static byte[] mutate(byte[] b, Random r) {
        List<Integer> starts = lineStarts(b);
        int line = starts.get(r.nextInt(starts.size()));
        int end = lineEnd(b, line);
        switch (r.nextInt(8)) {
            case 0:
                return Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 1: {
                byte[] c = b.clone();
                if (c.length > 0) {
                    c[r.nextInt(c.length)] = (byte) r.nextInt(256);
                }
                return c;
            }
            case 2: {
                int at = r.nextInt(b.length + 1);
                return splice(b, at, at, INSERTS[r.nextInt(INSERTS.length)]);
            }
            case 3:
                return splice(b, line, line, Arrays.copyOfRange(b, line, Math.min(b.length, end + 1)));
            case 4:
                return splice(b, line, Math.min(b.length, end + 1), new byte[0]);
            case 5:
                return end > line ? splice(b, end, end, " EXTRA".getBytes(StandardCharsets.UTF_8)) : b;
            case 6: {
                int cut = end - 1;
                while (cut > line && b[cut] != ' ' && b[cut] != '\t') {
                    cut--;
                }
                return cut > line ? splice(b, cut, end, new byte[0]) : b;
            }
            default:
                return splice(b, line, line, "\n\n".repeat(1 + r.nextInt(3)).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void mutatedFilesGiveTheRightSentencesOrAnErrorNamingFileAndLine() throws Exception {
        byte[][] bases = {
            resource("/opennlp/tools/formats/conll2003-en.sample"),
            resource("/opennlp/tools/formats/conll2003-de.sample"),
            "New York\tNNP\tB-LOC\nis\tVBZ\tO\n\nApple\tNNP\tB-ORG\nfell\tVBD\tO\n.\t.\tO\n"
                .getBytes(StandardCharsets.UTF_8),
        };
        for (byte[] base : bases) {
            Verdict v = reference(base);
            assertTrue(v.sentences() != null, "the unmutated files are valid");
        }
        Random r = new Random(2026);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            byte[] m = bases[i % bases.length];
            for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
                m = mutate(m, r);
            }
            Path f = dir.resolve("mutant-" + i + ".conll");
            Files.write(f, m);
            Verdict expected = reference(m);
            Object got = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    return new ConllReader(0, -1, null).read(f);
                } catch (IOException e) {
                    return e;
                }
            }, "mutant " + i + " did not finish");
            if (expected.sentences() != null) {
                if (got instanceof IOException e) {
                    fail("mutant " + i + " is well formed but was refused: " + e.getMessage());
                }
                assertEquals(expected.sentences(), got, "mutant " + i);
                parsed++;
            } else {
                if (!(got instanceof IOException e)) {
                    fail("mutant " + i + " is malformed at line " + expected.badLine() + " but was read: " + got);
                    return;
                }
                String msg = e.getMessage();
                if (expected.badLine() == 0) {
                    assertTrue(msg.startsWith(f.toString()), "mutant " + i + ": " + msg);
                } else {
                    assertTrue(msg.startsWith(f + ":" + expected.badLine() + ":")
                            || msg.startsWith(f + " line " + expected.badLine() + ":"),
                            "mutant " + i + " should be refused at line " + expected.badLine() + ": " + msg);
                }
                refused++;
            }
        }
        assertTrue(parsed > 50 && refused > 50, "both outcomes are exercised: " + parsed + " read, " + refused
                + " refused");
    }
}
