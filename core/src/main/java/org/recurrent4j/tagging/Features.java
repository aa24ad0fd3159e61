package org.recurrent4j.tagging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.recurrent4j.layers.HostArrays;

/**
 * Turns sentences into the tagger's inputs, each masked by {@code [batch, time]} where lengths differ:
 *
 * <ul>
 *   <li>{@code words}: indices of the training vocabulary (lower-cased, digits as 0) {@code [batch, 1, time]};</li>
 *   <li>{@code vectors}: where the tagger has pretrained vectors, every word's pretrained vector
 *       {@code [batch, D, time]} (zero where the vectors lack the word), looked up for every word, seen in training or
 *       not: the network adds the trained correction of training words to it;</li>
 *   <li>{@code chars}: character indices {@code [batch, maxWordLength, time]}, 0 after the word;</li>
 *   <li>{@code prefix}, {@code suffix}: affix indices, where {@code affixLength > 0};</li>
 *   <li>{@code casing}: the {@link Casing} class.</li>
 * </ul>
 * Tags one-hot {@code [batch, tags, time]}.
 */
public final class Features implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final Vocabulary words;
    private final Vocabulary prefixes;
    private final Vocabulary suffixes;
    private final Vocabulary chars;
    private final List<String> tags;
    private final int affixLength;
    private final boolean casing;
    private final int maxWordLength;
    private WordVectors vectors;

    /**
     * @param chars         character vocabulary, or null for no character input
     * @param maxWordLength characters read of each word
     */
    public Features(Vocabulary words, Vocabulary prefixes, Vocabulary suffixes, Vocabulary chars, List<String> tags,
                    int affixLength, boolean casing, int maxWordLength) {
        this.words = words;
        this.prefixes = prefixes;
        this.suffixes = suffixes;
        this.chars = chars;
        this.tags = List.copyOf(tags);
        this.affixLength = affixLength;
        this.casing = casing;
        this.maxWordLength = maxWordLength;
    }

    /** Vocabularies and tag set from the training sentences (tags as they are: convert them first). */
    public static Features fit(List<Sentence> train, TaggerConfig c) {
        return fit(train, c, null);
    }

    /**
     * As {@link #fit(List, TaggerConfig)}, with pretrained vectors: a training word seen only once that the vectors
     * have gets no correction of its own but shares the unknown word's, so that the path every word unseen in
     * training takes (its vector plus the unknown word's correction) is trained on real words, as Lample et al.
     * (2016) train the unknown word on singletons. The vocabulary shrinks with it, and so does each step's update.
     */
    public static Features fit(List<Sentence> train, TaggerConfig c, WordVectors vectors) {
        FeatureCounts counts = new FeatureCounts(c);
        for (int i = 0; i < train.size(); i++) {
            counts.add(train.get(i), i);
        }
        return fit(counts, c, vectors);
    }

    /**
     * As {@link #fit(List, TaggerConfig, WordVectors)}, from the counts of the training sentences (which may come
     * from counting parts of a corpus apart and merging them): the same features as a fit over the sentences.
     */
    public static Features fit(FeatureCounts counts, TaggerConfig c, WordVectors vectors) {
        Vocabulary words = counts.words(c.minWordCount);
        if (vectors != null) {
            List<String> kept = new ArrayList<>(words.entries().subList(0, 2));
            for (String w : words.entries().subList(2, words.size())) {
                if (counts.wordCount(w) > 1 || !vectors.contains(w)) {
                    kept.add(w);
                }
            }
            words = new Vocabulary(kept);
        }
        Features f = new Features(words, counts.prefixes(), counts.suffixes(), counts.characters(), counts.tags(),
                c.affixLength, c.casing, c.maxWordLength);
        f.vectors(vectors);
        return f;
    }

    static String normalize(String token) {
        return digitsToZero(token.toLowerCase(Locale.ROOT));
    }

    /** {@code s} with each ASCII digit replaced by 0 (the same string where it has none), without a regex. */
    static String digitsToZero(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) < '1' || s.charAt(i) > '9')) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        char[] c = s.toCharArray();
        for (; i < c.length; i++) {
            if (c[i] >= '1' && c[i] <= '9') {
                c[i] = '0';
            }
        }
        return new String(c);
    }

    /** Indices of the characters below 256, looked up once: most text is made of them. */
    private transient int[] latinIndex;

    /** The index of the character (code point) {@code cp} in the character vocabulary. */
    private int charIndex(int cp) {
        if (cp >= 256) {
            return chars.indexOf(new String(Character.toChars(cp)));
        }
        if (latinIndex == null) {
            int[] idx = new int[256];
            for (int c = 0; c < 256; c++) {
                idx[c] = chars.indexOf(String.valueOf((char) c));
            }
            latinIndex = idx;
        }
        return latinIndex[cp];
    }

    static String prefix(String n, int k) {
        return n.length() <= k ? n : n.substring(0, k);
    }

    static String suffix(String n, int k) {
        return n.length() <= k ? n : n.substring(n.length() - k);
    }

    /**
     * These features with {@code v} for the {@code vectors} input: the same vocabularies and tags, so the same network
     * input, where {@code v} has the dimension of the vectors they were fitted with (a subset of them, for one).
     *
     * @throws IllegalArgumentException where the dimensions differ
     */
    public Features withVectors(WordVectors v) {
        int had = vectors == null ? 0 : vectors.dimension();
        int has = v == null ? 0 : v.dimension();
        if (had != has) {
            throw new IllegalArgumentException("vectors of dimension " + has + " for features fitted with " + had);
        }
        Features f = new Features(words, prefixes, suffixes, chars, tags, affixLength, casing, maxWordLength);
        f.vectors(v);
        return f;
    }

    /** Pretrained vectors for the {@code vectors} input, or null for none. */
    public void vectors(WordVectors v) {
        this.vectors = v;
    }

    public WordVectors vectors() {
        return vectors;
    }

    /** The network's input names, in order. */
    public List<String> inputs() {
        List<String> in = new ArrayList<>(List.of("words"));
        if (vectors != null) {
            in.add("vectors");
        }
        if (chars != null) {
            in.add("chars");
        }
        if (affixLength > 0) {
            in.add("prefix");
            in.add("suffix");
        }
        if (casing) {
            in.add("casing");
        }
        return in;
    }

    /** Vocabulary size of an index input. */
    public int inputSize(String input) {
        return switch (input) {
            case "words" -> words.size();
            case "prefix" -> prefixes.size();
            case "suffix" -> suffixes.size();
            case "chars" -> chars.size();
            case "casing" -> Casing.values().length;
            default -> throw new IllegalArgumentException(input);
        };
    }

    /** Inputs, and labels where every sentence has tags; masks where lengths differ. */
    public MultiDataSet encode(List<Sentence> batch, boolean withLabels) {
        return encode(batch, withLabels, null, 0);
    }

    /**
     * As {@link #encode(List, boolean)}, with word dropout for training: each word is replaced by the unknown word
     * with probability {@code unknownRate} (its pretrained vector stays, as it would for a word unseen in training),
     * so that the network learns what to do with words it has not seen.
     */
    public MultiDataSet encode(List<Sentence> batch, boolean withLabels, Random random, double unknownRate) {
        return encode(batch, withLabels, random, unknownRate, false);
    }

    /**
     * As {@link #encode(List, boolean, Random, double)}; with {@code fullWordLength} the character input is
     * {@code maxWordLength} wide whatever the batch's longest word, so that batches of any words merge (DL4J's Spark
     * training merges and splits them to its batch size). The character CNN reads only a word's own positions, so the
     * width does not change what it computes.
     */
    public MultiDataSet encode(List<Sentence> batch, boolean withLabels, Random random, double unknownRate,
                               boolean fullWordLength) {
        int b = batch.size();
        int t = batch.stream().mapToInt(Sentence::length).max().orElse(1);
        int dim = vectors == null ? 0 : vectors.dimension();
        int charLen = fullWordLength ? maxWordLength : 1;
        if (chars != null && !fullWordLength) {
            for (Sentence s : batch) {
                for (String tok : s.tokens()) {
                    charLen = Math.max(charLen, (int) Math.min(maxWordLength, tok.codePointCount(0, tok.length())));
                }
            }
        }
        List<String> in = inputs();
        float[][] data = new float[in.size()][];
        for (int k = 0; k < in.size(); k++) {
            int width = switch (in.get(k)) {
                case "vectors" -> dim;
                case "chars" -> charLen;
                default -> 1;
            };
            data[k] = new float[b * width * t];
        }
        float[] mask = new float[b * t];
        float[] labels = withLabels ? new float[b * tags.size() * t] : null;
        boolean padded = false;
        for (int i = 0; i < b; i++) {
            Sentence s = batch.get(i);
            padded |= s.length() < t;
            for (int j = 0; j < s.length(); j++) {
                String tok = s.tokens().get(j);
                String n = normalize(tok);
                boolean unknown = random != null && random.nextDouble() < unknownRate;
                for (int k = 0; k < in.size(); k++) {
                    float[] d = data[k];
                    switch (in.get(k)) {
                        case "words" -> d[i * t + j] = unknown ? 1 : words.indexOf(n);
                        case "vectors" -> {
                            int row = vectors.indexOf(tok);
                            if (row >= 0) {
                                vectors.copy(row, d, i * dim * t + j, t);
                            }
                        }
                        case "chars" -> {
                            for (int p = 0, at = 0; p < charLen && at < tok.length(); p++) {
                                int cp = tok.codePointAt(at);
                                at += Character.charCount(cp);
                                d[(i * charLen + p) * t + j] = charIndex(cp);
                            }
                        }
                        case "prefix" -> d[i * t + j] = prefixes.indexOf(prefix(n, affixLength));
                        case "suffix" -> d[i * t + j] = suffixes.indexOf(suffix(n, affixLength));
                        default -> d[i * t + j] = Casing.of(tok).ordinal();
                    }
                }
                mask[i * t + j] = 1;
                if (withLabels) {
                    String tag = s.tags().get(j);
                    int ti = tags.indexOf(tag);
                    if (ti < 0) {
                        throw new IllegalArgumentException("tag '" + tag + "' (line " + (s.line() + j)
                                + ") was not in the training data; the model knows " + tags);
                    }
                    labels[(i * tags.size() + ti) * t + j] = 1;
                }
            }
        }
        INDArray[] features = new INDArray[in.size()];
        for (int k = 0; k < in.size(); k++) {
            features[k] = HostArrays.of(data[k], b, data[k].length / ((long) b * t), t);
        }
        INDArray m = HostArrays.of(mask, b, t);
        INDArray[] masks = null;
        if (padded) {
            masks = new INDArray[in.size()];
            Arrays.fill(masks, m);
        }
        INDArray[] lab = withLabels ? new INDArray[]{HostArrays.of(labels, b, tags.size(), t)} : null;
        return new org.nd4j.linalg.dataset.MultiDataSet(features, lab, masks, padded && withLabels
                ? new INDArray[]{m} : null);
    }

    public List<String> tags() {
        return tags;
    }

    public Vocabulary words() {
        return words;
    }

    public Vocabulary prefixes() {
        return prefixes;
    }

    public Vocabulary suffixes() {
        return suffixes;
    }

    /** The character vocabulary, or null. */
    public Vocabulary chars() {
        return chars;
    }

    public int affixLength() {
        return affixLength;
    }

    public boolean casing() {
        return casing;
    }

    public int maxWordLength() {
        return maxWordLength;
    }
}
