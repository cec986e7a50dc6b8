package com.communitypulse.sentiment;

import com.communitypulse.flags.Flags;
import com.communitypulse.flags.Option;
import com.communitypulse.flags.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code pulse sentiment ...}: score messages, evaluate a scorer on labelled data, train a model.
 *
 * <h2>How to run</h2>
 *
 * <pre>
 * $ printf '很好吃，送餐也快\nThe food was cold and the driver was rude!!!\n' | pulse sentiment score
 * positive	0.9...
 * negative	-0.9...	delivery,service
 * $ pulse sentiment eval --data ../shared/data/waimai_10k.csv                   # bundled scorer
 * $ pulse sentiment eval --data ../shared/data/waimai_10k.csv --model lexicon   # lexicon alone
 * $ pulse sentiment eval --data ../shared/data/waimai_10k.csv,../shared/data/yelp_labelled.txt --synthetic 3000 --cv 5
 * $ pulse sentiment train --data ../shared/data/waimai_10k.csv --out waimai.model
 * $ pulse sentiment eval --data other.csv --model waimai.model
 * </pre>
 *
 * Exit codes: 0 ok, 2 usage or input error (one line on stderr naming the fix), 1 unexpected failure.
 */
public final class SentimentCli {

    private static final String USAGE = String.join("\n",
            "usage: pulse sentiment <command> [options]",
            "commands:",
            "  score [--model MODEL|lexicon] [--lang zh|en]   score one message per stdin line: label<TAB>score<TAB>categories",
            "  eval  --data FILE[,FILE...] [--model MODEL|lexicon | --cv K]   accuracy, per-class P/R/F1, macro-F1, confusion",
            "  train --data FILE[,FILE...] --out MODEL [--target sentiment|actionable] [--synthetic N] [--seed N] [--epochs N] [--hash-bits N]   train a model",
            "Without --model the bundled scorer (lexicon + learned model) is used. Run 'pulse sentiment <command> --help' for details.");

    private static final Map<String, String> HELP = Map.of(
            "score", String.join("\n",
                    "usage: pulse sentiment score [--model MODEL|lexicon] [--lang zh|en]",
                    "Reads one message per line from stdin and writes, in input order, one line per message:",
                    "  label<TAB>score<TAB>categories",
                    "label is positive|neutral|negative, score is in [-1, 1] with 4 decimals, categories are",
                    "comma-separated moderation categories (complaint, refund, counterfeit, fraud, quality,",
                    "delivery, service, abuse), empty unless the label is negative.",
                    "  --model MODEL   model file from 'pulse sentiment train', or 'lexicon' for the lexicon scorer alone",
                    "                  (default: the bundled scorer, lexicon + learned model)",
                    "  --lang zh|en    language hint (advisory; scripts are detected per character)"),
            "eval", String.join("\n",
                    "usage: pulse sentiment eval --data FILE[,FILE...] [--model MODEL|lexicon | --cv K [train options]]",
                    "Scores labelled files and prints, per file, accuracy, per-class precision/recall/F1, macro-F1 and",
                    "the confusion matrix. Neutral predictions count as positive (\"not negative\").",
                    "  --data FILES    comma-separated; 'label,review' CSV with header, or 'text<TAB>label' lines; label 1/0",
                    "  --model MODEL   evaluate this trained model, or 'lexicon' (default: the bundled scorer)",
                    "  --cv K          k-fold cross-validation instead: for each FILE, train on k-1 folds of it plus all",
                    "                  other FILEs and --synthetic rows, test on the held-out fold",
                    "  --features F    with --cv: both (default), lexicon (lexicon features only) or ngrams (no lexicon)",
                    "  --synthetic N, --seed N, --epochs N, --hash-bits N   as for train"),
            "train", String.join("\n",
                    "usage: pulse sentiment train --data FILE[,FILE...] --out MODEL [--target sentiment|actionable] [--synthetic N] [--seed N] [--epochs N] [--hash-bits N]",
                    "Trains logistic regression over the lexicon's findings plus hashed character 1-3-grams (Chinese),",
                    "word 1-2-grams and in-word character 4-grams (English). Deterministic for given files, options and seed.",
                    "  --data FILES      comma-separated; 'label,review' CSV with header, or 'text<TAB>label' lines; label 1/0",
                    "  --out MODEL       where to write the model file (about 4 * 2^hash-bits bytes)",
                    "  --target T        sentiment (default) or actionable: P(a moderator must act) from chat JSON lines",
                    "                    (.jsonl, label actionable/not, as src/test/resources/dev-chat); --synthetic N then adds",
                    "                    N Chinese and N/2 English generated chat lines, a third of them actionable",
                    "  --synthetic N     add N Chinese and N/2 English generated generic product/service reviews and",
                    "                    N/3 Chinese and N/6 English neutral chat lines (trained towards p = 0.5); default 0",
                    "  --features F      both (default), lexicon or ngrams",
                    "  --seed N          shuffle and generator seed (default 42)",
                    "  --epochs N        passes over the data (default 5)",
                    "  --hash-bits N     log2 of the feature space, 10..24 (default 18)"));

    private static final Option<String> MODEL = Option.string("model", "", "model file, or lexicon");
    private static final Option<String> LANG = Option.string("lang", "", "language hint: zh or en");
    private static final Option<String> DATA = Option.string("data", "", "labelled files, comma-separated");
    private static final Option<String> OUT = Option.string("out", "", "where to write the model");
    private static final Option<String> CV = Option.string("cv", "", "k-fold cross-validation");
    private static final Option<String> SEED = Option.string("seed", "42", "shuffle and generator seed");
    private static final Option<String> EPOCHS = Option.string("epochs", "5", "passes over the data");
    private static final Option<String> HASH_BITS = Option.string("hash-bits", "18", "log2 of the feature space");
    private static final Option<String> SYNTHETIC = Option.string("synthetic", "0", "generated rows to add");
    private static final Option<String> FEATURES = Option.string("features", "both", "both, lexicon or ngrams");
    private static final Option<String> TARGET = Option.string("target", "sentiment", "sentiment or actionable");

    private static final Map<String, Flags> FLAGS = Map.of(
            "score", flags("score", MODEL, LANG),
            "eval", flags("eval", DATA, MODEL, CV, SEED, EPOCHS, HASH_BITS, SYNTHETIC, FEATURES),
            "train", flags("train", DATA, OUT, SEED, EPOCHS, HASH_BITS, SYNTHETIC, FEATURES, TARGET));

    private static Flags flags(String command, Option<?>... options) {
        return Flags.of(options).context("sentiment " + command).help("'pulse sentiment " + command + " --help'");
    }

    private SentimentCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs one command. Returns the process exit code; bad flags give a one-line error on {@code err}
     * naming the fix and exit code 2, never a stack trace.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || isHelp(args[0])) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        if (!FLAGS.containsKey(command)) {
            err.println("error: unknown command '" + command + "'; use score, eval or train (see 'pulse sentiment --help')");
            return 2;
        }
        try {
            Map<String, String> opts = parse(command, args);
            if (opts == null) {
                out.println(HELP.get(command));
                return 0;
            }
            switch (command) {
                case "score":
                    return score(opts, in, out);
                case "eval":
                    return eval(opts, out);
                default:
                    return train(opts, out);
            }
        } catch (UsageException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return UsageException.EXIT_CODE;
        } catch (IOException e) {
            err.println("error: I/O failure: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private static boolean isHelp(String a) {
        return a.equals("--help") || a.equals("-h") || a.equals("help");
    }

    /** The flags given, keyed {@code --name} as the commands read them; null when help was asked for. */
    private static Map<String, String> parse(String command, String[] args) {
        if (args.length > 1 && args[1].equals("help")) {
            return null;
        }
        Flags.Parsed p = FLAGS.get(command).parse(Arrays.asList(args).subList(1, args.length));
        if (p.help()) {
            return null;
        }
        Map<String, String> opts = new HashMap<>();
        p.values().forEach((k, v) -> opts.put("--" + k, v));
        return opts;
    }

    private static int score(Map<String, String> opts, InputStream in, PrintStream out) throws IOException {
        String lang = opts.get("--lang");
        if (lang != null && !lang.equals("zh") && !lang.equals("en")) {
            throw new UsageException("--lang must be zh or en, got '" + lang + "'");
        }
        SentimentScorer scorer = SentimentScorers.create(opts.get("--model"));
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder(64);
        String text;
        while ((text = reader.readLine()) != null) {
            SentimentResult r = scorer.score(text, lang);
            line.setLength(0);
            line.append(r.label().wireName()).append('\t')
                    .append(String.format(Locale.ROOT, "%.4f", r.score())).append('\t');
            boolean first = true;
            for (ModerationCategory c : ModerationCategory.values()) {
                if (r.categories().contains(c)) {
                    line.append(first ? "" : ",").append(c.wireName());
                    first = false;
                }
            }
            out.println(line);
            // Flush only when no more input is waiting: interactive use streams, piped batches stay fast.
            if (!reader.ready()) {
                out.flush();
            }
        }
        out.flush();
        return 0;
    }

    private static int eval(Map<String, String> opts, PrintStream out) {
        List<Path> files = dataFiles(require(opts, "--data", "eval"));
        String model = opts.get("--model");
        String cv = opts.get("--cv");
        if (model != null && cv != null) {
            throw new UsageException("--model and --cv exclude each other: --cv trains its own models; run 'pulse sentiment eval --help'");
        }
        SentimentTrainer.Options o = trainOptions(opts);
        int k = cv == null ? 0 : intOption("--cv", cv, 2, 100); // validate flags before the slow read
        int synthetic = syntheticOption(opts);
        if (cv == null && (synthetic > 0 || opts.containsKey("--features"))) {
            throw new UsageException("--synthetic and --features only apply to --cv (or train); run 'pulse sentiment eval --help'");
        }
        List<List<LabelledData.Example>> sets = new ArrayList<>();
        for (Path f : files) {
            sets.add(LabelledData.read(f));
        }
        if (cv != null) {
            List<LabelledData.Example> all = new ArrayList<>();
            for (List<LabelledData.Example> set : sets) {
                all.addAll(set);
            }
            all.addAll(SyntheticReviews.generate(synthetic, o.seed));
            LexiconScorer lexicon = new LexiconScorer(Lexicon.bundled());
            int offset = 0;
            for (int s = 0; s < sets.size(); s++) {
                boolean[] evaluated = new boolean[all.size()];
                for (int i = 0; i < sets.get(s).size(); i++) {
                    evaluated[offset + i] = true;
                }
                offset += sets.get(s).size();
                double[] folds = new double[k];
                BinaryEvaluation ev = SentimentTrainer.crossValidate(all, evaluated, k, o, lexicon, folds);
                out.printf(Locale.ROOT, "scorer      trained (features %s), %d-fold cross-validation (seed %d, %d epochs, 2^%d features)%n",
                        featureName(o), k, o.seed, o.epochs, o.hashBits);
                out.printf(Locale.ROOT, "data        %s (folds); always in training: %d other rows, %d synthetic%n",
                        files.get(s), all.size() - sets.get(s).size() - SyntheticReviews.size(synthetic), SyntheticReviews.size(synthetic));
                StringBuilder sb = new StringBuilder();
                double sum = 0;
                for (double f : folds) {
                    sb.append(String.format(Locale.ROOT, " %.4f", f));
                    sum += f;
                }
                out.printf(Locale.ROOT, "fold macro-F1%s (mean %.4f); pooled figures below%n", sb, sum / k);
                ev.print(out);
            }
            return 0;
        }
        SentimentScorer scorer = SentimentScorers.create(model);
        for (int s = 0; s < sets.size(); s++) {
            BinaryEvaluation ev = evaluate(scorer, sets.get(s));
            out.printf(Locale.ROOT, "scorer      %s%n", model == null ? "bundled (" + SentimentScorers.BUNDLED_RESOURCE + ")"
                    : model.strip().equals(SentimentScorers.LEXICON) ? "lexicon" : "trained (" + model + ")");
            out.printf(Locale.ROOT, "data        %s%n", files.get(s));
            ev.print(out);
        }
        return 0;
    }

    private static String featureName(SentimentTrainer.Options o) {
        return o.lexicon && o.ngrams ? "both" : o.lexicon ? "lexicon" : "ngrams";
    }

    private static List<Path> dataFiles(String value) {
        List<Path> files = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                throw new UsageException("--data has an empty entry in '" + value + "'; separate files with single commas");
            }
            files.add(Path.of(part.strip()));
        }
        return files;
    }

    private static int syntheticOption(Map<String, String> opts) {
        return opts.containsKey("--synthetic") ? intOption("--synthetic", opts.get("--synthetic"), 0, 1_000_000) : 0;
    }

    static BinaryEvaluation evaluate(SentimentScorer scorer, List<LabelledData.Example> rows) {
        BinaryEvaluation ev = new BinaryEvaluation();
        for (LabelledData.Example ex : rows) {
            ev.add(ex.positive, scorer.score(ex.text, null).label());
        }
        return ev;
    }

    private static int train(Map<String, String> opts, PrintStream out) throws IOException {
        List<Path> files = dataFiles(require(opts, "--data", "train"));
        Path model = Path.of(require(opts, "--out", "train"));
        SentimentTrainer.Options o = trainOptions(opts);
        int synthetic = syntheticOption(opts);
        Path parent = model.toAbsolutePath().getParent();
        if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
            throw new UsageException("directory " + parent + " does not exist; create it or choose another --out");
        }
        List<LabelledData.Example> rows = new ArrayList<>();
        for (Path f : files) {
            rows.addAll(LabelledData.read(f));
        }
        int real = rows.size();
        String target = opts.getOrDefault("--target", "sentiment").strip();
        if (target.equals("actionable")) {
            rows.addAll(SyntheticChat.generate(synthetic, o.seed));
        } else if (target.equals("sentiment")) {
            rows.addAll(SyntheticReviews.generate(synthetic, o.seed));
        } else {
            throw new UsageException("--target must be sentiment or actionable, got '" + target + "'");
        }
        long pos = rows.stream().filter(r -> r.positive).count();
        long neutral = rows.stream().filter(r -> r.neutral).count();
        if (pos == 0 || pos + neutral == rows.size()) {
            throw new UsageException(String.join(",", files.stream().map(Path::toString).toList())
                    + " has only one class; training needs both positive (1) and negative (0) rows");
        }
        LogisticModel m = SentimentTrainer.train(rows, o, new LexiconScorer(Lexicon.bundled()));
        m.write(model);
        byte[] written = java.nio.file.Files.readAllBytes(model);
        out.printf(Locale.ROOT, "trained on %d rows (%d positive, %d negative, %d neutral), %d of them synthetic, features %s, seed %d, %d epochs,"
                        + " 2^%d features -> %s%n",
                rows.size(), pos, rows.size() - pos - neutral, neutral, rows.size() - real, featureName(o), o.seed, o.epochs, o.hashBits, model);
        out.printf(Locale.ROOT, "sha256 %s%n", SentimentScorers.sha256(written));
        return 0;
    }

    private static SentimentTrainer.Options trainOptions(Map<String, String> opts) {
        SentimentTrainer.Options o = new SentimentTrainer.Options();
        if (opts.containsKey("--seed")) {
            try {
                o.seed = Long.parseLong(opts.get("--seed").trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--seed must be an integer, got '" + opts.get("--seed") + "'");
            }
        }
        if (opts.containsKey("--epochs")) {
            o.epochs = intOption("--epochs", opts.get("--epochs"), 1, 1000);
        }
        if (opts.containsKey("--hash-bits")) {
            o.hashBits = intOption("--hash-bits", opts.get("--hash-bits"), 10, 24);
        }
        String features = opts.get("--features");
        if (features != null) {
            switch (features.strip()) {
                case "both":
                    break;
                case "lexicon":
                    o.ngrams = false;
                    break;
                case "ngrams":
                    o.lexicon = false;
                    break;
                default:
                    throw new UsageException("--features must be both, lexicon or ngrams, got '" + features + "'");
            }
        }
        return o;
    }

    private static int intOption(String flag, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new UsageException(flag + " must be an integer from " + min + " to " + max + ", got '" + value + "'");
    }

    private static String require(Map<String, String> opts, String flag, String command) {
        String v = opts.get(flag);
        if (v == null || v.isBlank()) {
            throw new UsageException(command + " needs " + flag + " " + (flag.equals("--out") ? "MODEL" : "FILE")
                    + "; run 'pulse sentiment " + command + " --help'");
        }
        return v;
    }
}
