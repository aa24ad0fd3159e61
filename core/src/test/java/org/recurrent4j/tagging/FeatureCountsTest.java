package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Features#fit} from {@link FeatureCounts}: over the whole list, and from parts of the corpus counted apart
 * and merged in any order (as Spark's aggregate does), it gives the vocabularies that counting every string in one
 * pass in order gives ({@link Vocabulary#build}: most frequent first, ties in first-seen order), the reference here.
 * The corpus is drawn from a small alphabet so that ties are everywhere.
 */
class FeatureCountsTest {

    private static List<Sentence> corpus(Random r, int n) {
        String[] stems = {"a", "b", "ab", "ba", "Apple", "apple", "x1", "x2", "x3", "caf\u00e9", "\uD835\uDC00z", "qq"};
        String[] tags = {"O", "B-ORG", "I-ORG", "B-FRUIT"};
        List<Sentence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 1 + r.nextInt(7);
            List<String> tok = new ArrayList<>();
            List<String> tag = new ArrayList<>();
            for (int j = 0; j < len; j++) {
                tok.add(stems[r.nextInt(stems.length)] + (r.nextInt(4) == 0 ? stems[r.nextInt(stems.length)] : ""));
                tag.add(tags[r.nextInt(r.nextInt(5) == 0 ? tags.length : 1)]);
            }
            out.add(new Sentence(tok, tag, i));
        }
        return out;
    }

    private static TaggerConfig config(int minWordCount) {
        TaggerConfig c = new TaggerConfig();
        c.affixLength = 2;
        c.charFilters = 5;
        c.maxWordLength = 3;
        c.minWordCount = minWordCount;
        return c;
    }

    /** The reference: every string of each kind in corpus order, counted in one pass. */
    private static List<List<String>> reference(List<Sentence> corpus, TaggerConfig c, WordVectors vectors) {
        List<String> ws = new ArrayList<>();
        List<String> pre = new ArrayList<>();
        List<String> suf = new ArrayList<>();
        List<String> cs = new ArrayList<>();
        TreeSet<String> tags = new TreeSet<>();
        for (Sentence s : corpus) {
            for (String t : s.tokens()) {
                String n = Features.normalize(t);
                ws.add(n);
                pre.add(n.length() <= c.affixLength ? n : n.substring(0, c.affixLength));
                suf.add(n.length() <= c.affixLength ? n : n.substring(n.length() - c.affixLength));
                t.codePoints().limit(c.maxWordLength).forEach(cp -> cs.add(new String(Character.toChars(cp))));
            }
            tags.addAll(s.tags());
        }
        List<String> words = Vocabulary.build(ws, c.minWordCount).entries();
        if (vectors != null) {
            List<String> kept = new ArrayList<>(words.subList(0, 2));
            for (String w : words.subList(2, words.size())) {
                if (Collections.frequency(ws, w) > 1 || !vectors.contains(w)) {
                    kept.add(w);
                }
            }
            words = kept;
        }
        tags.remove("O");
        List<String> tagList = new ArrayList<>(List.of("O"));
        tagList.addAll(tags);
        return List.of(words, Vocabulary.build(pre, 1).entries(), Vocabulary.build(suf, 1).entries(),
                Vocabulary.build(cs, 1).entries(), tagList);
    }

    private static List<List<String>> of(Features f) {
        return List.of(f.words().entries(), f.prefixes().entries(), f.suffixes().entries(), f.chars().entries(),
                f.tags());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void partsCountedApartAndMergedInAnyOrderGiveTheWholeCorpusFeatures(int minWordCount) {
        Random r = new Random(7 + minWordCount);
        List<Sentence> corpus = new ArrayList<>(corpus(r, 400));
        corpus.add(200, new Sentence(List.of("Zebra", "apple"), List.of("O", "O"), 0));   // a singleton with a vector
        TaggerConfig c = config(minWordCount);
        Map<String, float[]> table = new LinkedHashMap<>();
        table.put("apple", new float[]{1, 2});
        table.put("ab", new float[]{3, 4});
        table.put("x0", new float[]{5, 6});
        table.put("zebra", new float[]{7, 8});
        WordVectors vectors = WordVectors.of(table);
        for (WordVectors v : new WordVectors[]{null, vectors}) {
            List<List<String>> expected = reference(corpus, c, v);
            assertEquals(expected, of(Features.fit(corpus, c, v)), "one list");
            for (int parts : new int[]{2, 5, 17}) {
                List<FeatureCounts> counts = new ArrayList<>();
                for (int p = 0; p < parts; p++) {
                    counts.add(new FeatureCounts(c));
                }
                for (int i = 0; i < corpus.size(); i++) {   // sentences scattered over the parts, not in runs
                    counts.get(r.nextInt(parts)).add(corpus.get(i), i);
                }
                Collections.shuffle(counts, r);
                FeatureCounts whole = counts.get(0);
                for (int p = 1; p < parts; p++) {
                    whole.merge(counts.get(p));
                }
                assertEquals(expected, of(Features.fit(whole, c, v)), parts + " parts");
            }
        }
        // with every word kept, the vectors do change the word vocabulary here (the singleton "zebra" goes), so both
        // paths were exercised
        if (minWordCount == 1) {
            assertNotEquals(reference(corpus, c, null).get(0), reference(corpus, c, vectors).get(0));
        }
    }
}
