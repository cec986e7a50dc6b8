package com.communitypulse.sentiment;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Rule-based scorer over the curated lexicons: no training data, no model file.
 *
 * <p>One left-to-right pass finds the longest lexicon term at each position (forward maximum
 * matching, which is how Chinese chat text is segmented without a dictionary segmenter; Latin terms
 * only match on word boundaries). A second pass over the matched terms applies, per clause:
 *
 * <ul>
 *   <li>negation within {@value #NEGATION_WINDOW} unmatched characters/words: flips a term, damped for
 *       negated negatives ("不难吃", "not bad" are only mildly positive) and for negated intensified
 *       terms ("不太好", "not very good" are only mildly negative);
 *   <li>degree adverbs before (非常, very) or after (好吃极了, 难吃死了) a term multiply it; "excess"
 *       adverbs (太, 有点, too) in front of a word the lexicon does not know read as a complaint
 *       ("太干了", "有点腥") add a small negative weight, and before a mild descriptor they flip it
 *       ("太甜了", "too sweet") while strong praise stays praise ("太好吃了", "too good");
 *   <li>contrast (但是, but, however): what came before counts 0.7 times, what follows 1.3 times;
 *       concession (虽然, although): its own clause counts half;
 *   <li>"!"-runs amplify the clause; "??"-runs read as frustration and push it negative; a single "?"
 *       halves a positive clause (a question is not praise);
 *   <li>emoji and emoticons add their weight and are never negated.
 * </ul>
 *
 * The clause sums are squashed with {@code s / sqrt(s² + 4)} into [-1, 1]. Labels: negative below
 * {@code -}{@value #NEUTRAL_BAND}, positive above {@value #NEUTRAL_BAND}, neutral between.
 * Moderation categories are reported only for negative results. Stateless and thread-safe.
 */
final class LexiconScorer implements SentimentScorer {

    static final int NEGATION_WINDOW = 3;
    static final double NEUTRAL_BAND = 0.05;
    private static final double CONTRAST_BEFORE = 0.7;
    private static final double CONTRAST_AFTER = 1.3;
    private static final double CONCESSION = 0.5;
    private static final double MAX_DEGREE = 3.0;
    private static final double EXCESS_PENALTY = -0.8;
    private static final double MILD_PRAISE = 1.2;
    private static final int PUNCT_SOFT = -1;
    private static final int PUNCT_MARKS = -2;

    private final Lexicon lex;

    LexiconScorer(Lexicon lex) {
        this.lex = lex;
    }

    @Override
    public SentimentResult score(String text, String langHint) {
        if (text == null || text.isBlank()) {
            return SentimentResult.empty();
        }
        Analysis a = analyze(TextNormalizer.normalize(text), true);
        return a.toResult();
    }

    /** Lexicon-derived facts about one message, also used as features by the trained scorer. */
    static final class Analysis {
        double raw;
        double score;
        int positiveTerms;
        int negativeTerms;
        int negatedTerms;
        int categoryMask;
        int marks; // "!" / "?" runs
        List<String> matched;

        SentimentLabel label() {
            return score <= -NEUTRAL_BAND ? SentimentLabel.NEGATIVE
                    : score >= NEUTRAL_BAND ? SentimentLabel.POSITIVE : SentimentLabel.NEUTRAL;
        }

        Set<ModerationCategory> categories(SentimentLabel label) {
            if (categoryMask == 0 || label != SentimentLabel.NEGATIVE) {
                return Set.of();
            }
            EnumSet<ModerationCategory> set = EnumSet.noneOf(ModerationCategory.class);
            for (ModerationCategory c : ModerationCategory.values()) {
                if ((categoryMask & (1 << c.ordinal())) != 0) {
                    set.add(c);
                }
            }
            return set;
        }

        SentimentResult toResult() {
            SentimentLabel label = label();
            int evidence = positiveTerms + negativeTerms;
            double confidence;
            if (label == SentimentLabel.NEUTRAL) {
                // No evidence is a coin flip between "neutral" and "vocabulary we lack".
                confidence = evidence == 0 ? 0.5 : 0.4;
            } else {
                confidence = Math.min(1.0, 0.5 + 0.5 * Math.abs(score)) * (1.0 - Math.pow(0.5, evidence + 1));
            }
            return SentimentResult.of(score, label, confidence, categories(label),
                    matched == null ? List.of() : matched);
        }
    }

    Analysis analyze(char[] t, boolean collectTerms) {
        Analysis a = new Analysis();
        if (collectTerms) {
            a.matched = new ArrayList<>(4);
        }
        Tokens tk = tokenize(t);
        int n = tk.n;
        double total = 0;
        double clause = 0;
        double after = 1.0;
        boolean concession = false;
        int negCount = 0;
        int negGap = 0;
        boolean degreeAfterNeg = false;
        double degree = 1.0;
        boolean degreeActive = false;
        double excess = 0; // pending penalty of an unused excess adverb
        double last = 0;
        int lastEnd = -1;
        for (int k = 0; k < n; k++) {
            int id = tk.id[k];
            if (id < 0) {
                if (excess != 0 && tk.gap[k] > 0) {
                    clause += excess * after;
                }
                excess = 0;
                if (id == PUNCT_MARKS) {
                    a.marks++;
                    clause = applyMarks(clause, tk.aux[k] & 0xFFFF, tk.aux[k] >>> 16);
                }
                total += concession ? clause * CONCESSION : clause;
                clause = 0;
                concession = false;
                negCount = 0;
                degreeActive = false;
                last = 0;
                continue;
            }
            int gap = tk.gap[k];
            if (negCount > 0) {
                negGap += gap;
                if (negGap > NEGATION_WINDOW) {
                    negCount = 0;
                }
            }
            if (degreeActive && gap > 1) {
                degreeActive = false;
            }
            if (excess != 0 && gap > 0) {
                boolean consumed = gap <= 1 && (lex.flags[id] & Lexicon.SENTIMENT) != 0;
                if (!consumed) {
                    clause += excess * after;
                }
                excess = 0;
            }
            int f = lex.flags[id];
            if ((f & Lexicon.CATEGORY) != 0) {
                a.categoryMask |= lex.categoryMask[id];
                addTerm(a, id);
            }
            if ((f & Lexicon.CONTRAST) != 0) {
                total = (total + (concession ? clause * CONCESSION : clause)) * CONTRAST_BEFORE;
                clause = 0;
                after = CONTRAST_AFTER;
                concession = false;
                negCount = 0;
                degreeActive = false;
                continue;
            }
            if ((f & Lexicon.CONCESSION) != 0) {
                concession = true;
                continue;
            }
            boolean sentiment = (f & Lexicon.SENTIMENT) != 0;
            if ((f & Lexicon.NEGATOR) != 0 && (!sentiment || nextIsAdjacentTerm(tk, k))) {
                negCount++;
                negGap = 0;
                degreeAfterNeg = false;
                continue;
            }
            if ((f & Lexicon.DEGREE) != 0 && (!sentiment || nextIsAdjacentTerm(tk, k))) {
                degree = degreeActive ? Math.min(MAX_DEGREE, degree * lex.degree[id]) : lex.degree[id];
                degreeActive = true;
                degreeAfterNeg = negCount > 0;
                if ((f & Lexicon.EXCESS) != 0 && negCount == 0) {
                    excess = EXCESS_PENALTY * Math.min(1.0, lex.degree[id]);
                }
                continue;
            }
            if ((f & Lexicon.POST_DEGREE) != 0 && !sentiment) {
                if (last != 0 && gap == 0 && tk.start[k] - lastEnd <= 1) {
                    double boosted = last * lex.degree[id];
                    clause += boosted - last;
                    last = boosted;
                }
                continue;
            }
            if (!sentiment) {
                continue;
            }
            double w = lex.weight[id];
            if (w == 0) {
                continue;
            }
            if ((f & Lexicon.EMOJI) == 0) {
                if (negCount % 2 == 1) {
                    a.negatedTerms++;
                    if (degreeActive && degreeAfterNeg) {
                        w = -w * 0.4; // 不太好 / not very good: a softened denial, degree ignored
                    } else {
                        w = (degreeActive ? w * degree : w) * (w > 0 ? -0.8 : -0.5);
                    }
                } else if (degreeActive && excess != 0 && w > 0 && w < MILD_PRAISE) {
                    w = -w * degree; // 太甜了 / too sweet: "too" turns a mild descriptor into a complaint
                } else if (degreeActive) {
                    w *= degree;
                }
            }
            w *= after;
            clause += w;
            last = w;
            lastEnd = tk.end[k];
            if (w > 0) {
                a.positiveTerms++;
            } else {
                a.negativeTerms++;
            }
            if ((f & Lexicon.CATEGORY) == 0) {
                addTerm(a, id);
            }
            negCount = 0;
            degreeActive = false;
            excess = 0;
        }
        total += concession ? clause * CONCESSION : clause;
        a.raw = total;
        a.score = total / Math.sqrt(total * total + 4.0);
        return a;
    }

    private static double applyMarks(double clause, int exclamations, int questions) {
        if (exclamations > 0) {
            clause *= 1.0 + 0.15 * Math.min(exclamations, 4);
        }
        if (questions >= 2) {
            // "还没到？？？" – repeated question marks in chat are exasperation, not curiosity.
            clause = clause > 0 ? -0.5 * clause - 0.6 : clause * 1.3 - 0.6;
        } else if (questions == 1 && clause > 0) {
            clause *= 0.5;
        }
        return clause;
    }

    private boolean nextIsAdjacentTerm(Tokens tk, int k) {
        int j = k + 1;
        return j < tk.n && tk.id[j] >= 0 && tk.gap[j] == 0
                && (lex.flags[tk.id[j]] & (Lexicon.SENTIMENT | Lexicon.NEGATOR)) != 0;
    }

    private void addTerm(Analysis a, int id) {
        if (a.matched != null && !a.matched.contains(lex.terms[id])) {
            a.matched.add(lex.terms[id]);
        }
    }

    /** Matched terms and punctuation runs in text order; gap = unmatched chars/words before each. */
    static final class Tokens {
        int n;
        int[] id = new int[16];
        int[] start = new int[16];
        int[] end = new int[16];
        int[] gap = new int[16];
        int[] aux = new int[16];

        void add(int tokenId, int s, int e, int g, int x) {
            if (n == id.length) {
                int cap = n * 2;
                id = java.util.Arrays.copyOf(id, cap);
                start = java.util.Arrays.copyOf(start, cap);
                end = java.util.Arrays.copyOf(end, cap);
                gap = java.util.Arrays.copyOf(gap, cap);
                aux = java.util.Arrays.copyOf(aux, cap);
            }
            id[n] = tokenId;
            start[n] = s;
            end[n] = e;
            gap[n] = g;
            aux[n] = x;
            n++;
        }
    }

    Tokens tokenize(char[] t) {
        Tokens tk = new Tokens();
        int len = t.length;
        int i = 0;
        int gap = 0;
        while (i < len) {
            char c = t[i];
            if (TextNormalizer.isSpace(c) || TextNormalizer.isTransparent(c)) {
                i++;
                continue;
            }
            long m = longestMatch(t, i);
            if (m >= 0) {
                int end = (int) m;
                tk.add((int) (m >>> 32), i, end, gap, 0);
                gap = 0;
                i = end;
                continue;
            }
            if (c == '!' || c == '?') {
                int excl = 0;
                int ques = 0;
                int j = i;
                for (; j < len; j++) {
                    char d = t[j];
                    if (d == '!') {
                        excl++;
                    } else if (d == '?') {
                        ques++;
                    } else if (!TextNormalizer.isSpace(d)) {
                        break;
                    }
                }
                tk.add(PUNCT_MARKS, i, j, gap, Math.min(excl, 0xFFFF) | (Math.min(ques, 0x7FFF) << 16));
                gap = 0;
                i = j;
                continue;
            }
            if (c == ',' || c == '.' || c == ';' || c == '\n' || c == '~' || c == ':') {
                int j = i + 1;
                while (j < len && (t[j] == c || TextNormalizer.isSpace(t[j]))) {
                    j++;
                }
                tk.add(PUNCT_SOFT, i, j, gap, 0);
                gap = 0;
                i = j;
                continue;
            }
            if (TextNormalizer.isWordChar(c)) {
                while (i < len && TextNormalizer.isWordChar(t[i])) {
                    i++;
                }
            } else {
                i++;
            }
            gap++;
        }
        tk.add(PUNCT_SOFT, len, len, gap, 0);
        return tk;
    }

    /** Longest lexicon term starting at {@code from}: (termId << 32) | end, or -1. */
    private long longestMatch(char[] t, int from) {
        int len = t.length;
        TermTrie trie = lex.trie;
        int node = 0;
        long best = -1;
        int i = from;
        if (from > 0 && TextNormalizer.isWordChar(t[from]) && TextNormalizer.isWordChar(t[from - 1])) {
            return -1;
        }
        while (i < len) {
            char c = t[i];
            if (TextNormalizer.isSpace(c)) {
                node = trie.child(node, ' ');
                i++;
                while (i < len && TextNormalizer.isSpace(t[i])) {
                    i++;
                }
            } else if (TextNormalizer.isTransparent(c)) {
                i++;
                continue;
            } else {
                node = trie.child(node, c);
                i++;
            }
            if (node < 0) {
                break;
            }
            int term = trie.termAt(node);
            if (term >= 0 && (i >= len || !lex.needsEndBoundary[term] || !TextNormalizer.isWordChar(t[i]))) {
                best = ((long) term << 32) | i;
            }
        }
        return best;
    }
}
