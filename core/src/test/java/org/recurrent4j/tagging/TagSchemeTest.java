package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TagSchemeTest {

    // "Apple Inc. and Google Microsoft sell apples": two adjacent ORG chunks (Google, Microsoft)
    static final List<String> BIO = List.of("B-ORG", "I-ORG", "O", "B-ORG", "B-ORG", "O", "B-FRUIT");
    static final List<String> IOB1 = List.of("I-ORG", "I-ORG", "O", "I-ORG", "B-ORG", "O", "I-FRUIT");
    static final List<String> BIOES = List.of("B-ORG", "E-ORG", "O", "S-ORG", "S-ORG", "O", "S-FRUIT");
    static final List<Span> SPANS = List.of(new Span("ORG", 0, 2), new Span("ORG", 3, 4), new Span("ORG", 4, 5),
            new Span("FRUIT", 6, 7));

    @Test
    void everySchemeReadsToTheSameChunks() {
        assertEquals(SPANS, TagScheme.spans(BIO));
        assertEquals(SPANS, TagScheme.spans(IOB1));
        assertEquals(SPANS, TagScheme.spans(BIOES));
    }

    @Test
    void conversionsBetweenAllSchemes() {
        for (List<String> from : List.of(BIO, IOB1, BIOES)) {
            assertEquals(BIO, TagScheme.BIO.convert(from));
            assertEquals(IOB1, TagScheme.IOB1.convert(from));
            assertEquals(BIOES, TagScheme.BIOES.convert(from));
        }
    }

    @Test
    void aLongChunkInBioes() {
        assertEquals(List.of("B-ORG", "I-ORG", "E-ORG"), TagScheme.BIOES.convert(List.of("B-ORG", "I-ORG", "I-ORG")));
    }

    @Test
    void conllevalReadsAnIAfterOAsAChunkStartAndATypeChangeAsABoundary() {
        assertEquals(List.of(new Span("ORG", 1, 3), new Span("FRUIT", 3, 4)),
                TagScheme.spans(List.of("O", "I-ORG", "I-ORG", "I-FRUIT")));
    }

    @Test
    void invalidTagsAndSchemesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TagScheme.BIO.validate(List.of("B-ORG", "E-ORG")));
        assertTrue(e.getMessage().contains("'E-ORG'") && e.getMessage().contains("token 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TagScheme.BIO.validate(List.of("ORG")));
        e = assertThrows(IllegalArgumentException.class, () -> TagScheme.parse("BILOU"));
        assertTrue(e.getMessage().contains("'BILOU'"));
        assertEquals(TagScheme.BIO, TagScheme.parse("iob2"));
    }

    /** A sequence is allowed by the constraints exactly when it is its own canonical form in the scheme. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = TagScheme.class, names = {"BIO", "BIOES"})
    void decodingConstraintsAllowExactlyTheWellFormedSequences(TagScheme scheme) {
        java.util.List<String> tags = new java.util.ArrayList<>(java.util.List.of("O"));
        for (String type : new String[]{"PER", "ORG"}) {
            for (char p : (scheme == TagScheme.BIO ? "BI" : "BIES").toCharArray()) {
                tags.add(p + "-" + type);
            }
        }
        TagScheme.Constraints c = scheme.constraints(tags);
        int k = tags.size();
        int checked = 0;
        for (int len = 1; len <= 4; len++) {
            int[] seq = new int[len];
            for (int code = 0; code < Math.pow(k, len); code++) {
                int x = code;
                for (int t = 0; t < len; t++) {
                    seq[t] = x % k;
                    x /= k;
                }
                boolean allowed = c.start()[seq[0]] && c.end()[seq[len - 1]];
                java.util.List<String> s = new java.util.ArrayList<>();
                for (int t = 0; t < len; t++) {
                    s.add(tags.get(seq[t]));
                    if (t > 0) {
                        allowed &= c.transitions()[seq[t - 1]][seq[t]];
                    }
                }
                assertEquals(scheme.convert(s).equals(s), allowed, s.toString());
                checked++;
            }
        }
        assertTrue(checked > 700, "sequences checked: " + checked);
        assertEquals(null, scheme.constraints(java.util.List.of("NOUN", "VERB")));
    }
}
