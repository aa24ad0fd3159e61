package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.interop.TorchImporter;
import org.recurrent4j.io.BoundedZip;

/**
 * Every file format the library reads, fed deterministic mutations (fixed seed) of a valid file: bytes flipped,
 * files cut short, bytes and huge numbers inserted, and for archives their entries changed, renamed ({@code ../},
 * absolute, duplicated), nested, or replaced by a deflate bomb. Each read runs under a time limit and must end in a
 * result or an {@link IOException} that names the file; never a hang, an {@code OutOfMemoryError} or another
 * exception, and never a file written outside its place. (CoNLL files have their own property test.)
 */
class FilesFromElsewhereFuzzTest {

    @TempDir
    Path dir;

    interface Reader {
        Object read(Path file) throws IOException;
    }

    private static final byte[][] NUMBERS = {
        "99999999999".getBytes(StandardCharsets.US_ASCII), "-1".getBytes(StandardCharsets.US_ASCII),
        {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        {0, 0, 0, 0x40, 0, 0, 0, 0}, "1e308".getBytes(StandardCharsets.US_ASCII),
        "NaN".getBytes(StandardCharsets.US_ASCII),
    };

    /** A byte-level mutation of {@code b}. */
    static byte[] mutateBytes(byte[] b, Random r) {
        byte[] c = b.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int k = 0, n = 1 + r.nextInt(8); k < n && c.length > 0; k++) {
                    c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return c;
            }
            case 1 -> {
                return Arrays.copyOf(b, r.nextInt(b.length + 1));
            }
            case 2 -> {
                int at = r.nextInt(b.length + 1);
                byte[] n = NUMBERS[r.nextInt(NUMBERS.length)];
                byte[] out = new byte[b.length + n.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(n, 0, out, at, n.length);
                System.arraycopy(b, at, out, at + n.length, b.length - at);
                return out;
            }
            case 3 -> {
                if (c.length > 8) {   // overwrite in place: a header field becomes a huge or negative number
                    byte[] n = NUMBERS[r.nextInt(NUMBERS.length)];
                    int at = r.nextInt(c.length - n.length);
                    System.arraycopy(n, 0, c, at, n.length);
                }
                return c;
            }
            default -> {
                return r.nextBoolean() ? new byte[0] : Arrays.copyOfRange(b, Math.min(b.length, 1 + r.nextInt(64)),
                        b.length);
            }
        }
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    /**
     * The archive with a second entry of the name {@code name}: ZipOutputStream refuses duplicates, so the copy is
     * written under a name of the same length and renamed in the bytes (local headers carry no checksum of names).
     */
    static byte[] zipWithDuplicate(Map<String, byte[]> entries, String name) throws IOException {
        char last = name.isEmpty() ? 'a' : name.charAt(name.length() - 1);
        String other = (name.isEmpty() ? "" : name.substring(0, name.length() - 1)) + (last == '~' ? '}' : '~');
        Map<String, byte[]> twice = new LinkedHashMap<>(entries);
        twice.put(other, entries.get(name));
        String z = new String(zip(twice), StandardCharsets.ISO_8859_1);
        return z.replace(other, name.isEmpty() ? other : name).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An archive-level mutation: an entry changed, renamed, duplicated, nested or replaced by a bomb. */
    static byte[] mutateZip(byte[] archive, Random r) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>(BoundedZip.read(archive, "base", null, "a zip"));
        List<String> names = new ArrayList<>(e.keySet());
        String name = names.get(r.nextInt(names.size()));
        switch (r.nextInt(6)) {
            case 0 -> {   // an entry's bytes, or one level down, the entries of the network's own zip
                byte[] v = e.get(name);
                e.put(name, name.endsWith(".zip") && r.nextBoolean() ? mutateZip(v, r) : mutateBytes(v, r));
            }
            case 1 -> {
                byte[] v = e.remove(name);
                String[] tricks = {"../../escaped.txt", "/tmp/absolute.txt", "a/../../b", name + "/", "",
                    "..\\..\\win.txt"};
                e.put(tricks[r.nextInt(tricks.length)], v);
            }
            case 2 -> {
                return zipWithDuplicate(e, name);
            }
            case 3 -> e.put(name, archive);   // the archive nested inside itself
            case 4 -> e.put(name, new byte[40 << 20]);   // 40 MB of zeros: a thousandfold deflate bomb
            default -> e.remove(name);
        }
        return zip(e);
    }

    /**
     * Reads {@code n} mutants of {@code base} with {@code reader}: each must finish within the limit with a result or
     * an IOException naming the file. Where a mutant is a strict prefix of the valid file and still reads, the result
     * must equal the valid file's, as {@code same} judges.
     */
    void fuzz(String format, byte[] base, boolean archive, int n, long seed, Reader reader,
              java.util.function.BiPredicate<Object, Object> same) throws Exception {
        Path valid = dir.resolve(format + "-valid");
        Files.write(valid, base);
        Object expected = reader.read(valid);
        Random r = new Random(seed);
        int refused = 0;
        for (int i = 0; i < n; i++) {
            byte[] m = archive && r.nextInt(3) > 0 ? mutateZip(base, r) : mutateBytes(base, r);
            Path f = dir.resolve(format + "-" + i);
            Files.write(f, m);
            Object got;
            try {
                got = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    try {
                        return reader.read(f);
                    } catch (IOException e) {
                        return e;
                    } catch (RuntimeException | Error e) {
                        return e;
                    }
                }, format + " mutant " + i + " did not finish");
            } finally {
                Files.deleteIfExists(f);
            }
            if (got instanceof IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(f.toString()),
                        format + " mutant " + i + ": the message does not name the file: " + e.getMessage());
                refused++;
            } else if (got instanceof Throwable t) {
                t.printStackTrace();
                fail(format + " mutant " + i + " ended in " + t);
            } else if (m.length < base.length && Arrays.equals(m, 0, m.length, base, 0, m.length)) {
                assertTrue(same.test(expected, got), format + " mutant " + i + " (cut to " + m.length + " of "
                        + base.length + " bytes) read as something else");
            }
        }
        assertTrue(refused > n / 4, format + ": only " + refused + " of " + n + " mutants refused");
        try (Stream<Path> s = Files.list(dir.getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("escaped")), "a file was written outside");
        }
        assertTrue(Files.notExists(Path.of("/tmp/absolute.txt")), "a file was written at an absolute path");
    }

    @Test
    void modelsAndCheckpoints() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        TaggerConfig c = TaggerTest.small(2);
        c.epochs = 1;
        TaggerTrainer.Control write = new TaggerTrainer.Control(new Checkpoints(ckpt, 2), null, true, false, false,
                new AtomicBoolean());
        Tagger t = TaggerTrainer.train(TaggerTest.data(), TaggerTest.data().subList(0, 4), c,
                new TaggerTrainer.Listener() { }, write).tagger();
        Path model = dir.resolve("model.zip");
        t.save(model);
        fuzz("model", Files.readAllBytes(model), true, 120, 1, Tagger::load,
                (a, b) -> ((Tagger) a).network().params().equals(((Tagger) b).network().params()));

        byte[] checkpoint = Files.readAllBytes(new Checkpoints(ckpt, 2).list().get(0));
        int batches = (TaggerTest.data().size() + c.batch - 1) / c.batch;
        Path only = dir.resolve("only");
        fuzz("checkpoint", checkpoint, true, 60, 2, f -> {
            Files.createDirectories(only);
            Path p = only.resolve("checkpoint-e0002-b0000000.zip");
            Files.copy(f, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try {
                return new Checkpoints(only, 2).newest(batches).state();
            } catch (Checkpoints.NoValidCheckpointException e) {
                throw new IOException(f + ": " + e.getMessage());
            }
        }, (a, b) -> ((TrainingState) a).epoch == ((TrainingState) b).epoch);
    }

    /**
     * Entries are judged by their first bytes, before the rest is read: 200 MB of zeros as the word vectors (a 200 KB
     * file) is refused for its header, and an array with more bytes than its header declares once it passes them.
     */
    @Test
    void entriesAreJudgedByTheirFirstBytes() throws Exception {
        TaggerConfig c = TaggerTest.small(2);
        c.epochs = 1;
        Tagger t = TaggerTrainer.train(TaggerTest.data(), TaggerTest.data().subList(0, 4), c,
                new TaggerTrainer.Listener() { });
        Path model = dir.resolve("model.zip");
        t.save(model);
        Map<String, byte[]> entries = new LinkedHashMap<>(BoundedZip.read(model, null, "a zip"));
        Path zeros = dir.resolve("zeros.zip");
        Map<String, byte[]> withZeros = new LinkedHashMap<>(entries);
        withZeros.put("vectors.r4jvec", new byte[200 << 20]);
        Files.write(zeros, zip(withZeros));
        long start = System.nanoTime();
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Tagger.load(zeros));
        assertTrue(e.getMessage().contains("vectors.r4jvec is not recurrent4j word vectors"), e.getMessage());
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused from the first bytes");

        Map<String, byte[]> net = new LinkedHashMap<>(BoundedZip.read(entries.get("network.zip"), "n", null, "a zip"));
        byte[] coefficients = net.get("coefficients.bin");
        net.put("coefficients.bin", Arrays.copyOf(coefficients, coefficients.length + (8 << 20)));
        Map<String, byte[]> padded = new LinkedHashMap<>(entries);
        padded.put("network.zip", zip(net));
        Path pad = dir.resolve("padded.zip");
        Files.write(pad, zip(padded));
        e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Tagger.load(pad));
        assertTrue(e.getMessage().contains("coefficients.bin holds more than " + coefficients.length
                + " bytes, more than its header declares"), e.getMessage());
    }

    @Test
    void torchArrays() throws Exception {
        byte[] npz;
        try (var in = getClass().getResourceAsStream("/fixtures/lstm_1l_f32.npz")) {
            npz = in.readAllBytes();
        }
        fuzz("npz", npz, true, 200, 3, TorchImporter::readNpz, Object::equals);
    }

    /** Reads the file under a name ending in {@code suffix}, as {@link WordVectors#read} picks the format by it. */
    static Reader vectorsAs(String suffix) {
        return f -> {
            Path t = f.resolveSibling(f.getFileName() + suffix);
            Files.move(f, t);
            try {
                return WordVectors.read(t);
            } catch (IOException e) {
                throw new IOException(f + ": " + e.getMessage());
            } finally {
                Files.move(t, f);
            }
        };
    }

    @Test
    void wordVectors() throws Exception {
        String text = "apple 0.1 0.2 -0.3 0.4\nbanana 1 2 3 4\nApple 0.5 0.5 0.5 0.5\n2026 -1e-3 0 0 1\n";
        fuzz("vectors.txt", text.getBytes(StandardCharsets.UTF_8), false, 150, 4, WordVectors::read,
                (a, b) -> true);
        fuzz("header.txt", ("4 4\n" + text).getBytes(StandardCharsets.UTF_8), false, 100, 5, vectorsAs(".txt"),
                (a, b) -> true);
        Path src = dir.resolve("src.txt");
        Files.writeString(src, text);
        Path bin = dir.resolve("v.r4jvec");
        try (var out = Files.newOutputStream(bin)) {
            WordVectors.read(src).write(out);
        }
        fuzz("binary", Files.readAllBytes(bin), false, 150, 6, vectorsAs(".r4jvec"), (a, b) -> true);
        String json = WordVectorsTest.WINK;
        fuzz("wink", json.getBytes(StandardCharsets.UTF_8), false, 100, 7, vectorsAs(".json"), (a, b) -> true);
        assertEquals(4, WordVectors.read(src).dimension());
    }
}
