package org.recurrent4j.tagging;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a line into tokens the way the CoNLL data is tokenized: words (with inner hyphens and apostrophes) and
 * numbers stay whole, punctuation becomes tokens of its own, and common abbreviations keep their period.
 */
public final class Tokenizer {

    private static final Set<String> ABBREVIATIONS = Set.of("inc.", "corp.", "ltd.", "co.", "mr.", "mrs.", "ms.",
            "dr.", "st.", "jr.", "sr.", "u.s.", "u.k.", "e.g.", "i.e.", "vs.", "etc.");
    private static final Pattern TOKEN = Pattern.compile(
            "(?:[A-Za-z]\\.){2,}|\\p{L}[\\p{L}\\p{N}]*(?:['’-][\\p{L}\\p{N}]+)*\\.?|\\p{N}+(?:[.,]\\p{N}+)*|\\S");

    private Tokenizer() {
    }

    public static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(line);
        while (m.find()) {
            String t = m.group();
            if (t.length() > 1 && t.endsWith(".") && !ABBREVIATIONS.contains(t.toLowerCase(java.util.Locale.ROOT))
                    && !t.matches("(?:[A-Za-z]\\.){2,}")) {
                out.add(t.substring(0, t.length() - 1));
                out.add(".");
            } else {
                out.add(t);
            }
        }
        return out;
    }
}
