package com.communitypulse.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a negative message holds a complaint a moderator must see, and says why in words
 * (docs/SEMANTICS.md, "How negative-message alerts decide"; cue lists: {@code sentiment/README.md}).
 *
 * <ul>
 *   <li><b>Clauses, not sums.</b> The message is cut at clause and sentence punctuation (full- and
 *       half-width) and at contrast words; each clause is scored alone by the lexicon rules, with the
 *       contrast weights of the whole-message score. The message counts by its most negative
 *       qualifying clause, so a long post whose many weak terms add up does not alert.
 *   <li><b>Complaint sense.</b> A category term counts in one of three ways: a <i>topic</i> (the
 *       lexicon's weight-0 nouns such as 客服, delivery) only when its clause says something negative
 *       about it; an <i>ambiguous</i> term (late, 慢, scam, stupid; listed in {@code cues.tsv}) only
 *       with its cue in the same sentence (an order or parcel, a waiting time, a deictic "this is",
 *       a person it is aimed at, a refund demand); any other category term by itself. A sentence that
 *       talks <i>about</i> fraud, fakes, abuse or complaints (如何识别, how to avoid, trolling in
 *       general) reports none of them.
 *   <li><b>Questions and thanks</b> are not complaints unless they are concrete: a category in
 *       complaint sense plus a waiting time or repeated question marks ("why is my parcel still not
 *       here after 10 days?").
 *   <li><b>Critical</b> means act now: a fraud, counterfeit or abuse report whose clause scores at
 *       most {@value #CRITICAL_SCORE}, or a health or safety term in the clause.
 * </ul>
 *
 * Run only on messages the scorer labelled negative. Immutable and thread-safe once built.
 */
public final class NegativeRules {

    /** A clause at most this negative contributes its categories to the finding. */
    public static final double INCLUDE_SCORE = -0.3;
    /** A fraud, counterfeit or abuse clause at most this negative is critical. */
    public static final double CRITICAL_SCORE = -0.75;
    /** A neighbouring clause at most this negative counts with a complaint clause. */
    static final double CLEAR_SIBLING = -0.6;
    /** Longest masked clause, in code points. */
    public static final int MAX_CLAUSE_CHARS = 80;

    static final int AMBIGUOUS = 1;
    static final int CONTEXT = 1 << 1;
    static final int DURATION = 1 << 2;
    static final int UNIT = 1 << 3;
    static final int REPORT = 1 << 4;
    static final int DISCUSSION = 1 << 5;
    static final int TARGET = 1 << 6;
    static final int DEMAND = 1 << 7;
    static final int QUESTION = 1 << 8;
    static final int THANKS = 1 << 9;
    static final int SAFETY = 1 << 10;
    static final int HYPOTHETICAL = 1 << 11;
    static final int ANCHOR = 1 << 12;
    static final int RETRACT = 1 << 13;
    static final int NOTICE = 1 << 14;
    static final int GENRE = 1 << 15;
    static final int REPEAT = 1 << 16;
    /** A message with this many sentences, or this many chars, is a long post: its complaint sentence needs an anchor. */
    static final int LONG_POST_SENTENCES = 4;
    static final int LONG_POST_CHARS = 100;

    private static final String[] KIND_NAMES = {"ambiguous", "context", "duration", "unit", "report", "discussion", "target",
        "demand", "question", "thanks", "safety", "hypothetical", "anchor",
        "retract", "notice", "genre", "repeat"};
    private static final int DELIVERY = bit(ModerationCategory.DELIVERY);
    private static final int QUALITY = bit(ModerationCategory.QUALITY);
    private static final int SERVICE = bit(ModerationCategory.SERVICE);
    private static final int REFUND = bit(ModerationCategory.REFUND);
    private static final int REPORTED = bit(ModerationCategory.FRAUD) | bit(ModerationCategory.COUNTERFEIT) | bit(ModerationCategory.COMPLAINT);
    private static final int ABUSE = bit(ModerationCategory.ABUSE);
    /** Categories a discussion of the subject does not report. */
    private static final int DISCUSSABLE = REPORTED | ABUSE;
    private static final int CRITICAL_CATEGORIES = bit(ModerationCategory.FRAUD) | bit(ModerationCategory.COUNTERFEIT) | ABUSE;
    private static final String NUMERALS = "0123456789一二两三四五六七八九十几半多百";
    private static final Set<String> NUMBER_WORDS = Set.of("a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "few", "several", "couple", "many", "48", "24");

    private static volatile NegativeRules bundled;

    private final Lexicon lex;
    private final LexiconScorer scorer;
    private final TermTrie cueTrie;
    private final String[] cueTerms;
    private final int[] cueKinds;
    private final int[] cueContext;
    private final boolean[] cueEndBoundary;
    /** Per lexicon term id: the categories for which the term needs a cue. */
    private final int[] ambiguous;

    private NegativeRules(Lexicon lex, Map<String, int[]> cueEntries, Map<String, Integer> ambiguousTerms) {
        this.lex = lex;
        this.scorer = new LexiconScorer(lex);
        int n = cueEntries.size();
        cueTerms = new String[n];
        cueKinds = new int[n];
        cueContext = new int[n];
        cueEndBoundary = new boolean[n];
        TermTrie.Builder b = TermTrie.builder();
        int i = 0;
        for (Map.Entry<String, int[]> e : cueEntries.entrySet()) {
            cueTerms[i] = e.getKey();
            cueKinds[i] = e.getValue()[0];
            cueContext[i] = e.getValue()[1];
            cueEndBoundary[i] = TextNormalizer.isWordChar(e.getKey().charAt(e.getKey().length() - 1));
            b.add(e.getKey(), i);
            i++;
        }
        cueTrie = b.build();
        ambiguous = new int[lex.size()];
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < lex.size(); id++) ids.put(lex.terms[id], id);
        for (Map.Entry<String, Integer> e : ambiguousTerms.entrySet()) {
            ambiguous[ids.get(e.getKey())] |= e.getValue();
        }
    }

    /** The bundled rules over {@link Lexicon#bundled()}, plus the cue lists of its extra directory; loaded once per JVM. */
    public static NegativeRules bundled() {
        NegativeRules r = bundled;
        if (r == null) {
            synchronized (NegativeRules.class) {
                r = bundled;
                if (r == null) {
                    String extra = System.getProperty(Lexicon.EXTRA_DIR_PROPERTY);
                    r = load(Lexicon.bundled(), extra == null || extra.isBlank() ? null : Path.of(extra.strip()));
                    bundled = r;
                }
            }
        }
        return r;
    }

    /** Rules over {@code lex} with the bundled cue lists and, when {@code extraDir} is given, its {@code zh/cues.tsv} and {@code en/cues.tsv}. */
    static NegativeRules load(Lexicon lex, Path extraDir) {
        Map<String, int[]> cues = new LinkedHashMap<>();
        Map<String, Integer> amb = new LinkedHashMap<>();
        Map<String, Boolean> known = new HashMap<>();
        for (int id = 0; id < lex.size(); id++) known.put(lex.terms[id], lex.has(id, Lexicon.CATEGORY));
        for (String lang : Lexicon.LANGUAGES) {
            String f = lang + "/cues.tsv";
            try (InputStream in = NegativeRules.class.getClassLoader().getResourceAsStream("sentiment/" + f)) {
                if (in == null) {
                    throw new IllegalStateException("bundled cue list sentiment/" + f + " is missing from the classpath; rebuild flink-jobs");
                }
                read(f, new InputStreamReader(in, StandardCharsets.UTF_8), cues, amb, known);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (extraDir != null && Files.isRegularFile(extraDir.resolve(f))) {
                try (Reader r = Files.newBufferedReader(extraDir.resolve(f), StandardCharsets.UTF_8)) {
                    read(extraDir.resolve(f).toString(), r, cues, amb, known);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new NegativeRules(lex, cues, amb);
    }

    private static void read(String name, Reader reader, Map<String, int[]> cues, Map<String, Integer> amb, Map<String, Boolean> known)
            throws IOException {
        BufferedReader br = new BufferedReader(reader);
        String line;
        int lineNo = 0;
        while ((line = br.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            String term = TextNormalizer.normalizeTerm(f[0]);
            if (term.isEmpty() || f.length < 2) {
                throw error(name, lineNo, "expected 'term<TAB>kind[<TAB>category]', got '" + line + "'");
            }
            String kind = f[1].trim().toLowerCase(Locale.ROOT);
            int k = Arrays.asList(KIND_NAMES).indexOf(kind);
            if (k < 0) {
                throw error(name, lineNo, "unknown cue kind '" + f[1] + "'; use one of " + String.join(", ", KIND_NAMES));
            }
            int category = 0;
            if (kind.equals("ambiguous") || kind.equals("context")) {
                if (f.length < 3) throw error(name, lineNo, kind + " needs a category: 'term<TAB>" + kind + "<TAB>delivery'");
                try {
                    category = bit(ModerationCategory.fromWireName(f[2]));
                } catch (IllegalArgumentException e) {
                    throw error(name, lineNo, e.getMessage());
                }
            }
            if (kind.equals("ambiguous")) {
                if (!Boolean.TRUE.equals(known.get(term))) {
                    throw error(name, lineNo, "'" + term + "' is not a term of categories.tsv; add it there first");
                }
                amb.merge(term, category, (a, b) -> a | b);
                continue;
            }
            int[] e = cues.computeIfAbsent(term, x -> new int[2]);
            e[0] |= 1 << k;
            e[1] |= category;
        }
    }

    private static IllegalArgumentException error(String file, int line, String msg) {
        return new IllegalArgumentException("cue list " + file + " line " + line + ": " + msg);
    }

    private static int bit(ModerationCategory c) {
        return 1 << c.ordinal();
    }

    /**
     * The complaint in {@code text}, or null when no clause is a complaint in a moderation category.
     * The finding's score is its most negative qualifying clause; its categories are those of every
     * clause at most {@value #INCLUDE_SCORE}.
     */
    public NegativeFinding assess(String text) {
        if (text == null || text.isBlank()) return null;
        char[] t = TextNormalizer.normalize(text);
        LexiconScorer.Tokens tk = scorer.tokenize(t);
        Cues cues = scanCues(t);
        List<int[]> clauses = clauses(t, tk);
        int nc = clauses.size();
        double[] raw = new double[nc];
        double after = 1.0;
        for (int c = 0; c < nc; c++) {
            int[] cl = clauses.get(c);
            if (cl[5] == 1) {
                // A contrast word before this clause: what came before counts less, as in the whole-message score.
                for (int p = 0; p < c; p++) raw[p] *= 0.7;
                after = 1.3;
            }
            if (cl[2] < cl[3]) {
                raw[c] = scorer.analyze(Arrays.copyOfRange(t, cl[0], cl[1]), false).raw * after;
            }
        }
        int union = 0;
        int bestClause = -1;
        double best = 0;
        List<String> bestReasons = null;
        boolean bestCritical = false;
        boolean[] bestCited = null;
        List<String> reasons = new ArrayList<>(4);
        cues.cited = new boolean[cues.n];
        int sentences = 0;
        for (int c = 0; c < nc; c++) {
            // sentences with words in them: a trailing "。" or "!!" opens none
            if (clauses.get(c)[2] < clauses.get(c)[3] && (c == 0 || clauses.get(c)[6] != clauses.get(c - 1)[6])) sentences++;
        }
        boolean longPost = sentences >= LONG_POST_SENTENCES || t.length > LONG_POST_CHARS;
        // A long post that opens as a guide, a recap or an opinion ("说说我的看法", "some thoughts on")
        // discusses; it reports nothing but abuse.
        boolean discussionPost = longPost && nc > 0 && first(cues, t, GENRE, 0, clauses.get(0)[7]) >= 0;
        for (int c = 0; c < nc; c++) {
            int[] cl = clauses.get(c);
            double score = raw[c] / Math.sqrt(raw[c] * raw[c] + 4.0);
            if (score > INCLUDE_SCORE || cl[2] == cl[3]) continue;
            reasons.clear();
            Arrays.fill(cues.cited, false);
            int sentStart = cl[6];
            int sentEnd = cl[7];
            int cats = categories(t, tk, cues, cl, sentStart, sentEnd, reasons);
            if (cats == 0) continue;
            // "如果收到坏的…", "if it turns out to be defective": nothing has happened yet.
            if ((cats & ABUSE) == 0 && first(cues, t, HYPOTHETICAL, cl[0], cl[1]) >= 0) continue;
            if ((cats & ABUSE) == 0 && discussionPost) continue;
            // An organiser's notice or a rule ("群规", "don't click links") warns, it does not report.
            if ((cats & ABUSE) == 0 && first(cues, t, NOTICE, sentStart, sentEnd) >= 0) continue;
            // Taken back by the writer at or after the complaint: resolved ("补发到了", "sorted now"),
            // their own mistake ("my fault", "其实是被邻居代收了"), a joke ("开玩笑").
            if (first(cues, t, RETRACT, cl[0], t.length) >= 0) continue;
            // In a long post a sentence that names no one (我, you, this, 群里) narrates or explains
            // (history, how-to, policy); a member's own complaint says whose order or which item.
            if (longPost && first(cues, t, ANCHOR, sentStart, sentEnd) < 0) continue;
            boolean question = cl[4] > 0 || isQuestion(t, cues, cl);
            boolean thanks = first(cues, t, THANKS, cl[0], cl[1]) >= 0;
            if ((question || thanks) && (cats & ABUSE) == 0) {
                // Concrete: a waiting time, a repeat ("第三次", "twice"), a rhetorical demand (凭什么,
                // "why should I") or a safety term.
                int d = first(cues, t, DURATION | UNIT | REPEAT | DEMAND | SAFETY, sentStart, sentEnd);
                if (d < 0 && cl[4] < 2) continue;
                if (d >= 0) cues.cited[d] = true;
                reasons.add((question ? "a question" : "a thank-you") + " with a concrete complaint"
                        + (d >= 0 ? " ('" + cueText(t, cues, d) + "')" : " ('??')"));
            }
            union |= cats;
            // A complaint and a clearly negative clause right next to it in the same sentence
            // ("退款被拒绝了，太过分了") count together; never more than two clauses, and weak
            // neighbours never, so a run-on post's weak terms cannot pile up.
            int sibling = -1;
            for (int j = Math.max(0, c - 1); j <= Math.min(nc - 1, c + 1); j++) {
                if (j == c || clauses.get(j)[6] != sentStart) continue;
                double sj = raw[j] / Math.sqrt(raw[j] * raw[j] + 4.0);
                if (sj <= CLEAR_SIBLING && (sibling < 0 || raw[j] < raw[sibling])) sibling = j;
            }
            if (sibling >= 0) {
                double pair = raw[c] + raw[sibling];
                score = pair / Math.sqrt(pair * pair + 4.0);
                String term = firstNegative(tk, clauses.get(sibling));
                if (term != null) reasons.add("with '" + term + "' in the same sentence");
            }
            int safety = first(cues, t, SAFETY, sentStart, sentEnd);
            boolean critical = safety >= 0 || ((cats & CRITICAL_CATEGORIES) != 0 && score <= CRITICAL_SCORE);
            if (safety >= 0) cues.cited[safety] = true;
            if (safety >= 0) reasons.add("safety: '" + cueTerms[cues.id[safety]] + "'");
            if (bestClause < 0 || score < best) {
                bestClause = c;
                best = score;
                bestReasons = new ArrayList<>(reasons);
                bestCritical = critical;
                bestCited = cues.cited.clone();
            } else {
                bestCritical |= critical && score <= CRITICAL_SCORE;
            }
        }
        if (bestClause < 0) return null;
        int[] cl = clauses.get(bestClause);
        cues.cited = bestCited;
        String masked = mask(text, t, tk, cues, cl[0], trimEnd(t, cl[0], cl[1]), cl[2], cl[3]);
        EnumSet<ModerationCategory> set = EnumSet.noneOf(ModerationCategory.class);
        for (ModerationCategory m : ModerationCategory.values()) {
            if ((union & bit(m)) != 0) set.add(m);
        }
        return new NegativeFinding(set, best, masked, bestReasons, bestCritical);
    }

    /**
     * Clauses as {start, end (incl. trailing punctuation), first token, end token, question marks,
     * after contrast (1/0), sentence start, sentence end}.
     */
    private List<int[]> clauses(char[] t, LexiconScorer.Tokens tk) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        int firstTok = 0;
        int contrast = 0;
        int sentenceFirst = 0;
        for (int k = 0; k < tk.n; k++) {
            int id = tk.id[k];
            boolean isContrast = id >= 0 && lex.has(id, Lexicon.CONTRAST);
            if (id >= 0 && !isContrast) continue;
            int end = isContrast ? tk.start[k] : tk.end[k];
            int questions = id == -2 ? (tk.aux[k] >>> 16) : 0;
            out.add(new int[] {start, end, firstTok, k, questions, contrast, 0, 0});
            boolean strong = id == -2 || (id == -1 && tk.start[k] < t.length
                    && (t[tk.start[k]] == '.' || t[tk.start[k]] == ';' || t[tk.start[k]] == '\n')) || k == tk.n - 1;
            if (strong) {
                int sentStart = out.get(sentenceFirst)[0];
                for (int j = sentenceFirst; j < out.size(); j++) {
                    out.get(j)[6] = sentStart;
                    out.get(j)[7] = end;
                }
                sentenceFirst = out.size();
            }
            start = tk.end[k];
            firstTok = k + 1;
            contrast = isContrast ? 1 : 0;
        }
        return out;
    }

    private int categories(char[] t, LexiconScorer.Tokens tk, Cues cues, int[] cl, int sentStart, int sentEnd, List<String> reasons) {
        int cats = 0;
        boolean discussion = first(cues, t, DISCUSSION, sentStart, sentEnd) >= 0;
        int negTok = -1;
        int topicMask = 0;
        for (int k = cl[2]; k < cl[3]; k++) {
            int id = tk.id[k];
            if (lex.has(id, Lexicon.CATEGORY) && isTopic(id)) topicMask |= lex.categoryMask[id];
            if (negTok < 0 && lex.has(id, Lexicon.SENTIMENT) && lex.weight[id] < 0 && !lex.has(id, Lexicon.EMOJI)) negTok = k;
        }
        for (int k = cl[2]; k < cl[3]; k++) {
            int id = tk.id[k];
            if (!lex.has(id, Lexicon.CATEGORY)) continue;
            int mask = lex.categoryMask[id];
            for (ModerationCategory m : ModerationCategory.values()) {
                int b = bit(m);
                if ((mask & b) == 0 || (cats & b) != 0) continue;
                if (discussion && (b & DISCUSSABLE) != 0) continue;
                String term = lex.terms[id];
                if (isTopic(id)) {
                    // "冒充客服的诈骗" discussed: the topic's negative is itself a discussed subject.
                    if (negTok >= 0 && !(discussion && (lex.categoryMask[tk.id[negTok]] & DISCUSSABLE) != 0)) {
                        cats |= b;
                        reasons.add(m.wireName() + ": '" + lex.terms[tk.id[negTok]] + "' about '" + term + "'");
                    }
                } else if ((ambiguous[id] & b) != 0) {
                    String why = cue(t, tk, cues, k, b, topicMask, negTok, sentStart, sentEnd);
                    if (why != null) {
                        cats |= b;
                        reasons.add(m.wireName() + ": '" + term + "' " + why);
                    }
                } else {
                    cats |= b;
                    reasons.add(m.wireName() + ": '" + term + "'");
                }
            }
        }
        return cats;
    }

    /** How an ambiguous term at token k gets its complaint sense for category bit b ("after '快递'"), or null. */
    private String cue(char[] t, LexiconScorer.Tokens tk, Cues cues, int k, int b, int topicMask, int negTok, int sentStart, int sentEnd) {
        int kinds;
        if (b == DELIVERY) kinds = CONTEXT | DURATION | UNIT;
        else if (b == QUALITY || b == SERVICE) kinds = CONTEXT;
        else if (b == REFUND) kinds = DEMAND;
        else if (b == ABUSE) kinds = TARGET;
        else kinds = REPORT;
        if ((b & (DELIVERY | QUALITY | SERVICE)) != 0) {
            // A topic noun of the category in the sentence (物流, delivery, 客服) is context too.
            for (int j = 0; j < tk.n; j++) {
                int id = tk.id[j];
                if (j == k || id < 0 || tk.start[j] < sentStart || tk.end[j] > sentEnd) continue;
                if (lex.has(id, Lexicon.CATEGORY) && isTopic(id) && (lex.categoryMask[id] & b) != 0) {
                    return (tk.start[j] < tk.start[k] ? "after '" : "before '") + lex.terms[id] + "'";
                }
            }
        }
        // What the thing is (an order, a parcel) explains best; a waiting time or another cue next.
        int best = -1;
        boolean bestIsContext = false;
        for (int c = 0; c < cues.n; c++) {
            if (cues.start[c] < sentStart || cues.end[c] > sentEnd) continue;
            if (cues.start[c] >= tk.start[k] && cues.end[c] <= tk.end[k]) continue; // the term itself
            int kind = cueKinds[cues.id[c]];
            boolean context = (kinds & CONTEXT) != 0 && (kind & CONTEXT) != 0 && (cueContext[cues.id[c]] & b) != 0;
            boolean ok = context || (kind & kinds & ~(CONTEXT | UNIT)) != 0
                    || ((kinds & UNIT) != 0 && (kind & UNIT) != 0 && afterNumber(t, cues.start[c]));
            if (!ok) continue;
            boolean closer = best < 0 || Math.abs(cues.start[c] - tk.start[k]) < Math.abs(cues.start[best] - tk.start[k]);
            if (best < 0 || (context && !bestIsContext) || (context == bestIsContext && closer)) {
                best = c;
                bestIsContext = context;
            }
        }
        if (best >= 0) {
            cues.cited[best] = true;
            return (cues.start[best] < tk.start[k] ? "after '" : "before '") + cueText(t, cues, best) + "'";
        }
        if (b == REFUND && negTok >= 0 && tk.id[negTok] != tk.id[k] && (lex.categoryMask[tk.id[negTok]] & REFUND) == 0) {
            return "with '" + lex.terms[tk.id[negTok]] + "'";
        }
        return null;
    }

    /** A cue as the moderator reads it: a time unit with its number ("十天", "3 days"). */
    private String cueText(char[] t, Cues cues, int c) {
        int s = cues.start[c];
        if ((cueKinds[cues.id[c]] & UNIT) != 0 && afterNumber(t, s)) s = numberStart(t, s);
        return new String(t, s, cues.end[c] - s);
    }

    private static int numberStart(char[] t, int unitStart) {
        int i = unitStart;
        while (i > 0 && TextNormalizer.isSpace(t[i - 1])) i--;
        if (i > 0 && t[i - 1] == '个') i--;
        if (i > 0 && NUMERALS.indexOf(t[i - 1]) >= 0) {
            while (i > 0 && NUMERALS.indexOf(t[i - 1]) >= 0) i--;
            return i;
        }
        while (i > 0 && TextNormalizer.isWordChar(t[i - 1])) i--;
        return i;
    }

    private String firstNegative(LexiconScorer.Tokens tk, int[] cl) {
        for (int k = cl[2]; k < cl[3]; k++) {
            int id = tk.id[k];
            if (id >= 0 && lex.has(id, Lexicon.SENTIMENT) && lex.weight[id] < 0) return lex.terms[id];
        }
        return null;
    }

    /** A weight-0 category noun (客服, delivery): names the subject, is no complaint by itself. */
    private boolean isTopic(int id) {
        return !lex.has(id, Lexicon.SENTIMENT) || lex.weight[id] == 0f;
    }

    private boolean isQuestion(char[] t, Cues cues, int[] cl) {
        int first = cl[0];
        while (first < cl[1] && !TextNormalizer.isWordChar(t[first]) && !TextNormalizer.isCjk(t[first])) first++;
        int last = trimEnd(t, cl[0], cl[1]) - 1;
        for (int c = 0; c < cues.n; c++) {
            if (cues.start[c] < cl[0] || cues.end[c] > cl[1] || (cueKinds[cues.id[c]] & QUESTION) == 0) continue;
            String term = cueTerms[cues.id[c]];
            if (TextNormalizer.isWordChar(term.charAt(0))) {
                if (cues.start[c] == first) return true; // "why is ...", "is this ..."
            } else if (term.length() > 1 || cues.end[c] - 1 == last) {
                return true; // 请问, or a final particle (…吗)
            }
        }
        return false;
    }

    private static int trimEnd(char[] t, int s, int e) {
        while (e > s && !TextNormalizer.isWordChar(t[e - 1]) && !TextNormalizer.isCjk(t[e - 1])) e--;
        return e;
    }

    private static boolean afterNumber(char[] t, int at) {
        int i = at - 1;
        while (i >= 0 && TextNormalizer.isSpace(t[i])) i--;
        if (i < 0) return false;
        if (NUMERALS.indexOf(t[i]) >= 0) return true;
        if (t[i] == '个' && i > 0 && NUMERALS.indexOf(t[i - 1]) >= 0) return true;
        int e = i + 1;
        while (i >= 0 && TextNormalizer.isWordChar(t[i])) i--;
        return e - i > 1 && NUMBER_WORDS.contains(new String(t, i + 1, e - i - 1));
    }

    /** The clause with only lexicon terms and the cues its reasons name readable, like {@link MaskedExcerpt}: moderators see why, never the text. */
    private String mask(String text, char[] t, LexiconScorer.Tokens tk, Cues cues, int s, int e, int k0, int k1) {
        boolean[] keep = new boolean[t.length];
        int focus = -1;
        for (int k = k0; k < k1; k++) {
            int id = tk.id[k];
            if (id < 0) continue;
            boolean shown = lex.has(id, Lexicon.CATEGORY) || (lex.has(id, Lexicon.SENTIMENT) && lex.weight[id] != 0f)
                    || lex.has(id, Lexicon.NEGATOR | Lexicon.DEGREE | Lexicon.EXCESS);
            if (shown) Arrays.fill(keep, tk.start[k], tk.end[k], true);
            if (focus < 0 && lex.has(id, Lexicon.CATEGORY)) focus = tk.start[k];
        }
        for (int c = 0; c < cues.n; c++) {
            if (!cues.cited[c] || cues.start[c] < s || cues.end[c] > e) continue;
            int from = (cueKinds[cues.id[c]] & UNIT) != 0 && afterNumber(t, cues.start[c]) ? Math.max(s, numberStart(t, cues.start[c])) : cues.start[c];
            Arrays.fill(keep, from, cues.end[c], true);
        }
        int total = text.codePointCount(s, e);
        int from = s;
        if (total > MAX_CLAUSE_CHARS && focus > s) {
            int skip = Math.max(0, Math.min(text.codePointCount(s, focus) - 20, total - MAX_CLAUSE_CHARS));
            from = text.offsetByCodePoints(s, skip);
        }
        while (from < e && TextNormalizer.isSpace(t[from])) from++;
        StringBuilder sb = new StringBuilder();
        int i = from;
        for (int n = 0; n < MAX_CLAUSE_CHARS && i < e; n++) {
            int cp = text.codePointAt(i);
            if (keep[i]) sb.appendCodePoint(cp);
            else sb.append(Character.isWhitespace(cp) ? (char) cp : '*');
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** Every cue occurrence (overlapping ones too: 收到的 and 收到), in text order. */
    static final class Cues {
        int n;
        int[] id = new int[8];
        int[] start = new int[8];
        int[] end = new int[8];
        /** The cues a reason names: the only ones the masked clause shows. */
        boolean[] cited;

        void add(int cue, int s, int e) {
            if (n == id.length) {
                id = Arrays.copyOf(id, n * 2);
                start = Arrays.copyOf(start, n * 2);
                end = Arrays.copyOf(end, n * 2);
            }
            id[n] = cue;
            start[n] = s;
            end[n] = e;
            n++;
        }

    }

    /** First cue of {@code kind} within [s, e); a unit counts only after a number. */
    private int first(Cues cues, char[] t, int kind, int s, int e) {
        for (int c = 0; c < cues.n; c++) {
            if (cues.start[c] < s || cues.end[c] > e) continue;
            int k = cueKinds[cues.id[c]] & kind;
            if (k == 0 || (k == UNIT && !afterNumber(t, cues.start[c]))) continue;
            return c;
        }
        return -1;
    }

    private Cues scanCues(char[] t) {
        Cues cues = new Cues();
        int len = t.length;
        for (int from = 0; from < len; from++) {
            char c0 = t[from];
            if (TextNormalizer.isSpace(c0) || (from > 0 && TextNormalizer.isWordChar(c0) && TextNormalizer.isWordChar(t[from - 1]))) continue;
            int node = 0;
            int i = from;
            while (i < len) {
                char c = t[i];
                if (TextNormalizer.isSpace(c)) {
                    node = cueTrie.child(node, ' ');
                    i++;
                    while (i < len && TextNormalizer.isSpace(t[i])) i++;
                } else {
                    node = cueTrie.child(node, c);
                    i++;
                }
                if (node < 0) break;
                int term = cueTrie.termAt(node);
                if (term >= 0 && (i >= len || !cueEndBoundary[term] || !TextNormalizer.isWordChar(t[i]))) {
                    cues.add(term, from, i);
                }
            }
        }
        return cues;
    }
}
