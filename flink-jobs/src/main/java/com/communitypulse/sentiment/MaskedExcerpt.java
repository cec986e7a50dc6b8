package com.communitypulse.sentiment;

import java.util.List;

/**
 * A short excerpt of a message for moderators in which only the matched lexicon terms are readable:
 * every other character becomes {@code *}, except whitespace, which is kept so the excerpt stays
 * legible ("**** ** * scam, ..." rather than one run of stars). Terms are found with the scorer's own
 * char-by-char normalisation (case, full-width forms), so offsets match the original text.
 */
public final class MaskedExcerpt {
    /** Longest excerpt, in code points. */
    public static final int MAX_CHARS = 80;
    /** Context kept before the first matched term when the message has to be cut. */
    private static final int LEAD = 20;

    private MaskedExcerpt() {}

    public static String of(String text, List<String> terms) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        char[] norm = TextNormalizer.normalize(text);
        boolean[] keep = new boolean[text.length()];
        int first = -1;
        String normText = new String(norm);
        for (String term : terms) {
            if (term.isEmpty()) continue;
            for (int at = normText.indexOf(term); at >= 0; at = normText.indexOf(term, at + term.length())) {
                for (int i = at; i < at + term.length(); i++) keep[i] = true;
                first = first < 0 ? at : Math.min(first, at);
            }
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_CHARS * 2));
        int total = text.codePointCount(0, text.length());
        int startCp = 0;
        if (total > MAX_CHARS && first > 0) {
            startCp = Math.max(0, Math.min(text.codePointCount(0, first) - LEAD, total - MAX_CHARS));
        }
        int i = text.offsetByCodePoints(0, startCp);
        for (int n = 0; n < MAX_CHARS && i < text.length(); n++) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            if (keep[i]) {
                sb.appendCodePoint(cp);
            } else {
                sb.append(Character.isWhitespace(cp) ? (char) cp : '*');
            }
            i += len;
        }
        return sb.toString();
    }
}
