package org.recurrent4j.tagging;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What {@link Features#fit} counts of the training sentences: the normalised words, their prefixes and suffixes, the
 * characters (of each token's first {@code maxWordLength}) and the tags, each string with its count and where it was
 * first seen. The counts of disjoint parts of a corpus merge, in any order, into the counts of the whole, which is
 * what a fit over a distributed corpus needs (Spark's {@code aggregate}): each sentence is added with its index in
 * the corpus, and the vocabularies order strings by count, ties by where they were first seen, exactly as a fit over
 * the corpus as one list orders them.
 */
public final class FeatureCounts implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A string's count and its first sighting: the sentence's index, then its place among that sentence's strings. */
    private static final class Seen implements Serializable {
        private static final long serialVersionUID = 1L;
        long count;
        long sentence;
        int place;

        Seen(long sentence, int place) {
            this.sentence = sentence;
            this.place = place;
        }

        boolean before(Seen o) {
            return sentence < o.sentence || (sentence == o.sentence && place < o.place);
        }
    }

    private final int affixLength;
    private final boolean chars;
    private final int maxWordLength;
    private final Map<String, Seen> words = new HashMap<>();
    private final Map<String, Seen> prefixes = new HashMap<>();
    private final Map<String, Seen> suffixes = new HashMap<>();
    private final Map<String, Seen> characters = new HashMap<>();
    private final TreeSet<String> tags = new TreeSet<>();

    /** Counts for the features {@code c} asks for: affixes of {@code c.affixLength}, characters where it has filters. */
    public FeatureCounts(TaggerConfig c) {
        this.affixLength = c.affixLength;
        this.chars = c.charFilters > 0;
        this.maxWordLength = c.maxWordLength;
    }

    /**
     * Counts one sentence (its tags as the network is trained on them).
     *
     * @param index the sentence's place in the corpus (0-based); each sentence once
     * @return this
     */
    public FeatureCounts add(Sentence s, long index) {
        int w = 0;
        int a = 0;
        int ch = 0;
        for (String t : s.tokens()) {
            String n = Features.normalize(t);
            see(words, n, index, w++);
            if (affixLength > 0) {
                see(prefixes, Features.prefix(n, affixLength), index, a);
                see(suffixes, Features.suffix(n, affixLength), index, a++);
            }
            if (chars) {
                int[] cps = t.codePoints().limit(maxWordLength).toArray();
                for (int cp : cps) {
                    see(characters, new String(Character.toChars(cp)), index, ch++);
                }
            }
        }
        tags.addAll(s.tags());
        return this;
    }

    private static void see(Map<String, Seen> m, String key, long sentence, int place) {
        m.computeIfAbsent(key, k -> new Seen(sentence, place)).count++;
    }

    /**
     * Adds the counts of another part of the corpus (counted with the same configuration).
     *
     * @return this
     * @throws IllegalArgumentException where {@code other} counted other features
     */
    public FeatureCounts merge(FeatureCounts other) {
        if (other.affixLength != affixLength || other.chars != chars || other.maxWordLength != maxWordLength) {
            throw new IllegalArgumentException("counts of different feature settings cannot merge");
        }
        merge(words, other.words);
        merge(prefixes, other.prefixes);
        merge(suffixes, other.suffixes);
        merge(characters, other.characters);
        tags.addAll(other.tags);
        return this;
    }

    private static void merge(Map<String, Seen> into, Map<String, Seen> from) {
        for (Map.Entry<String, Seen> e : from.entrySet()) {
            Seen o = e.getValue();
            Seen s = into.get(e.getKey());
            if (s == null) {
                Seen copy = new Seen(o.sentence, o.place);
                copy.count = o.count;
                into.put(e.getKey(), copy);
            } else {
                s.count += o.count;
                if (o.before(s)) {
                    s.sentence = o.sentence;
                    s.place = o.place;
                }
            }
        }
    }

    /** How often the normalised word {@code w} was seen; 0 for none. */
    long wordCount(String w) {
        Seen s = words.get(w);
        return s == null ? 0 : s.count;
    }

    /** The strings seen at least {@code minCount} times, most frequent first, ties in first-seen order. */
    private static Vocabulary vocabulary(Map<String, Seen> m, int minCount) {
        List<Map.Entry<String, Seen>> sorted = new ArrayList<>(m.entrySet());
        sorted.sort((x, y) -> {
            Seen a = x.getValue();
            Seen b = y.getValue();
            if (a.count != b.count) {
                return Long.compare(b.count, a.count);
            }
            return a.before(b) ? -1 : b.before(a) ? 1 : 0;
        });
        List<String> entries = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNKNOWN));
        for (Map.Entry<String, Seen> e : sorted) {
            if (e.getValue().count >= minCount) {
                entries.add(e.getKey());
            }
        }
        return new Vocabulary(entries);
    }

    Vocabulary words(int minCount) {
        return vocabulary(words, minCount);
    }

    Vocabulary prefixes() {
        return vocabulary(prefixes, 1);
    }

    Vocabulary suffixes() {
        return vocabulary(suffixes, 1);
    }

    /** The character vocabulary, or null where the configuration has no character features. */
    Vocabulary characters() {
        return chars ? vocabulary(characters, 1) : null;
    }

    /** "O" first, then the other tags in sorted order. */
    List<String> tags() {
        List<String> out = new ArrayList<>();
        out.add("O");
        tags.stream().filter(t -> !t.equals("O")).forEach(out::add);
        return out;
    }
}
