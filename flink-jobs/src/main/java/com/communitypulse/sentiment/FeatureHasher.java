package com.communitypulse.sentiment;

import java.util.Arrays;

/**
 * Turns a normalised message into hashed sparse features for the trained scorer: character 1-, 2- and
 * 3-grams over runs of non-Latin text (Chinese, emoji, punctuation, digits folded to {@code 0}) and word
 * unigrams and bigrams over Latin words. Hashing (no vocabulary) keeps the model a fixed-size array
 * and lets it score words it never saw without a lookup table. Stateless.
 */
final class FeatureHasher {

    private static final long NS_CHAR1 = 0x9E3779B97F4A7C15L;
    private static final long NS_CHAR2 = 0xC2B2AE3D27D4EB4FL;
    private static final long NS_CHAR3 = 0x165667B19E3779F9L;
    private static final long NS_WORD1 = 0x27D4EB2F165667C5L;
    private static final long NS_WORD2 = 0x85EBCA77C2B2AE63L;

    private FeatureHasher() {}

    /** Feature indices in [0, 2^bits), with repeats; {@code out[0]} of the returned pair is the count. */
    static int[] features(char[] t, int bits) {
        int[] out = new int[Math.max(8, t.length * 3 + 1)];
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
                out = ensure(out, n + 2);
                out[++n] = (int) (mix(h ^ NS_WORD1) >>> shift);
                if (hasPrevWord) {
                    out[++n] = (int) (mix((prevWord * 31 + h) ^ NS_WORD2) >>> shift);
                }
                prevWord = h;
                hasPrevWord = true;
                runLen = 0;
                i = j;
                continue;
            }
            // A non-Latin char ends a word sequence and joins the current char run.
            hasPrevWord = false;
            char d = (c >= '0' && c <= '9') ? '0' : c;
            out = ensure(out, n + 3);
            out[++n] = (int) (mix(d ^ NS_CHAR1) >>> shift);
            if (runLen >= 1) {
                out[++n] = (int) (mix(((long) p1 << 16 | d) ^ NS_CHAR2) >>> shift);
            }
            if (runLen >= 2) {
                out[++n] = (int) (mix(((long) p2 << 32 | (long) p1 << 16 | d) ^ NS_CHAR3) >>> shift);
            }
            p2 = p1;
            p1 = d;
            runLen++;
            i++;
            if (i < len && (TextNormalizer.isSpace(t[i]) || isLatinLetter(t[i]))) {
                runLen = 0;
            }
        }
        out[0] = n;
        return out;
    }

    private static int[] ensure(int[] a, int needed) {
        return needed < a.length ? a : Arrays.copyOf(a, Math.max(a.length * 2, needed + 1));
    }

    private static boolean isLatinLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c < 0x2E80 && Character.isLetter(c));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Dense features from the lexicon pass; their count is part of the model file format. */
    static final int DENSE = 8;

    static void denseFeatures(LexiconScorer.Analysis a, float[] out) {
        out[0] = (float) a.score;
        out[1] = a.label() == SentimentLabel.NEGATIVE ? 1f : 0f;
        out[2] = a.label() == SentimentLabel.POSITIVE ? 1f : 0f;
        out[3] = Math.min(a.positiveTerms, 5) / 5f;
        out[4] = Math.min(a.negativeTerms, 5) / 5f;
        out[5] = a.negatedTerms > 0 ? 1f : 0f;
        out[6] = a.categoryMask != 0 ? 1f : 0f;
        out[7] = a.positiveTerms + a.negativeTerms == 0 ? 1f : 0f;
    }
}
