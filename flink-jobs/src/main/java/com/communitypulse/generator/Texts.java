package com.communitypulse.generator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chat text templates from {@code generator/texts.tsv}, indexed by language and sentiment so that
 * picking one is an array lookup on the hot path.
 */
final class Texts {
    static final int ZH = 0, EN = 1;
    static final String[] LANGS = {"zh", "en"};
    static final String[] CATEGORIES = {"complaint", "refund", "counterfeit", "fraud", "quality", "delivery", "service", "abuse"};

    private static final String[] POSITIVE_SUFFIX = {"", "", "", " 👍", " 😊", "！"};
    private static final String[] NEGATIVE_SUFFIX = {"", "", "", " 😡", "！", " 👎"};

    private final String[][] positive = new String[2][];
    private final String[][] neutral = new String[2][];
    private final String[][] negative = new String[2][];
    private final String[][] staff = new String[2][];
    /** [lang][category index] texts of that category. */
    private final String[][][] byCategory = new String[2][CATEGORIES.length][];
    /** Category of each negative text, parallel to {@link #negative}. */
    private final int[][] negativeCategory = new int[2][];

    private static Texts instance;

    static synchronized Texts get() {
        if (instance == null) instance = load();
        return instance;
    }

    private static Texts load() {
        Map<String, List<String[]>> rows = new LinkedHashMap<>();
        try (InputStream in = Texts.class.getResourceAsStream("/generator/texts.tsv")) {
            if (in == null) throw new IllegalStateException("generator/texts.tsv missing from the classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t", 4);
                if (f.length != 4) throw new IllegalStateException("bad line in generator/texts.tsv: " + line);
                rows.computeIfAbsent(f[0] + "/" + f[1], k -> new ArrayList<>()).add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Texts t = new Texts();
        for (int l = 0; l < 2; l++) {
            String lang = LANGS[l];
            t.positive[l] = texts(rows, lang + "/positive");
            t.neutral[l] = texts(rows, lang + "/neutral");
            t.staff[l] = texts(rows, lang + "/staff");
            List<String[]> neg = rows.getOrDefault(lang + "/negative", List.of());
            t.negative[l] = new String[neg.size()];
            t.negativeCategory[l] = new int[neg.size()];
            for (int i = 0; i < neg.size(); i++) {
                t.negative[l][i] = neg.get(i)[3];
                t.negativeCategory[l][i] = categoryIndex(neg.get(i)[2]);
            }
            for (int c = 0; c < CATEGORIES.length; c++) {
                List<String> of = new ArrayList<>();
                for (int i = 0; i < neg.size(); i++) if (t.negativeCategory[l][i] == c) of.add(t.negative[l][i]);
                if (of.isEmpty()) throw new IllegalStateException("no " + lang + " text for category " + CATEGORIES[c]);
                t.byCategory[l][c] = of.toArray(new String[0]);
            }
        }
        return t;
    }

    private static String[] texts(Map<String, List<String[]>> rows, String key) {
        List<String[]> l = rows.get(key);
        if (l == null || l.isEmpty()) throw new IllegalStateException("no texts for " + key + " in generator/texts.tsv");
        String[] out = new String[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i)[3];
        return out;
    }

    static int categoryIndex(String c) {
        for (int i = 0; i < CATEGORIES.length; i++) if (CATEGORIES[i].equals(c)) return i;
        throw new IllegalStateException("unknown moderation category " + c);
    }

    String positive(int lang, SplittableRandom r) {
        return pick(positive[lang], r) + POSITIVE_SUFFIX[r.nextInt(POSITIVE_SUFFIX.length)];
    }

    String neutral(int lang, SplittableRandom r) {
        return pick(neutral[lang], r);
    }

    String negative(int lang, SplittableRandom r) {
        return pick(negative[lang], r) + NEGATIVE_SUFFIX[r.nextInt(NEGATIVE_SUFFIX.length)];
    }

    String negative(int lang, int category, SplittableRandom r) {
        return pick(byCategory[lang][category], r) + NEGATIVE_SUFFIX[r.nextInt(NEGATIVE_SUFFIX.length)];
    }

    String staff(int lang, SplittableRandom r) {
        return pick(staff[lang], r);
    }

    private static String pick(String[] a, SplittableRandom r) {
        return a[r.nextInt(a.length)];
    }
}
