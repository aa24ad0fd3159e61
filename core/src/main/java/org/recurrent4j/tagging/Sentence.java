package org.recurrent4j.tagging;

import java.util.List;

/**
 * One sentence: its tokens and, where known, their tags.
 *
 * @param line the line of the file where the sentence starts (1-based), or 0 where it did not come from a file
 */
public record Sentence(List<String> tokens, List<String> tags, int line) implements java.io.Serializable {

    public Sentence {
        tokens = List.copyOf(tokens);
        tags = tags == null ? null : List.copyOf(tags);
        if (tags != null && tags.size() != tokens.size()) {
            throw new IllegalArgumentException("a sentence needs one tag per token: " + tokens.size() + " tokens, "
                    + tags.size() + " tags");
        }
    }

    public int length() {
        return tokens.size();
    }
}
