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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The curated term lists under {@code src/main/resources/sentiment/} merged into one trie. A term may
 * play several roles (好 is both "good" and the degree word in 好慢), so roles are flags on one entry.
 * Formats are described in {@code sentiment/README.md}. Immutable and shareable once loaded.
 */
final class Lexicon {

    static final int SENTIMENT = 1;
    static final int EMOJI = 1 << 1;
    static final int NEGATOR = 1 << 2;
    static final int DEGREE = 1 << 3;
    static final int POST_DEGREE = 1 << 4;
    static final int CONTRAST = 1 << 5;
    static final int CONCESSION = 1 << 6;
    static final int CATEGORY = 1 << 7;
    static final int EXCESS = 1 << 8;

    static final String[] LANGUAGES = {"zh", "en"};
    private static final String RESOURCE_ROOT = "sentiment/";

    private static volatile Lexicon defaultLexicon;

    final String[] terms;
    final float[] weight;
    final float[] degree;
    final int[] flags;
    final int[] categoryMask;
    final boolean[] needsStartBoundary;
    final boolean[] needsEndBoundary;
    final TermTrie trie;

    private Lexicon(List<MutableEntry> entries) {
        int n = entries.size();
        terms = new String[n];
        weight = new float[n];
        degree = new float[n];
        flags = new int[n];
        categoryMask = new int[n];
        needsStartBoundary = new boolean[n];
        needsEndBoundary = new boolean[n];
        TermTrie.Builder b = TermTrie.builder();
        for (int i = 0; i < n; i++) {
            MutableEntry e = entries.get(i);
            terms[i] = e.term;
            weight[i] = e.weight;
            degree[i] = e.degree;
            flags[i] = e.flags;
            categoryMask[i] = e.categories;
            // A Latin term must start and end on word boundaries ("good" is not in "goodbye"); CJK has none.
            needsStartBoundary[i] = TextNormalizer.isWordChar(e.term.charAt(0));
            needsEndBoundary[i] = TextNormalizer.isWordChar(e.term.charAt(e.term.length() - 1));
            b.add(e.term, i);
        }
        trie = b.build();
    }

    int size() {
        return terms.length;
    }

    boolean has(int id, int flag) {
        return (flags[id] & flag) != 0;
    }

    /** JVM system property naming a folder of extra lists merged over the bundled ones. */
    static final String EXTRA_DIR_PROPERTY = "pulse.sentiment.lexicon.dir";

    /**
     * The bundled lexicon plus, when system property {@value #EXTRA_DIR_PROPERTY} is set, the lists in
     * that folder; loaded once per JVM (it is immutable, so all scorers share it).
     */
    static Lexicon bundled() {
        Lexicon l = defaultLexicon;
        if (l == null) {
            synchronized (Lexicon.class) {
                l = defaultLexicon;
                if (l == null) {
                    String extra = System.getProperty(EXTRA_DIR_PROPERTY);
                    l = load(extra == null || extra.isBlank() ? null : Path.of(extra.strip()));
                    defaultLexicon = l;
                }
            }
        }
        return l;
    }

    /**
     * Loads the bundled lists and, when {@code extraDir} is given, the files with the same relative
     * names under it ({@code emoji.tsv}, {@code zh/sentiment.tsv}, ...), which override or add terms.
     */
    static Lexicon load(Path extraDir) {
        Loader loader = new Loader();
        List<String> files = new ArrayList<>();
        files.add("emoji.tsv");
        for (String lang : LANGUAGES) {
            files.add(lang + "/sentiment.tsv");
            files.add(lang + "/modifiers.tsv");
            files.add(lang + "/categories.tsv");
        }
        for (String f : files) {
            try (InputStream in = Lexicon.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + f)) {
                if (in == null) {
                    throw new IllegalStateException("bundled lexicon resource " + RESOURCE_ROOT + f
                            + " is missing from the classpath; rebuild flink-jobs");
                }
                loader.read(f, new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (extraDir != null) {
            if (!Files.isDirectory(extraDir)) {
                throw new IllegalArgumentException("lexicon directory " + extraDir
                        + " does not exist; point it at a folder laid out like sentiment/ in the resources");
            }
            for (String f : files) {
                Path p = extraDir.resolve(f);
                if (Files.isRegularFile(p)) {
                    try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                        loader.read(p.toString(), r);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return new Lexicon(new ArrayList<>(loader.entries.values()));
    }

    private static final class MutableEntry {
        final String term;
        float weight;
        float degree = 1f;
        int flags;
        int categories;

        MutableEntry(String term) {
            this.term = term;
        }
    }

    /** Parses the three line formats; errors name the file and line so users can fix their edits. */
    private static final class Loader {
        final Map<String, MutableEntry> entries = new LinkedHashMap<>();

        void read(String name, Reader reader) throws IOException {
            String kind = name.substring(name.lastIndexOf('/') + 1);
            BufferedReader br = new BufferedReader(reader);
            String line;
            int lineNo = 0;
            while ((line = br.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                String term = TextNormalizer.normalizeTerm(f[0]);
                if (term.isEmpty() || f.length < 2) {
                    throw error(name, lineNo, "expected 'term<TAB>value', got '" + line + "'");
                }
                MutableEntry e = entries.computeIfAbsent(term, MutableEntry::new);
                try {
                    if (kind.equals("sentiment.tsv") || kind.equals("emoji.tsv")) {
                        e.weight = parseWeight(f[1]);
                        e.flags |= SENTIMENT | (kind.equals("emoji.tsv") ? EMOJI : 0);
                    } else if (kind.equals("modifiers.tsv")) {
                        readModifier(e, f);
                    } else {
                        e.categories |= 1 << ModerationCategory.fromWireName(f[1]).ordinal();
                        e.flags |= CATEGORY;
                        if (f.length > 2 && (e.flags & SENTIMENT) == 0) {
                            e.weight = parseWeight(f[2]);
                            e.flags |= SENTIMENT;
                        }
                    }
                } catch (IllegalArgumentException ex) {
                    throw error(name, lineNo, ex.getMessage());
                }
            }
        }

        private static void readModifier(MutableEntry e, String[] f) {
            String kind = f[1].trim().toLowerCase(Locale.ROOT);
            switch (kind) {
                case "negator":
                    e.flags |= NEGATOR;
                    break;
                case "degree":
                case "excess":
                case "postdegree":
                    if (f.length < 3) {
                        throw new IllegalArgumentException(kind + " needs a multiplier: 'term<TAB>" + kind + "<TAB>1.5'");
                    }
                    float m = Float.parseFloat(f[2].trim());
                    if (!(m > 0f && m <= 4f)) {
                        throw new IllegalArgumentException("multiplier must be in (0, 4] but was " + m);
                    }
                    e.degree = m;
                    e.flags |= kind.equals("degree") ? DEGREE
                            : kind.equals("excess") ? DEGREE | EXCESS : POST_DEGREE;
                    break;
                case "contrast":
                    e.flags |= CONTRAST;
                    break;
                case "concession":
                    e.flags |= CONCESSION;
                    break;
                case "neutral":
                    // Only consumes the text, so 好像 ("seems") is not read as 好 ("good").
                    break;
                default:
                    throw new IllegalArgumentException("unknown modifier kind '" + f[1]
                            + "'; use negator, degree, excess, postdegree, contrast, concession or neutral");
            }
        }

        private static float parseWeight(String s) {
            float w;
            try {
                w = Float.parseFloat(s.trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("weight '" + s + "' is not a number");
            }
            if (!(w >= -4f && w <= 4f)) {
                throw new IllegalArgumentException("weight must be in [-4, 4] but was " + w);
            }
            return w;
        }

        private static IllegalArgumentException error(String file, int line, String msg) {
            return new IllegalArgumentException("lexicon " + file + " line " + line + ": " + msg);
        }
    }
}
