package org.recurrent4j.tagging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns sentences into the tagger's inputs: word indices (lower-cased, digits as 0), prefix and suffix indices, and
 * casing classes, each {@code [batch, 1, time]} for an embedding layer; tags one-hot {@code [batch, tags, time]};
 * masks {@code [batch, time]} for the padding of shorter sentences.
 */
public final class Features {

    private final Vocabulary words;
    private final Vocabulary prefixes;
    private final Vocabulary suffixes;
    private final List<String> tags;
    private final int affixLength;
    private final boolean casing;

    public Features(Vocabulary words, Vocabulary prefixes, Vocabulary suffixes, List<String> tags, int affixLength,
                    boolean casing) {
        this.words = words;
        this.prefixes = prefixes;
        this.suffixes = suffixes;
        this.tags = List.copyOf(tags);
        this.affixLength = affixLength;
        this.casing = casing;
    }

    /** Vocabularies and tag set from the training sentences. */
    public static Features fit(List<Sentence> train, TaggerConfig c) {
        List<String> ws = new ArrayList<>();
        List<String> pre = new ArrayList<>();
        List<String> suf = new ArrayList<>();
        java.util.TreeSet<String> tagSet = new java.util.TreeSet<>();
        for (Sentence s : train) {
            for (String t : s.tokens()) {
                String n = normalize(t);
                ws.add(n);
                if (c.affixLength > 0) {
                    pre.add(prefix(n, c.affixLength));
                    suf.add(suffix(n, c.affixLength));
                }
            }
            tagSet.addAll(s.tags());
        }
        tagSet.remove("O");
        List<String> tagList = new ArrayList<>();
        tagList.add("O");
        tagList.addAll(tagSet);
        return new Features(Vocabulary.build(ws, c.minWordCount), Vocabulary.build(pre, 1), Vocabulary.build(suf, 1),
                tagList, c.affixLength, c.casing);
    }

    static String normalize(String token) {
        return token.toLowerCase(Locale.ROOT).replaceAll("[0-9]", "0");
    }

    private static String prefix(String n, int k) {
        return n.length() <= k ? n : n.substring(0, k);
    }

    private static String suffix(String n, int k) {
        return n.length() <= k ? n : n.substring(n.length() - k);
    }

    /** The network's input names, in order. */
    public List<String> inputs() {
        List<String> in = new ArrayList<>(List.of("words"));
        if (affixLength > 0) {
            in.add("prefix");
            in.add("suffix");
        }
        if (casing) {
            in.add("casing");
        }
        return in;
    }

    /** Vocabulary size of an input. */
    public int inputSize(String input) {
        return switch (input) {
            case "words" -> words.size();
            case "prefix" -> prefixes.size();
            case "suffix" -> suffixes.size();
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
     * with probability {@code unknownRate}, so that the network learns what to do with words it has not seen.
     */
    public MultiDataSet encode(List<Sentence> batch, boolean withLabels, java.util.Random random, double unknownRate) {
        int b = batch.size();
        int t = batch.stream().mapToInt(Sentence::length).max().orElse(1);
        List<String> in = inputs();
        INDArray[] features = new INDArray[in.size()];
        float[][] data = new float[in.size()][b * t];
        float[] mask = new float[b * t];
        float[] labels = withLabels ? new float[b * tags.size() * t] : null;
        boolean padded = false;
        for (int i = 0; i < b; i++) {
            Sentence s = batch.get(i);
            padded |= s.length() < t;
            for (int j = 0; j < s.length(); j++) {
                String tok = s.tokens().get(j);
                String n = normalize(tok);
                for (int k = 0; k < in.size(); k++) {
                    data[k][i * t + j] = switch (in.get(k)) {
                        case "words" -> random != null && random.nextDouble() < unknownRate ? 1 : words.indexOf(n);
                        case "prefix" -> prefixes.indexOf(prefix(n, affixLength));
                        case "suffix" -> suffixes.indexOf(suffix(n, affixLength));
                        default -> Casing.of(tok).ordinal();
                    };
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
        for (int k = 0; k < in.size(); k++) {
            features[k] = Nd4j.create(data[k], new long[]{b, 1, t}, 'c');
        }
        INDArray m = Nd4j.create(mask, new long[]{b, t}, 'c');
        INDArray[] masks = null;
        if (padded) {
            masks = new INDArray[in.size()];
            java.util.Arrays.fill(masks, m);
        }
        INDArray[] lab = withLabels ? new INDArray[]{Nd4j.create(labels, new long[]{b, tags.size(), t}, 'c')} : null;
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

    public int affixLength() {
        return affixLength;
    }

    public boolean casing() {
        return casing;
    }
}
