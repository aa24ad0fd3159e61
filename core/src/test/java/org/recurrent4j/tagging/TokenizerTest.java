package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {
    @Test
    void punctuationIsSplitOffAbbreviationsKeepTheirPeriod() {
        assertEquals(List.of("I", "like", "eating", "apple", "!"), Tokenizer.tokenize("I like eating apple!"));
        assertEquals(List.of("The", "Apple", "is", "a", "great", "company", "!"),
                Tokenizer.tokenize("The Apple is a great company!"));
        assertEquals(List.of("Apple", "Inc.", "rose", "3.5", "%", ",", "didn't", "it", "?"),
                Tokenizer.tokenize("Apple Inc. rose 3.5%, didn't it?"));
        assertEquals(List.of("She", "left", "."), Tokenizer.tokenize("She left."));
        assertEquals(List.of("the", "U.S.", "market"), Tokenizer.tokenize("the U.S. market"));
    }
}
