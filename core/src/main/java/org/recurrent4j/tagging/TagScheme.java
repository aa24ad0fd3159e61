package org.recurrent4j.tagging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Tag schemes of chunked sequences: IOB1 (I inside, B only between two adjacent chunks of one type), BIO (IOB2: B
 * starts every chunk) and BIOES (S single-token chunks, E chunk ends). Chunks are read with conlleval's rules, so any
 * scheme, or a mix, is read the way conlleval reads it.
 */
public enum TagScheme {
    IOB1("BI"), BIO("BI"), BIOES("BIES");

    private final String prefixes;

    TagScheme(String prefixes) {
        this.prefixes = prefixes;
    }

    public static TagScheme parse(String s) {
        String u = s.trim().toUpperCase(Locale.ROOT);
        if (u.equals("IOB2")) {
            return BIO;
        }
        try {
            return valueOf(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown tag scheme '" + s + "': use IOB1, BIO (IOB2) or BIOES");
        }
    }

    /**
     * Checks that every tag is {@code O} or {@code P-TYPE} with a prefix this scheme uses.
     *
     * @throws IllegalArgumentException naming the first tag that is not, and its position
     */
    public void validate(List<String> tags) {
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            if (t.equals("O")) {
                continue;
            }
            if (t.length() < 3 || t.charAt(1) != '-' || prefixes.indexOf(t.charAt(0)) < 0) {
                throw new IllegalArgumentException("tag '" + t + "' at token " + (i + 1) + " is not valid in " + this
                        + ": expected O or one of " + Arrays.toString(prefixes.chars().mapToObj(c -> (char) c + "-TYPE")
                        .toArray()));
            }
        }
    }

    /**
     * Which tag may follow which, and which may start or end a sentence, in a tag set of this scheme: the decoding
     * constraints of a CRF (as AllenNLP's {@code allowed_transitions}). BIO: I-X only after B-X or I-X. BIOES: I-X and
     * E-X only after B-X or I-X; O, B and S only after O, E or S; a sentence starts with O, B or S and ends with O, E
     * or S. IOB1, or tags that are not {@code O} and {@code P-TYPE}, have none: null.
     */
    public Constraints constraints(List<String> tags) {
        if (this == IOB1) {
            return null;
        }
        int k = tags.size();
        for (String t : tags) {
            if (!t.equals("O") && (t.length() < 3 || t.charAt(1) != '-' || prefixes.indexOf(t.charAt(0)) < 0)) {
                return null;
            }
        }
        boolean[][] allowed = new boolean[k][k];
        boolean[] start = new boolean[k];
        boolean[] end = new boolean[k];
        for (int j = 0; j < k; j++) {
            String p = prefix(tags.get(j));
            boolean continues = p.equals("I") || p.equals("E");
            start[j] = !continues;
            end[j] = this == BIO || !(p.equals("B") || p.equals("I"));
            for (int i = 0; i < k; i++) {
                String q = prefix(tags.get(i));
                boolean open = q.equals("B") || q.equals("I");
                boolean sameType = type(tags.get(i)).equals(type(tags.get(j)));
                if (this == BIO) {
                    allowed[i][j] = !p.equals("I") || (open && sameType);
                } else {
                    allowed[i][j] = open ? continues && sameType : !continues;
                }
            }
        }
        return new Constraints(allowed, start, end);
    }

    /** Decoding constraints: {@code transitions[i][j]}: may tag j follow tag i. */
    public record Constraints(boolean[][] transitions, boolean[] start, boolean[] end) {
    }

    /** The chunks of a tag sequence, read as conlleval reads them. */
    public static List<Span> spans(List<String> tags) {
        List<Span> spans = new ArrayList<>();
        String prevTag = "O";
        String prevType = "";
        int start = -1;
        for (int i = 0; i <= tags.size(); i++) {
            String tag = i < tags.size() ? tags.get(i) : "O";
            String p = prefix(tag);
            String type = type(tag);
            if (start >= 0 && endOfChunk(prefix(prevTag), p, prevType, type)) {
                spans.add(new Span(prevType, start, i));
                start = -1;
            }
            if (startOfChunk(prefix(prevTag), p, prevType, type)) {
                start = i;
            }
            prevTag = tag;
            prevType = type;
        }
        return spans;
    }

    /** Writes chunks as tags of this scheme. */
    public List<String> encode(List<Span> spans, int length) {
        String[] out = new String[length];
        Arrays.fill(out, "O");
        Span prev = null;
        for (Span s : spans) {
            for (int i = s.start(); i < s.end(); i++) {
                boolean first = i == s.start();
                boolean last = i == s.end() - 1;
                String p = switch (this) {
                    case BIO -> first ? "B" : "I";
                    case BIOES -> first && last ? "S" : first ? "B" : last ? "E" : "I";
                    case IOB1 -> first && prev != null && prev.end() == s.start() && prev.type().equals(s.type())
                            ? "B" : "I";
                };
                out[i] = p + "-" + s.type();
            }
            prev = s;
        }
        return Arrays.asList(out);
    }

    /** Converts a tag sequence from any scheme to this one. */
    public List<String> convert(List<String> tags) {
        return encode(spans(tags), tags.size());
    }

    private static String prefix(String tag) {
        return tag.equals("O") || tag.length() < 2 || tag.charAt(1) != '-' ? "O" : tag.substring(0, 1);
    }

    private static String type(String tag) {
        return tag.equals("O") || tag.length() < 3 ? "" : tag.substring(2);
    }

    // conlleval's endOfChunk and startOfChunk
    private static boolean endOfChunk(String prev, String cur, String prevType, String type) {
        return (prev.equals("B") && (cur.equals("B") || cur.equals("S") || cur.equals("O")))
                || (prev.equals("I") && (cur.equals("B") || cur.equals("S") || cur.equals("O")))
                || prev.equals("E") || prev.equals("S")
                || (!prev.equals("O") && !prevType.equals(type));
    }

    private static boolean startOfChunk(String prev, String cur, String prevType, String type) {
        return cur.equals("B") || cur.equals("S")
                || (prev.equals("E") && (cur.equals("E") || cur.equals("I")))
                || (prev.equals("S") && (cur.equals("E") || cur.equals("I")))
                || (prev.equals("O") && (cur.equals("E") || cur.equals("I")))
                || (!cur.equals("O") && !prevType.equals(type));
    }
}
