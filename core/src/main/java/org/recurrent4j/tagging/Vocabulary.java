package org.recurrent4j.tagging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Strings to indices: index 0 pads, index 1 stands for every string not in the vocabulary. */
public final class Vocabulary implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public static final String PAD = "<pad>";
    public static final String UNKNOWN = "<unk>";

    private final List<String> entries;
    private final Map<String, Integer> index = new HashMap<>();

    public Vocabulary(List<String> entries) {
        if (entries.size() < 2 || !entries.get(0).equals(PAD) || !entries.get(1).equals(UNKNOWN)) {
            throw new IllegalArgumentException("a vocabulary starts with " + PAD + " and " + UNKNOWN);
        }
        this.entries = List.copyOf(entries);
        for (int i = 0; i < entries.size(); i++) {
            index.put(entries.get(i), i);
        }
    }

    /** The strings seen at least {@code minCount} times, most frequent first (ties in first-seen order). */
    public static Vocabulary build(Iterable<String> strings, int minCount) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String s : strings) {
            counts.merge(s, 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Collections.reverseOrder(Map.Entry.comparingByValue()));
        List<String> entries = new ArrayList<>(List.of(PAD, UNKNOWN));
        for (Map.Entry<String, Integer> e : sorted) {
            if (e.getValue() >= minCount) {
                entries.add(e.getKey());
            }
        }
        return new Vocabulary(entries);
    }

    public int indexOf(String s) {
        return index.getOrDefault(s, 1);
    }

    public boolean contains(String s) {
        return index.containsKey(s);
    }

    public int size() {
        return entries.size();
    }

    public List<String> entries() {
        return entries;
    }
}
