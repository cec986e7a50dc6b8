package com.communitypulse.sentiment;

/**
 * Character classes and the one-to-one normalisation shared by the lexicon matcher, the feature
 * hasher and the lexicon loader. Normalising char by char keeps offsets identical to the input, so
 * no index mapping is needed and nothing but one {@code char[]} is allocated per message.
 */
final class TextNormalizer {

    private TextNormalizer() {}

    /** Lower-cases, folds full-width forms to ASCII and curly apostrophes to {@code '}. */
    static char normalize(char c) {
        if (c < 0x80) {
            return (c >= 'A' && c <= 'Z') ? (char) (c + 32) : c;
        }
        if (c >= 0xFF01 && c <= 0xFF5E) {
            // Full-width ASCII (！？，Ａ１) is what Chinese IMEs type; fold it so one lexicon entry covers both.
            char a = (char) (c - 0xFEE0);
            return (a >= 'A' && a <= 'Z') ? (char) (a + 32) : a;
        }
        switch (c) {
            case 0x3000: // ideographic space
                return ' ';
            case 0x2018:
            case 0x2019:
                return '\'';
            case 0x3002: // 。
            case 0xFF61:
                return '.';
            case 0x3001: // 、
                return ',';
            case 0x2026: // …
                return '.';
            default:
                return Character.isSurrogate(c) ? c : Character.toLowerCase(c);
        }
    }

    static char[] normalize(String text) {
        char[] out = new char[text.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = normalize(text.charAt(i));
        }
        return out;
    }

    static String normalizeTerm(String term) {
        String t = new String(normalize(term.strip()));
        // Runs of spaces in a multi-word term match any whitespace run in the text.
        return t.replaceAll("\\s+", " ");
    }

    /** Letters and digits of alphabetic scripts, plus the apostrophe inside "didn't". */
    static boolean isWordChar(char c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '\'';
        }
        return c < 0x2E80 && Character.isLetterOrDigit(c);
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xA0;
    }

    /** Invisible joiners and emoji variation selectors: skipped so "❤️" matches the lexicon's "❤". */
    static boolean isTransparent(char c) {
        return c == 0xFE0F || c == 0xFE0E || c == 0x200D || c == 0x200B;
    }

    static boolean isCjk(char c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF);
    }
}
