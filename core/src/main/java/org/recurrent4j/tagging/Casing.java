package org.recurrent4j.tagging;

/** The shape of a token's letters, a feature the lower-cased word vocabulary cannot see. */
public enum Casing {
    PAD, LOWER, TITLE, UPPER, MIXED, NUMBER, HAS_DIGIT, OTHER;

    public static Casing of(String token) {
        int letters = 0;
        int upper = 0;
        int digits = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            } else if (Character.isDigit(c)) {
                digits++;
            }
        }
        if (digits > 0) {
            return digits == token.length() ? NUMBER : HAS_DIGIT;
        }
        if (letters == 0) {
            return OTHER;
        }
        if (upper == 0) {
            return LOWER;
        }
        if (upper == letters) {
            return letters == 1 ? TITLE : UPPER;
        }
        return upper == 1 && Character.isUpperCase(token.charAt(0)) ? TITLE : MIXED;
    }
}
