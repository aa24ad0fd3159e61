package org.recurrent4j.tagging.corpus;

import java.util.Locale;
import java.util.Map;

/**
 * Brown corpus tags to the 12 universal part-of-speech tags of Petrov, Das and McDonald (2012): NOUN, VERB, ADJ,
 * ADV, PRON, DET, ADP, NUM, CONJ, PRT, X and "." (punctuation). The base tags follow their Brown mapping; the
 * modifiers are read as the Brown manual defines them: {@code -tl} (title), {@code -hl} (headline) and {@code -nc}
 * (cited word) do not change the part of speech, {@code fw-} (foreign word) gives X, a trailing {@code *} (negated
 * verb: isn't) keeps the verb, and a contraction {@code a+b} (I'll) takes the part of speech of its first part.
 */
public final class UniversalTags {

    private static final Map<String, String> BASE = Map.ofEntries(
            Map.entry(".", "."), Map.entry(",", "."), Map.entry(":", "."), Map.entry("(", "."), Map.entry(")", "."),
            Map.entry("--", "."), Map.entry("``", "."), Map.entry("''", "."), Map.entry("'", "."),
            Map.entry("*", "ADV"),
            Map.entry("abl", "PRT"), Map.entry("abn", "PRT"), Map.entry("abx", "DET"), Map.entry("ap", "ADJ"),
            Map.entry("ap$", "PRT"), Map.entry("at", "DET"),
            Map.entry("be", "VERB"), Map.entry("bed", "VERB"), Map.entry("bedz", "VERB"), Map.entry("beg", "VERB"),
            Map.entry("bem", "VERB"), Map.entry("ben", "VERB"), Map.entry("ber", "VERB"), Map.entry("bez", "VERB"),
            Map.entry("cc", "CONJ"), Map.entry("cs", "ADP"), Map.entry("cd", "NUM"), Map.entry("od", "ADJ"),
            Map.entry("do", "VERB"), Map.entry("dod", "VERB"), Map.entry("doz", "VERB"),
            Map.entry("dt", "DET"), Map.entry("dti", "DET"), Map.entry("dts", "DET"), Map.entry("dtx", "DET"),
            Map.entry("ex", "DET"),
            Map.entry("hv", "VERB"), Map.entry("hvd", "VERB"), Map.entry("hvg", "VERB"), Map.entry("hvn", "VERB"),
            Map.entry("hvz", "VERB"),
            Map.entry("in", "ADP"),
            Map.entry("jj", "ADJ"), Map.entry("jjr", "ADJ"), Map.entry("jjs", "ADJ"), Map.entry("jjt", "ADJ"),
            Map.entry("md", "VERB"),
            Map.entry("nn", "NOUN"), Map.entry("nns", "NOUN"), Map.entry("np", "NOUN"), Map.entry("nps", "NOUN"),
            Map.entry("nr", "NOUN"), Map.entry("nrs", "NOUN"), Map.entry("pn", "NOUN"),
            Map.entry("pp$", "DET"), Map.entry("pp$$", "PRON"), Map.entry("ppl", "PRON"), Map.entry("ppls", "PRON"),
            Map.entry("ppo", "PRON"), Map.entry("pps", "PRON"), Map.entry("ppss", "PRON"),
            Map.entry("ql", "ADV"), Map.entry("qlp", "ADV"),
            Map.entry("rb", "ADV"), Map.entry("rbr", "ADV"), Map.entry("rbt", "ADV"), Map.entry("rn", "ADV"),
            Map.entry("rp", "PRT"), Map.entry("to", "PRT"), Map.entry("uh", "X"),
            Map.entry("vb", "VERB"), Map.entry("vbd", "VERB"), Map.entry("vbg", "VERB"), Map.entry("vbn", "VERB"),
            Map.entry("vbz", "VERB"),
            Map.entry("wdt", "DET"), Map.entry("wp$", "PRON"), Map.entry("wpo", "PRON"), Map.entry("wps", "PRON"),
            Map.entry("wql", "ADV"), Map.entry("wrb", "ADV"),
            Map.entry("nil", "X"));

    private UniversalTags() {
    }

    /**
     * @throws IllegalArgumentException for a tag outside the Brown tag set
     */
    public static String of(String brownTag) {
        String t = brownTag.toLowerCase(Locale.ROOT);
        if (t.startsWith("fw-")) {
            return "X";
        }
        int plus = t.indexOf('+');
        if (plus > 0) {
            t = t.substring(0, plus);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String suffix : new String[]{"-tl", "-hl", "-nc"}) {
                if (t.endsWith(suffix) && t.length() > suffix.length()) {
                    t = t.substring(0, t.length() - suffix.length());
                    changed = true;
                }
            }
        }
        String u = BASE.get(t);
        if (u == null && t.length() > 1 && t.endsWith("*")) {
            u = BASE.get(t.substring(0, t.length() - 1));
        }
        if (u == null && t.length() > 1 && t.endsWith("$")) {
            u = BASE.get(t.substring(0, t.length() - 1));
        }
        if (u == null) {
            throw new IllegalArgumentException("'" + brownTag + "' is not a Brown corpus tag");
        }
        return u;
    }
}
