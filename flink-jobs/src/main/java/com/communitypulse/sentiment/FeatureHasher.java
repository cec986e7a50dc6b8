package com.communitypulse.sentiment;

/**
 * Turns a normalised message into hashed sparse features for the trained scorer: character 1-, 2- and
 * 3-grams over runs of non-Latin text (Chinese, emoji, punctuation, digits folded to {@code 0}); word
 * unigrams and bigrams over Latin words, plus character 4-grams of each word with its boundaries
 * ({@code ^disa}, {@code appo}, ..., {@code ing$}) so "disappointing" and "disappointed" share evidence.
 * Hashing (no vocabulary) keeps the model a fixed-size array and lets it score words it never saw
 * without a lookup table. Indices go into a caller-owned {@code int[]}: nothing is allocated per
 * message. Stateless.
 */
final class FeatureHasher {

    private static final long NS_CHAR1 = 0x9E3779B97F4A7C15L;
    private static final long NS_CHAR2 = 0xC2B2AE3D27D4EB4FL;
    private static final long NS_CHAR3 = 0x165667B19E3779F9L;
    private static final long NS_WORD1 = 0x27D4EB2F165667C5L;
    private static final long NS_WORD2 = 0x85EBCA77C2B2AE63L;
    private static final long NS_WCHAR = 0x94D049BB133111EBL;

    /** Length of the in-word character n-grams of Latin words. */
    static final int WORD_GRAM = 4;

    private FeatureHasher() {}

    /** An upper bound of {@link #hash}'s feature count for a text of {@code len} chars. */
    static int bound(int len) {
        // per char at most 3 (a CJK char: 1-, 2-, 3-gram) or 1 word-gram + 1 of the word's own (uni, bi)
        return 3 * len + 8;
    }

    /**
     * Writes feature indices in [0, 2^bits), with repeats, into {@code out[0..n)} and returns n.
     *
     * @param out at least {@link #bound}{@code (t.length)} long
     */
    static int hash(char[] t, int bits, int[] out) {
        int n = 0;
        int shift = 64 - bits;
        int len = t.length;
        char p1 = 0; // previous two chars in the current non-Latin run
        char p2 = 0;
        int runLen = 0;
        long prevWord = 0;
        boolean hasPrevWord = false;
        int i = 0;
        while (i < len) {
            char c = t[i];
            if (TextNormalizer.isSpace(c) || TextNormalizer.isTransparent(c) || c == '\n') {
                i++;
                continue;
            }
            if (isLatinLetter(c)) {
                long h = 0xcbf29ce484222325L;
                int j = i;
                while (j < len && (isLatinLetter(t[j]) || t[j] == '\'')) {
                    h = (h ^ t[j]) * 0x100000001b3L;
                    j++;
                }
                out[n++] = (int) (mix(h ^ NS_WORD1) >>> shift);
                if (hasPrevWord) {
                    out[n++] = (int) (mix((prevWord * 31 + h) ^ NS_WORD2) >>> shift);
                }
                n = wordGrams(t, i, j, shift, out, n);
                prevWord = h;
                hasPrevWord = true;
                runLen = 0;
                i = j;
                continue;
            }
            // A non-Latin char ends a word sequence and joins the current char run.
            hasPrevWord = false;
            char d = (c >= '0' && c <= '9') ? '0' : c;
            out[n++] = (int) (mix(d ^ NS_CHAR1) >>> shift);
            if (runLen >= 1) {
                out[n++] = (int) (mix(((long) p1 << 16 | d) ^ NS_CHAR2) >>> shift);
            }
            if (runLen >= 2) {
                out[n++] = (int) (mix(((long) p2 << 32 | (long) p1 << 16 | d) ^ NS_CHAR3) >>> shift);
            }
            p2 = p1;
            p1 = d;
            runLen++;
            i++;
            if (i < len && (TextNormalizer.isSpace(t[i]) || isLatinLetter(t[i]))) {
                runLen = 0;
            }
        }
        return n;
    }

    /**
     * Character {@value #WORD_GRAM}-grams of {@code t[from, to)} padded with boundary marks; words of
     * up to {@value #WORD_GRAM} - 2 letters are already covered by their unigram and get none.
     * A word of k letters gives k - 1 grams, which keeps the total within {@link #bound}.
     */
    private static int wordGrams(char[] t, int from, int to, int shift, int[] out, int n) {
        int k = to - from;
        if (k <= WORD_GRAM - 2) {
            return n;
        }
        int padded = k + 2; // '^' word '$'
        for (int s = 0; s + WORD_GRAM <= padded; s++) {
            long h = NS_WCHAR;
            for (int q = s; q < s + WORD_GRAM; q++) {
                char ch = q == 0 ? '^' : q == padded - 1 ? '$' : t[from + q - 1];
                h = (h ^ ch) * 0x100000001b3L;
            }
            out[n++] = (int) (mix(h) >>> shift);
        }
        return n;
    }

    private static boolean isLatinLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c < 0x2E80 && Character.isLetter(c));
    }

    /** True when the lexicon pass found nothing: no sentiment or category term and a score of 0 ("??" scores). */
    static boolean noLexiconEvidence(float[] dense) {
        for (int o = 0; o < DENSE; o += PER_LANG) {
            if (dense[o + 1] != 0f || dense[o + 4] != 0f || dense[o + 5] != 0f || dense[o + 7] != 0f) {
                return false;
            }
        }
        return true;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Lexicon features per language block; the block count and size are part of the model file format. */
    static final int PER_LANG = 9;

    /** Two blocks, Chinese-script text first, Latin-script text second: the lexicons differ in calibration. */
    static final int DENSE = 2 * PER_LANG;

    /**
     * Fills {@code out} (length {@link #DENSE}, zeroed by this method) from the lexicon pass. Only the
     * block of the message's dominant script is set, so each language's lexicon is calibrated on its
     * own data.
     */
    static void denseFeatures(char[] t, LexiconScorer.Analysis a, float[] out) {
        java.util.Arrays.fill(out, 0f);
        int cjk = 0;
        int latin = 0;
        for (char c : t) {
            if (TextNormalizer.isCjk(c)) {
                cjk++;
            } else if (c < 0x80 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                latin++;
            }
        }
        // A Chinese char carries about a word's worth of meaning, an English word about five letters.
        int o = cjk * 4 >= latin ? 0 : PER_LANG;
        out[o] = 1f; // per-language intercept: the dev sets' class balance differs by language
        out[o + 1] = (float) a.score;
        out[o + 2] = a.label() == SentimentLabel.NEGATIVE ? 1f : 0f;
        out[o + 3] = a.label() == SentimentLabel.POSITIVE ? 1f : 0f;
        out[o + 4] = Math.min(a.positiveTerms, 5) / 5f;
        out[o + 5] = Math.min(a.negativeTerms, 5) / 5f;
        out[o + 6] = a.negatedTerms > 0 ? 1f : 0f;
        out[o + 7] = a.categoryMask != 0 ? 1f : 0f;
        out[o + 8] = a.marks > 0 ? 1f : 0f;
    }
}
